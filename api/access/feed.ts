/**
 * The gate-event feed as the server entry wires it: `startIngest({ observers: [gateEventFeed(platform)] })`, then
 * `feed.start()`, and `await feed.stop()` on shutdown. Barrier passages go to the parking sessions.
 */
import { applyBarrier } from '../parking/sessions.ts'
import type { Platform } from '../platform.ts'
import { GateEventFeed, GateEventService } from './gate-events.ts'

/** A feed writing gate events into PostgreSQL every `intervalMs` (default 1 s). */
export function gateEventFeed(
  platform: Pick<Platform, 'db'>,
  options: { intervalMs?: number; maxBuffered?: number; onError?: (error: unknown) => void } = {},
): GateEventFeed {
  return new GateEventFeed(new GateEventService(platform.db, applyBarrier), options)
}

/**
 * The in-process live event bus: the alarm engine, device status changes and KPI refreshes publish here; the SSE
 * route subscribes. Every event gets an increasing id and is kept in a bounded ring buffer, so a client that
 * reconnects with `Last-Event-ID` receives what it missed — or is told that the buffer no longer reaches back
 * that far (and refetches its state).
 *
 * One process only. Several API instances would each run a bus fed through the MQTT broker (a `live/#` topic that
 * every instance subscribes to, ids from a shared sequence); not built, since one instance serves the wall
 * screens today.
 */

export type LiveEventType = 'alarm' | 'device.status' | 'kpi' | 'prediction' | 'workorder' | 'maintenance'

/** One live event. `permission` is what a caller needs to see it; `communityId` scopes it. */
export interface LiveEvent {
  readonly id: number
  readonly type: LiveEventType
  readonly communityId: string
  readonly permission: string
  /** Epoch ms when it was published. */
  readonly at: number
  readonly data: unknown
}

export type LiveListener = (event: LiveEvent) => void

/** Events after a given id: all of them, or `gap` when some were already dropped from the buffer. */
export interface Backlog {
  readonly events: readonly LiveEvent[]
  readonly gap: boolean
}

/** Which permission each event type needs (the names the API's guard knows). */
export const livePermissions: Readonly<Record<LiveEventType, string>> = {
  alarm: 'alarm:read',
  'device.status': 'telemetry:read',
  kpi: 'kpi:read',
  prediction: 'prediction:read',
  workorder: 'workorder:read',
  maintenance: 'equipment:read',
}

export class LiveBus {
  private readonly ring: (LiveEvent | undefined)[]
  private nextId = 1
  private readonly listeners = new Set<LiveListener>()

  /**
   * @param capacity events kept for resume
   * @param now clock (tests)
   * @param onListenerError a listener that throws is reported here and kept; publishing never throws
   */
  constructor(
    readonly capacity = 5000,
    private readonly now: () => number = Date.now,
    private readonly onListenerError: (error: unknown) => void = () => undefined,
  ) {
    this.ring = new Array<LiveEvent | undefined>(capacity)
  }

  /** Publishes an event to every subscriber; returns it with its id. */
  publish(type: LiveEventType, communityId: string, data: unknown): LiveEvent {
    const event: LiveEvent = {
      id: this.nextId++,
      type,
      communityId,
      permission: livePermissions[type],
      at: this.now(),
      data,
    }
    this.ring[event.id % this.capacity] = event
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (error) {
        this.onListenerError(error)
      }
    }
    return event
  }

  /** Subscribes; returns the function that unsubscribes. */
  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Subscriber count (for health and tests). */
  get size(): number {
    return this.listeners.size
  }

  /** The id the next event will get, minus one: the newest id so far (0 before any). */
  get lastId(): number {
    return this.nextId - 1
  }

  /** The events with ids greater than `afterId` still in the buffer, oldest first. */
  since(afterId: number): Backlog {
    const newest = this.nextId - 1
    if (afterId >= newest) return { events: [], gap: false }
    const oldest = Math.max(1, newest - this.capacity + 1)
    const from = Math.max(afterId + 1, oldest)
    const events: LiveEvent[] = []
    for (let id = from; id <= newest; id++) {
      const event = this.ring[id % this.capacity]
      if (event && event.id === id) events.push(event)
    }
    return { events, gap: afterId + 1 < oldest }
  }
}

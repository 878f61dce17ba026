/**
 * Test fixtures for the simulator's tests: the small generated community (memoised), a Monday to start on, and
 * helpers to read a stream as parsed payloads grouped by device.
 */
import type { Community } from '../../data/index.ts'
import { generateCommunity } from '../../data/index.ts'
import { DAY } from './calendar.ts'
import type { SimMessage } from './emitter.ts'
import type { FaultRates } from './faults.ts'
import type { Simulation } from './simulation.ts'

let small: Community | undefined

/** The `small` profile's community (≈150 households, 6 lifts, 4 pumps), generated once per process. */
export function smallCommunity(): Community {
  small ??= generateCommunity({ seed: 20261125, profile: 'small' }).communities[0] as Community
  return small
}

/** Monday 2 June 2025, 00:00 China time. */
export const MONDAY = Date.parse('2025-06-02T00:00:00+08:00')
export { DAY }

/** Fault rates that inject nothing at random. */
export const NO_RANDOM_FAULTS: FaultRates = {
  elevatorDegradation: 0,
  pumpDegradation: 0,
  meterLeak: 0,
  stuckSensor: 0,
  offline: 0,
  renovation: 0,
}

/** A parsed message with its device. */
export interface Parsed {
  readonly message: SimMessage
  readonly deviceId: string
  readonly kind: string
  readonly body: {
    ts: number
    seq: number
    m?: Record<string, number>
    type?: string
    status?: string
  } & Record<string, unknown>
}

/** Every message of a simulation, parsed. */
export function readAll(simulation: Simulation): Parsed[] {
  const out: Parsed[] = []
  for (const message of simulation.messages()) {
    const d = simulation.devices[message.device]
    if (!d) throw new Error(`message for unknown device ${message.device}`)
    out.push({ message, deviceId: d.id, kind: d.kind, body: JSON.parse(message.payload) as Parsed['body'] })
  }
  return out
}

/** Local hour (China time) of an epoch-ms time. */
export function localHour(t: number): number {
  return Math.floor(((t + 8 * 3_600_000) % DAY) / 3_600_000)
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)
}

export function stdev(values: readonly number[]): number {
  const m = mean(values)
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)))
}

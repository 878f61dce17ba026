/**
 * Where device models put their messages. The emitter gives every message its `seq`, encodes the payload, applies
 * the injected link and sensor faults that every kind shares (an offline device's telemetry and events are lost;
 * a stuck sensor repeats its first value for the whole window), drops kinds that are filtered out, and buffers the
 * result for the scheduler to hand out in time order.
 *
 * seq = ts × 8 + a per-millisecond counter, per device across all its channels: strictly increasing, and a
 * simulator restarted later continues with larger values without any saved state. A replay of the same interval
 * gives the same (deviceId, seq) pairs, so the ingest drops the duplicates.
 */
import type { Channel } from '../../data/messages/index.ts'
import type { DeviceKind } from '../../data/index.ts'
import type { DeviceStatus, EventFields, TelemetryShape } from './payload.ts'
import { encodeEvent, encodeStatus, encodeTelemetry } from './payload.ts'

/** Messages per device per millisecond that keep seq inside the millisecond. */
export const SEQ_PER_MS = 8

/** A device as the simulation addresses it. */
export interface SimDevice {
  /** Position in `Simulation.devices`; messages carry it as `device`. */
  readonly index: number
  readonly id: string
  readonly kind: DeviceKind
  readonly communityId: string
  readonly buildingId: string | null
  readonly topics: Readonly<Record<Channel, string>>
  /** False when the `kinds` filter drops this device's messages. */
  readonly included: boolean
}

/** One message of the stream. */
export interface SimMessage {
  readonly topic: string
  /** UTF-8 JSON per the message contract. */
  readonly payload: string
  /** Status messages are retained. */
  readonly retain: boolean
  /** The payload's ts, epoch ms; the stream is in non-decreasing ts order. */
  readonly ts: number
  readonly device: number
  readonly channel: Channel
}

/** A window during which some metrics of a device (all of them when `metrics` is null) are stuck. */
export interface StuckWindow {
  readonly start: number
  readonly end: number
  readonly metrics: readonly string[] | null
}

/** Link and sensor faults of one device. */
export interface DeviceWindows {
  /** Unreachable over [start, end): telemetry and events are lost. */
  readonly offline: readonly { readonly start: number; readonly end: number }[]
  readonly stuck: readonly StuckWindow[]
}

/** Counts of what went through the emitter. */
export interface EmitterCounts {
  telemetry: number
  event: number
  status: number
  /** Telemetry and events lost to offline windows. */
  lost: number
}

export class Emitter {
  /** Messages of the current step, in emission order. */
  readonly buffer: SimMessage[] = []
  readonly counts: EmitterCounts = { telemetry: 0, event: 0, status: 0, lost: 0 }
  private readonly lastSeq: Float64Array
  private readonly frozen = new Map<number, { window: StuckWindow; values: Map<string, number> }>()
  private readonly scratch = new Float64Array(8)
  private lastTs = -Infinity

  constructor(
    readonly devices: readonly SimDevice[],
    private readonly windows: readonly (DeviceWindows | undefined)[],
    /** Whether each device's messages are kept (the `kinds` filter). */
    private readonly included: Uint8Array,
  ) {
    this.lastSeq = new Float64Array(devices.length).fill(-1)
  }

  /** A telemetry message of `device` at `ts`, `values` in the shape's order. */
  telemetry(device: number, ts: number, shape: TelemetryShape, values: ArrayLike<number>): void {
    if (!this.accept(device, ts)) return
    const windows = this.windows[device]
    if (windows && windows.stuck.length > 0)
      values = this.applyStuck(device, ts, shape, values, windows.stuck)
    const seq = this.nextSeq(device, ts)
    this.push(device, ts, 'telemetry', encodeTelemetry(ts, seq, shape, values), false)
    this.counts.telemetry++
  }

  /** An event of `device` at `ts`. */
  event(device: number, ts: number, type: string, fields?: EventFields): void {
    if (!this.accept(device, ts)) return
    const seq = this.nextSeq(device, ts)
    this.push(device, ts, 'event', encodeEvent(ts, seq, type, fields), false)
    this.counts.event++
  }

  /** A retained status. Sent even while the device is offline: the gateway or the broker reports it. */
  status(device: number, ts: number, status: DeviceStatus, detail?: string): void {
    this.checkTime(ts)
    if (this.included[device] === 0) return
    const seq = this.nextSeq(device, ts)
    this.push(device, ts, 'status', encodeStatus(ts, seq, status, detail), true)
    this.counts.status++
  }

  /** Whether `device` is unreachable at `ts`. */
  isOffline(device: number, ts: number): boolean {
    const windows = this.windows[device]
    if (!windows) return false
    for (const w of windows.offline) if (ts >= w.start && ts < w.end) return true
    return false
  }

  /** Time of the latest message so far (the stream never goes back before it). */
  get time(): number {
    return this.lastTs
  }

  /** The largest seq given to `device` so far, -1 before its first message. */
  seqOf(device: number): number {
    return this.lastSeq[device] as number
  }

  private accept(device: number, ts: number): boolean {
    this.checkTime(ts)
    if (this.included[device] === 0) return false
    if (this.isOffline(device, ts)) {
      this.counts.lost++
      return false
    }
    return true
  }

  private checkTime(ts: number): void {
    // The scheduler's ordering guarantee rests on every model emitting at its wake time; catch a model that doesn't.
    if (ts < this.lastTs) throw new Error(`simulator bug: message at ${ts} after one at ${this.lastTs}`)
    this.lastTs = ts
  }

  private nextSeq(device: number, ts: number): number {
    const seq = Math.max(ts * SEQ_PER_MS, (this.lastSeq[device] as number) + 1)
    this.lastSeq[device] = seq
    return seq
  }

  private applyStuck(
    device: number,
    ts: number,
    shape: TelemetryShape,
    values: ArrayLike<number>,
    stuck: readonly StuckWindow[],
  ): ArrayLike<number> {
    const window = stuck.find((w) => ts >= w.start && ts < w.end)
    let state = this.frozen.get(device)
    if (!window) {
      if (state) this.frozen.delete(device)
      return values
    }
    if (!state || state.window !== window) this.frozen.set(device, (state = { window, values: new Map() }))
    const out = this.scratch
    shape.names.forEach((name, i) => {
      const live = values[i] as number
      if (window.metrics !== null && !window.metrics.includes(name)) {
        out[i] = live
        return
      }
      const held = state.values.get(name)
      if (held === undefined) state.values.set(name, live)
      out[i] = held ?? live
    })
    return out
  }

  private push(device: number, ts: number, channel: Channel, payload: string, retain: boolean): void {
    const d = this.devices[device] as SimDevice
    this.buffer.push({ topic: d.topics[channel], payload, retain, ts, device, channel })
  }
}

/**
 * The live state of every device, kept from the ingest stream (a stream observer, structurally the ingest's
 * `StreamObserver`): each metric's latest value, the latest status and the latest event. It is what the wall
 * screen shows "now", and the reference the time machine must reproduce for any past instant. A status change is
 * published on the live bus.
 *
 * Hot path: one Map lookup per message and plain property writes into objects made once per device; later
 * messages overwrite values in place.
 */
import type { ObservedDevice } from '../alarms/compiled.ts'
import type { LiveBus } from './bus.ts'

/** One device's state; the same shape the time machine returns. */
export interface DeviceState {
  readonly deviceId: string
  readonly kind: string
  /** Latest telemetry time (epoch ms), or null. */
  readonly ts: number | null
  /** Latest value of each metric. */
  readonly metrics: Readonly<Record<string, number>>
  readonly status: string | null
  readonly statusTs: number | null
  readonly event: { readonly type: string; readonly ts: number } | null
}

interface Slot {
  device: ObservedDevice
  ts: number
  values: Record<string, number>
  valueTs: Record<string, number>
  status: string | null
  statusTs: number
  eventType: string | null
  eventTs: number
}

export class DeviceStateTracker {
  private readonly slots = new Map<string, Slot>()

  constructor(private readonly bus?: LiveBus) {}

  telemetry(device: ObservedDevice, _index: number, ts: number, m: Readonly<Record<string, number>>): void {
    const slot = this.slot(device)
    if (ts > slot.ts) slot.ts = ts
    const { values, valueTs } = slot
    for (const name in m) {
      const seen = valueTs[name]
      // Out-of-order messages must not overwrite a newer value (the time machine takes the latest by time too).
      if (seen === undefined || ts >= seen) {
        values[name] = m[name] as number
        valueTs[name] = ts
      }
    }
  }

  event(device: ObservedDevice, _index: number, ts: number, type: string): void {
    const slot = this.slot(device)
    if (ts >= slot.eventTs) {
      slot.eventTs = ts
      slot.eventType = type
    }
  }

  status(device: ObservedDevice, _index: number, ts: number, status: string): void {
    const slot = this.slot(device)
    if (ts < slot.statusTs) return
    const changed = slot.status !== status
    slot.status = status
    slot.statusTs = ts
    if (changed) {
      this.bus?.publish('device.status', device.communityId, {
        deviceId: device.id,
        kind: device.kind,
        status,
        ts,
      })
    }
  }

  /** A copy of the state of every device of a community that has reported anything, by device id. */
  snapshot(communityId: string): DeviceState[] {
    const out: DeviceState[] = []
    for (const slot of this.slots.values()) {
      if (slot.device.communityId !== communityId) continue
      out.push({
        deviceId: slot.device.id,
        kind: slot.device.kind,
        ts: slot.ts > Number.NEGATIVE_INFINITY ? slot.ts : null,
        metrics: { ...slot.values },
        status: slot.status,
        statusTs: slot.status === null ? null : slot.statusTs,
        event: slot.eventType === null ? null : { type: slot.eventType, ts: slot.eventTs },
      })
    }
    return out.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0))
  }

  private slot(device: ObservedDevice): Slot {
    let slot = this.slots.get(device.id)
    if (slot === undefined) {
      slot = {
        device,
        ts: Number.NEGATIVE_INFINITY,
        values: {},
        valueTs: {},
        status: null,
        statusTs: Number.NEGATIVE_INFINITY,
        eventType: null,
        eventTs: Number.NEGATIVE_INFINITY,
      }
      this.slots.set(device.id, slot)
    }
    return slot
  }
}

/**
 * Device status that no device model owns: every device's retained status at the start of the stream (online, or
 * offline / fault / maintenance when a fault window covers the start), and the transitions of the injected outages
 * (the gateway or platform marks a silent device offline a few minutes in, and online when it is heard again).
 * Lifts and pumps publish their own fault and maintenance transitions.
 */
import { MINUTE } from './calendar.ts'
import type { Emitter, SimDevice } from './emitter.ts'
import type { InjectedFault } from './faults.ts'
import type { DeviceStatus } from './payload.ts'
import type { Actor } from './scheduler.ts'

/** How long the platform waits before it reports a silent device offline. */
const DETECTION = 5 * MINUTE

interface Transition {
  readonly t: number
  readonly device: number
  readonly status: DeviceStatus
  readonly detail: string
}

/** The status a device should announce at `t` given its faults. */
export function statusAt(
  faults: readonly InjectedFault[],
  t: number,
): { status: DeviceStatus; detail?: string } {
  for (const f of faults) {
    if (t < f.onset || t >= f.end) continue
    if (f.category === 'offline') return { status: 'offline', detail: 'no data' }
    if (f.category === 'degradation' && f.failure !== null && t >= f.failure) {
      const repair = Number(f.detail.repairStart ?? f.failure)
      return t < repair ? { status: 'fault', detail: f.fault } : { status: 'maintenance', detail: 'repair' }
    }
  }
  return { status: 'online' }
}

export class LinkActor implements Actor {
  next: number
  private started = false
  private readonly transitions: Transition[] = []
  private head = 0

  constructor(
    private readonly devices: readonly SimDevice[],
    private readonly faultsOf: (device: number) => readonly InjectedFault[],
    private readonly start: number,
    end: number,
  ) {
    for (const d of devices) {
      for (const f of faultsOf(d.index)) {
        if (f.category !== 'offline') continue
        const noticed = f.onset + Math.min(DETECTION, Math.floor((f.end - f.onset) / 2))
        if (noticed > start && noticed < end) {
          this.transitions.push({ t: noticed, device: d.index, status: 'offline', detail: 'no data' })
        }
        if (f.end > start && f.end < end)
          this.transitions.push({ t: f.end, device: d.index, status: 'online', detail: '' })
      }
    }
    this.transitions.sort((a, b) => a.t - b.t || a.device - b.device)
    this.next = start
  }

  step(out: Emitter): void {
    const t = this.next
    if (!this.started) {
      this.started = true
      for (const d of this.devices) {
        const { status, detail } = statusAt(this.faultsOf(d.index), t)
        out.status(d.index, t, status, detail)
      }
    }
    while (this.transitions[this.head]?.t === t) {
      const tr = this.transitions[this.head++] as Transition
      out.status(tr.device, t, tr.status, tr.detail || undefined)
    }
    this.next = this.transitions[this.head]?.t ?? Infinity
  }
}

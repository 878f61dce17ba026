/**
 * Plays a recorded interval into a LiveStore of its own: the time machine's snapshot at `from` (device states and
 * alarms), then, in time order up to the play position, the replay stream's per-minute telemetry, status
 * changes, device events and alarm lifecycle events. Moving forward applies only what lies between the old and
 * the new position; seeking backwards starts again from the snapshot. Pure (no I/O): replay-player.test.ts.
 */
import type { ReplayResponse, SnapshotResponse } from '../api/endpoints.ts'
import { alarmFromSnapshot, type AlarmState, type LiveAlarm, type LiveStore } from '../live/live-store.ts'

/** What the player knows of an alarm beyond the replay stream's id and state (severity, message). */
export type AlarmLookup = (alarmId: string) => LiveAlarm | undefined

export class ReplayPlayer {
  readonly from: number
  readonly to: number
  /** Play position, epoch ms. */
  position: number
  private tel = 0
  private st = 0
  private ev = 0
  private al = 0
  private readonly known = new Map<string, LiveAlarm>()

  constructor(
    readonly store: LiveStore,
    private readonly snapshot: SnapshotResponse,
    private readonly stream: ReplayResponse,
    private readonly lookup: AlarmLookup = () => undefined,
  ) {
    this.from = stream.from
    this.to = stream.to
    this.position = stream.from
    for (const a of snapshot.alarms) this.known.set(String(a.id), alarmFromSnapshot(a))
    this.restart()
    this.advance(this.from)
  }

  /** Events in the interval (telemetry samples, statuses, device events, alarm changes). */
  get eventCount(): number {
    const s = this.stream
    return s.telemetry.t.length + s.status.length + s.events.length + s.alarms.length
  }

  /** True when the server cut the stream (the interval had more samples than it sends at once). */
  get truncated(): boolean {
    return this.stream.truncated
  }

  /** Moves the play position to `at` (clamped to the interval). */
  seek(at: number): void {
    const target = Math.min(this.to, Math.max(this.from, at))
    if (target < this.position) this.restart()
    this.advance(target)
  }

  private restart(): void {
    this.store.clear()
    this.tel = this.st = this.ev = this.al = 0
    this.store.applyDeviceStates(this.snapshot.devices)
    this.store.replaceAlarms(this.snapshot.alarms.map(alarmFromSnapshot))
    this.position = this.from
  }

  /** Applies everything with a time in (position, at]. */
  private advance(at: number): void {
    const { telemetry, devices, metrics, status, events, alarms } = this.stream
    const store = this.store
    // Telemetry is ordered by time then device: one metrics object per device and minute.
    let m: Record<string, number> | null = null
    let mDevice = -1
    let mTime = 0
    const flush = () => {
      if (m) store.applyTelemetry(devices[mDevice] ?? '', mTime, m)
      m = null
    }
    const n = telemetry.t.length
    while (this.tel < n && telemetry.t[this.tel]! <= at) {
      const i = this.tel++
      const t = telemetry.t[i]!
      const d = telemetry.d[i]!
      if (!m || d !== mDevice || t !== mTime) {
        flush()
        m = {}
        mDevice = d
        mTime = t
      }
      m[metrics[telemetry.m[i]!] ?? ''] = telemetry.v[i]!
    }
    flush()
    while (this.st < status.length && status[this.st]!.t <= at) {
      const s = status[this.st++]!
      store.applyDeviceStatus(s.d, s.t, s.status)
    }
    while (this.ev < events.length && events[this.ev]!.t <= at) {
      const e = events[this.ev++]!
      store.applyDeviceEvent(e.d, e.t, e.type)
    }
    while (this.al < alarms.length && alarms[this.al]!.t <= at) {
      const a = alarms[this.al++]!
      const id = String(a.alarmId)
      const known = this.known.get(id) ?? this.lookup(id)
      const alarm: LiveAlarm = {
        id,
        deviceId: a.d,
        severity: known?.severity ?? 'major',
        title: known?.title ?? '',
        ts: a.action === 'opened' ? a.t : (known?.ts ?? a.t),
        state: (['open', 'acknowledged', 'in_progress', 'resolved'] as const).includes(a.state as AlarmState)
          ? (a.state as AlarmState)
          : 'open',
      }
      this.known.set(id, alarm)
      store.upsertAlarm(alarm)
    }
    this.position = at
  }
}

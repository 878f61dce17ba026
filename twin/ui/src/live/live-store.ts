/**
 * Live device state in typed arrays, indexed densely by device, fed by the live stream and the device-state poll,
 * and read by the scene's frame loop. An update costs a Map lookup and a few array writes; it never causes a React
 * render. Instanced meshes drain the per-kind dirty queues once per frame. Memory is bounded by the device count
 * (plus at most `maxAlarms` alarms), so the wall screen can run for days.
 *
 * What feeds it (twin/ui/README.md has the contract):
 * - `GET /api/v1/live` events, each `{communityId, at, data}`: `alarm` (`data: {action, alarm}`), `device.status`
 *   (`data: {deviceId, kind, status, ts}`), `kpi` (`data: {kpi, at, rows}`, passed on to `onKpi`) and `reset`
 *   (the server's buffer no longer reaches back to our last event id: `onReset` refetches);
 * - `GET …/devices/state` snapshots (`applyDeviceStates`), which carry the telemetry values;
 * - `telemetry` events `{d, ts, m}` (or arrays of them): not sent by the server today; the test feed and the
 *   benchmark push them, and a server-side telemetry push would plug in here.
 */
import type { AlarmAt, ServerAlarm, ServerDeviceState } from '../api/endpoints.ts'
import { DEVICE_KINDS, type SceneBuilding, type SceneDevice } from '../api/scene-types.ts'

/** Per-device state codes (index into the scene's state palette). */
export const DeviceState = {
  unknown: 0,
  ok: 1,
  active: 2,
  offline: 3,
  maintenance: 4,
  fault: 5,
  alarm: 6,
} as const
export type DeviceStateCode = (typeof DeviceState)[keyof typeof DeviceState]

/** The server's alarm lifecycle; `resolved` alarms leave the screen. */
export type AlarmState = 'open' | 'acknowledged' | 'in_progress' | 'resolved'

export interface LiveAlarm {
  readonly id: string
  readonly deviceId: string
  readonly severity: string
  readonly state: AlarmState
  /** When it was raised, epoch ms. */
  readonly ts: number
  readonly title: string
}

type Metrics = Readonly<Record<string, number>>
type Listener = () => void

const KIND_CODE: ReadonlyMap<string, number> = new Map(DEVICE_KINDS.map((k, i) => [k, i]))
const ELEVATOR = KIND_CODE.get('elevator') ?? -1
const PUMP = KIND_CODE.get('water_pump') ?? -1
const METER = KIND_CODE.get('electricity_meter') ?? -1
const COUNTER = KIND_CODE.get('people_counter') ?? -1
const LIGHT = KIND_CODE.get('street_light') ?? -1

function alarmState(state: unknown): AlarmState {
  return state === 'acknowledged' || state === 'in_progress' || state === 'resolved' ? state : 'open'
}

/** An alarm from the server (`GET /alarms`, `alarm` live events) as the screen keeps it. */
export function alarmFromServer(a: ServerAlarm): LiveAlarm {
  const ts = Date.parse(a.openedAt ?? a.triggeredAt)
  return {
    id: String(a.id),
    deviceId: a.deviceId,
    severity: a.severity,
    state: alarmState(a.state),
    ts: Number.isFinite(ts) ? ts : Date.now(),
    title: a.message,
  }
}

/** An alarm from a time-machine snapshot. */
export function alarmFromSnapshot(a: AlarmAt): LiveAlarm {
  const ts = Date.parse(a.since)
  return {
    id: String(a.id),
    deviceId: a.deviceId,
    severity: a.severity,
    state: alarmState(a.state),
    ts: Number.isFinite(ts) ? ts : 0,
    title: a.message,
  }
}

/** Live state of every device of one community. */
export class LiveStore {
  readonly count: number
  readonly ids: readonly string[]
  /** Kind code per device (index into DEVICE_KINDS). */
  readonly kind: Uint8Array
  /** Index of the device within its kind's instanced mesh. */
  readonly slot: Uint32Array
  /** Building index per device, -1 when none. */
  readonly building: Int32Array
  readonly state: Uint8Array
  /** The kind's primary metric: elevator floor, pump flow, meter power, people present, lamp on… */
  readonly value: Float32Array
  /** Epoch ms of the last message per device (0 = never). */
  readonly updatedAt: Float64Array
  /** Epoch ms of the last telemetry per device (0 = never): a device-state poll applies only newer values. */
  readonly telemetryAt: Float64Array
  /** The last telemetry metrics per device, for drill-down. */
  readonly latest: (Metrics | undefined)[]
  /** Electric load per building, kW (sum of its meters' latest power). */
  readonly buildingLoadKw: Float32Array
  /** Bumped when any building load changes. */
  energyVersion = 0
  /** Bumped when any people counter changes. */
  crowdVersion = 0
  /** Bumped when the alarm list changes. */
  alarmsVersion = 0
  /** Counters for the freshness indicator and the benchmark. */
  readonly stats = {
    messages: 0,
    unknownDevices: 0,
    badMessages: 0,
    processingMs: 0,
    lastReceivedAt: 0,
    lastDataTs: 0,
  }
  /** Receives `kpi` live events (`kpi` is crowd | parking | elevators; `rows` as the KPI route answers). */
  onKpi: ((kpi: string, rows: unknown) => void) | null = null
  /** Called on a `reset` live event: events were missed, refetch what the stream would have updated. */
  onReset: (() => void) | null = null
  /** Called when something drawn changed (a device's state or value, the alarms): the canvas asks for a frame. */
  onChange: (() => void) | null = null

  private readonly index = new Map<string, number>()
  private readonly dirtyFlag: Uint8Array
  private readonly dirtyQueue: Int32Array[]
  private readonly dirtyCount: Int32Array
  private readonly alarms = new Map<string, LiveAlarm>()
  /** performance.now() of each alarm's last change through `upsertAlarm` (pruned by `replaceAlarms`). */
  private readonly alarmChangedAt = new Map<string, number>()
  private alarmList: readonly LiveAlarm[] = []
  private readonly listeners = new Set<Listener>()

  constructor(
    devices: readonly SceneDevice[],
    buildings: readonly SceneBuilding[],
    private readonly maxAlarms = 500,
  ) {
    const n = devices.length
    this.count = n
    this.ids = devices.map((d) => d.id)
    this.kind = new Uint8Array(n)
    this.slot = new Uint32Array(n)
    this.building = new Int32Array(n)
    this.state = new Uint8Array(n)
    this.value = new Float32Array(n)
    this.updatedAt = new Float64Array(n)
    this.telemetryAt = new Float64Array(n)
    this.latest = new Array<Metrics | undefined>(n).fill(undefined)
    this.dirtyFlag = new Uint8Array(n)
    this.buildingLoadKw = new Float32Array(buildings.length)
    const buildingIndex = new Map(buildings.map((b, i) => [b.id, i]))
    const perKind = new Int32Array(DEVICE_KINDS.length)
    devices.forEach((d, i) => {
      const k = KIND_CODE.get(d.kind) ?? 0
      this.kind[i] = k
      this.slot[i] = perKind[k]!++
      this.building[i] = d.buildingId ? (buildingIndex.get(d.buildingId) ?? -1) : -1
      this.index.set(d.id, i)
    })
    this.dirtyQueue = Array.from(perKind, (c) => new Int32Array(c))
    this.dirtyCount = new Int32Array(DEVICE_KINDS.length)
  }

  /** Dense index of a device id, or -1. */
  indexOf(deviceId: string): number {
    return this.index.get(deviceId) ?? -1
  }

  /** The SSE handler: parses and applies one stream event. Never throws. */
  readonly handle = (type: string, data: string): void => {
    const started = performance.now()
    try {
      const body: unknown = JSON.parse(data)
      if (type === 'telemetry') {
        if (Array.isArray(body)) for (const item of body) this.applyCompact(item)
        else this.applyCompact(body)
      } else {
        this.applyEnvelope(type, body)
      }
    } catch {
      this.stats.badMessages++
    }
    this.stats.lastReceivedAt = Date.now()
    this.stats.processingMs += performance.now() - started
  }

  /**
   * Applies a device-state snapshot (`devices/state` or a time-machine instant): telemetry newer than what the
   * store has, and status changes. Devices whose state did not change are not touched (nor redrawn).
   */
  applyDeviceStates(devices: readonly ServerDeviceState[]): void {
    const started = performance.now()
    for (const s of devices) {
      const device = this.indexOf(s.deviceId)
      if (device < 0) {
        this.stats.unknownDevices++
        continue
      }
      this.stats.messages++
      if (s.ts !== null && s.ts > this.telemetryAt[device]!) this.telemetry(device, s.ts, s.metrics)
      if (s.status !== null && s.statusTs !== null && s.statusTs > this.updatedAt[device]!) {
        this.touch(device, s.statusTs)
        this.applyStatus(device, s.status)
      }
    }
    this.stats.lastReceivedAt = Date.now()
    this.stats.processingMs += performance.now() - started
  }

  /** Applies one device's telemetry (replay, tests). */
  applyTelemetry(deviceId: string, ts: number, m: Metrics): void {
    const device = this.indexOf(deviceId)
    if (device >= 0) this.telemetry(device, ts, m)
  }

  /** Applies a device status change (`online`, `offline`, `fault`, `maintenance`…). */
  applyDeviceStatus(deviceId: string, ts: number, status: string): void {
    const device = this.indexOf(deviceId)
    if (device < 0) return
    this.touch(device, ts)
    this.applyStatus(device, status)
  }

  /** Applies a device event (`fault.raised`, `pump.start`…). */
  applyDeviceEvent(deviceId: string, ts: number, type: string): void {
    const device = this.indexOf(deviceId)
    if (device < 0) return
    this.touch(device, ts)
    this.applyEvent(device, type)
  }

  /** Forgets every device's state and every alarm (a replay seeking backwards starts again from a snapshot). */
  clear(): void {
    this.state.fill(0)
    this.value.fill(0)
    this.updatedAt.fill(0)
    this.telemetryAt.fill(0)
    this.latest.fill(undefined)
    this.buildingLoadKw.fill(0)
    this.energyVersion++
    this.crowdVersion++
    for (let device = 0; device < this.count; device++) this.markDirty(device)
    this.alarms.clear()
    this.alarmChangedAt.clear()
    this.publishAlarms()
  }

  /** Calls `visit(deviceIndex, slot)` for each device of `kind` changed since the last drain. */
  drainDirty(kind: number, visit: (device: number, slot: number) => void): number {
    const count = this.dirtyCount[kind] ?? 0
    const queue = this.dirtyQueue[kind]
    if (!queue || count === 0) return 0
    for (let i = 0; i < count; i++) {
      const device = queue[i]!
      this.dirtyFlag[device] = 0
      visit(device, this.slot[device]!)
    }
    this.dirtyCount[kind] = 0
    return count
  }

  /** Alarms needing attention, newest first (a stable array between changes, for useSyncExternalStore). */
  getAlarms = (): readonly LiveAlarm[] => this.alarmList

  /** The alarm with this id, if listed. */
  alarm(id: string): LiveAlarm | undefined {
    return this.alarms.get(id)
  }

  /** Subscribes to alarm list changes. */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Adds or updates an alarm; a resolved one leaves the list. */
  upsertAlarm(alarm: LiveAlarm): void {
    this.alarmChangedAt.set(alarm.id, performance.now())
    if (alarm.state === 'resolved') this.alarms.delete(alarm.id)
    else this.alarms.set(alarm.id, alarm)
    this.alarmsChanged(alarm.deviceId)
  }

  /**
   * Replaces the alarm list with a fetched one. `fetchedSince` (performance.now() when the request was sent):
   * alarms the stream changed after it are kept as the stream says, since the answer may predate them.
   */
  replaceAlarms(alarms: readonly LiveAlarm[], fetchedSince = Number.POSITIVE_INFINITY): void {
    const devices = new Set<string>()
    const fresh = new Map<string, LiveAlarm | undefined>()
    for (const [id, at] of this.alarmChangedAt) {
      if (at >= fetchedSince) fresh.set(id, this.alarms.get(id))
      else this.alarmChangedAt.delete(id)
    }
    for (const a of this.alarms.values()) devices.add(a.deviceId)
    this.alarms.clear()
    for (const a of alarms) {
      if (a.state === 'resolved' || fresh.has(a.id)) continue
      this.alarms.set(a.id, a)
      devices.add(a.deviceId)
    }
    for (const [id, a] of fresh) if (a) this.alarms.set(id, a)
    for (const deviceId of devices) this.markAlarmState(deviceId)
    this.publishAlarms()
  }

  private alarmsChanged(deviceId: string): void {
    this.markAlarmState(deviceId)
    if (this.alarms.size > this.maxAlarms) {
      const oldest = [...this.alarms.values()].sort((a, b) => a.ts - b.ts)[0]
      if (oldest) this.alarms.delete(oldest.id)
    }
    this.publishAlarms()
  }

  private markAlarmState(deviceId: string): void {
    const device = this.indexOf(deviceId)
    if (device < 0) return
    let open = false
    for (const a of this.alarms.values()) if (a.deviceId === deviceId && a.state === 'open') open = true
    if (open) this.setState(device, DeviceState.alarm)
    else if (this.state[device] === DeviceState.alarm) this.setState(device, DeviceState.ok)
  }

  private publishAlarms(): void {
    this.alarmList = [...this.alarms.values()].sort((a, b) => b.ts - a.ts)
    this.alarmsVersion++
    this.onChange?.()
    for (const listener of this.listeners) listener()
  }

  /** A server event: `{communityId, at, data}`. */
  private applyEnvelope(type: string, body: unknown): void {
    if (type === 'reset') {
      this.onReset?.()
      return
    }
    const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined
    if (typeof data !== 'object' || data === null) {
      this.stats.badMessages++
      return
    }
    this.stats.messages++
    const d = data as Record<string, unknown>
    switch (type) {
      case 'alarm': {
        const alarm = d.alarm as ServerAlarm | undefined
        if (typeof alarm?.id !== 'number' || typeof alarm.deviceId !== 'string') {
          this.stats.badMessages++
          return
        }
        this.upsertAlarm(alarmFromServer(alarm))
        return
      }
      case 'device.status': {
        if (typeof d.deviceId !== 'string' || typeof d.status !== 'string') {
          this.stats.badMessages++
          return
        }
        const ts = typeof d.ts === 'number' ? d.ts : Date.now()
        if (ts > this.stats.lastDataTs) this.stats.lastDataTs = ts
        this.applyDeviceStatus(d.deviceId, ts, d.status)
        return
      }
      case 'kpi':
        if (typeof d.kpi === 'string') this.onKpi?.(d.kpi, d.rows)
        return
      default:
        return
    }
  }

  /** A compact telemetry item `{d, ts, m}` (test feed, benchmark). */
  private applyCompact(item: unknown): void {
    if (typeof item !== 'object' || item === null) {
      this.stats.badMessages++
      return
    }
    const message = item as Record<string, unknown>
    this.stats.messages++
    const id = (message.d ?? message.deviceId) as string | undefined
    const device = id === undefined ? -1 : this.indexOf(id)
    if (device < 0) {
      this.stats.unknownDevices++
      return
    }
    const ts = typeof message.ts === 'number' ? message.ts : Date.now()
    if (typeof message.m === 'object' && message.m !== null) this.telemetry(device, ts, message.m as Metrics)
  }

  private touch(device: number, ts: number): void {
    if (ts > this.updatedAt[device]!) this.updatedAt[device] = ts
    if (ts > this.stats.lastDataTs) this.stats.lastDataTs = ts
  }

  private telemetry(device: number, ts: number, m: Metrics): void {
    this.touch(device, ts)
    if (ts > this.telemetryAt[device]!) this.telemetryAt[device] = ts
    const kind = this.kind[device]
    // One metrics object per device, made on its first message; later messages merge into it in place.
    const latest = this.latest[device]
    if (latest) Object.assign(latest as Record<string, number>, m)
    else this.latest[device] = { ...m }
    let value = this.value[device]!
    let active = false
    if (kind === ELEVATOR) {
      value = m.floor ?? value
      active = (m.speed_ms ?? 0) > 0 || m.door_open === 1
      if (m.in_service === 0) return this.setValue(device, value, DeviceState.maintenance)
    } else if (kind === PUMP) {
      if (m.running !== undefined) active = m.running > 0
      else active = (m.flow_m3h ?? 0) > 0
      value = m.flow_m3h ?? (active ? value : 0)
    } else if (kind === METER) {
      if (m.power_kw !== undefined) this.addLoad(device, m.power_kw)
      value = m.power_kw ?? value
    } else if (kind === COUNTER) {
      value = m.present ?? (m.in_count ?? 0) + (m.out_count ?? 0)
      this.crowdVersion++
    } else if (kind === LIGHT) {
      active = m.lamp_on === 1
    }
    const current = this.state[device]
    // Telemetry means the device is reachable (no longer offline), but not that a fault or an alarm is over.
    const keep =
      current === DeviceState.alarm || current === DeviceState.fault || current === DeviceState.maintenance
    this.setValue(device, value, keep ? current : active ? DeviceState.active : DeviceState.ok)
  }

  private addLoad(device: number, powerKw: number): void {
    const b = this.building[device]!
    if (b < 0) return
    this.buildingLoadKw[b] = this.buildingLoadKw[b]! + powerKw - this.value[device]!
    this.energyVersion++
  }

  private applyStatus(device: number, status: string): void {
    const state =
      status === 'offline'
        ? DeviceState.offline
        : status === 'fault'
          ? DeviceState.fault
          : status === 'maintenance'
            ? DeviceState.maintenance
            : DeviceState.ok
    if (this.state[device] === DeviceState.alarm && state === DeviceState.ok) return
    this.setState(device, state)
  }

  private applyEvent(device: number, type: string): void {
    if (type === 'fault.raised') this.setState(device, DeviceState.fault)
    else if (type === 'fault.cleared' || type === 'maintenance.end') this.setState(device, DeviceState.ok)
    else if (type === 'maintenance.start') this.setState(device, DeviceState.maintenance)
    else if (type === 'pump.start') this.setState(device, DeviceState.active)
    else if (type === 'pump.stop') this.setValue(device, 0, DeviceState.ok)
  }

  private setValue(device: number, value: number, state: number): void {
    this.value[device] = value
    this.state[device] = state
    this.markDirty(device)
  }

  private setState(device: number, state: number): void {
    this.state[device] = state
    this.markDirty(device)
  }

  private markDirty(device: number): void {
    if (this.dirtyFlag[device]) return
    this.dirtyFlag[device] = 1
    this.onChange?.()
    const kind = this.kind[device]!
    this.dirtyQueue[kind]![this.dirtyCount[kind]!++] = device
  }
}

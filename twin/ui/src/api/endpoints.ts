/**
 * Every server URL the UI uses, in one place, with the response shapes it reads (the server's own types live in
 * analytics/ and api/routes/; the UI talks to them over HTTP only, so the parts it reads are restated here).
 * Routes: api/routes/twin.ts (scene), api/routes/analytics.ts (KPIs, device state, time machine),
 * api/routes/alarms.ts, api/routes/live.ts, and the predictions route. A route that answers 404 (not deployed)
 * makes the panel or layer that needs it say "no data".
 */
const q = encodeURIComponent

const analytics = (communityId: string) => `/api/v1/analytics/communities/${q(communityId)}`

/** Query string of a window: `from`/`to` as epoch ms. */
const window = (from: number, to: number) => `from=${Math.floor(from)}&to=${Math.ceil(to)}`

export const endpoints = {
  communities: '/api/v1/twin/communities',
  scene: (communityId: string) => `/api/v1/twin/communities/${q(communityId)}/scene`,
  /** Server-sent events; `?live=` on the page URL overrides it (benchmarks, tests). */
  live: (communityId: string) => `/api/v1/live?communityId=${q(communityId)}`,
  /** Alarms still needing attention (open, acknowledged, in progress), newest first. */
  alarms: (communityId: string) => `/api/v1/alarms?communityId=${q(communityId)}&active=true&limit=200`,
  acknowledge: (alarmId: string) => `/api/v1/alarms/${q(alarmId)}/acknowledge`,
  /** The live state of every device that has reported (latest metrics, status, event). */
  deviceStates: (communityId: string) => `${analytics(communityId)}/devices/state`,
  energy: (communityId: string) => `${analytics(communityId)}/energy?grain=hour`,
  /** Hourly occupancy per lot over the last day. */
  parking: (communityId: string) => `${analytics(communityId)}/parking`,
  complaints: (communityId: string) => `${analytics(communityId)}/complaints?period=week`,
  fees: (communityId: string) => `${analytics(communityId)}/fees`,
  workOrders: (communityId: string) => `${analytics(communityId)}/work-orders`,
  elevators: (communityId: string) => `${analytics(communityId)}/elevators`,
  /** Device states and alarms as they stood at `at`. */
  timeMachine: (communityId: string, at: number) =>
    `${analytics(communityId)}/time-machine?at=${Math.floor(at)}`,
  /** The compact replay stream of [from, to) (at most one day). */
  replay: (communityId: string, from: number, to: number) =>
    `${analytics(communityId)}/time-machine/replay?${window(from, to)}`,
  /** Failure risk of elevators and pumps (404 until the scoring job has a model: "no data"). */
  risk: (communityId: string) => `/api/v1/predictions/risk?communityId=${q(communityId)}`,
  /** Predictive alerts still needing attention (open, acknowledged), with their evidence. */
  predictiveAlerts: (communityId: string) =>
    `/api/v1/predictions/alerts?communityId=${q(communityId)}&state=active&limit=100`,
  /** Opens (or finds) the alert's maintenance work order (`workorder:create`). */
  alertWorkOrder: (alertId: number) => `/api/v1/predictions/alerts/${alertId}/work-order`,
  alertAcknowledge: (alertId: number) => `/api/v1/predictions/alerts/${alertId}/acknowledge`,
  /** The signed-in account: its role and permissions (which buttons to offer). */
  me: '/api/v1/me',
  /** Every unit of a building by number with its electricity use over the last day or week. */
  unitsEnergy: (communityId: string, buildingId: string, period: 'day' | 'week') =>
    `${analytics(communityId)}/buildings/${q(buildingId)}/units/energy?period=${period}`,
} as const

/** An alarm as the server sends it (`GET /alarms`, and inside `alarm` live events). Dates are ISO strings. */
export interface ServerAlarm {
  readonly id: number
  readonly ruleId: string
  readonly communityId: string
  readonly deviceId: string
  readonly deviceKind: string
  readonly severity: string
  /** open | acknowledged | in_progress | resolved */
  readonly state: string
  readonly message: string
  readonly value: number | null
  readonly openedAt: string
  readonly triggeredAt: string
  readonly clearedAt: string | null
}

/** Response of `endpoints.alarms`. */
export interface AlarmsResponse {
  readonly alarms: readonly ServerAlarm[]
}

/** One device's live state (`devices/state`, and the devices of a time-machine snapshot). */
export interface ServerDeviceState {
  readonly deviceId: string
  readonly kind: string
  /** Latest telemetry time, epoch ms, or null. */
  readonly ts: number | null
  readonly metrics: Readonly<Record<string, number>>
  readonly status: string | null
  readonly statusTs: number | null
  readonly event: { readonly type: string; readonly ts: number } | null
}

/** Response of `endpoints.deviceStates`. */
export interface DeviceStatesResponse {
  readonly at: number
  readonly devices: readonly ServerDeviceState[]
}

/** An alarm as a time-machine snapshot gives it. */
export interface AlarmAt {
  readonly id: number
  readonly deviceId: string
  readonly severity: string
  readonly message: string
  readonly state: string
  /** ISO time it entered that state. */
  readonly since: string
}

/** Response of `endpoints.timeMachine`. */
export interface SnapshotResponse {
  readonly at: number
  readonly devices: readonly ServerDeviceState[]
  readonly alarms: readonly AlarmAt[]
}

/** Response of `endpoints.replay`: telemetry columnar (indexes into `devices` and `metrics`). */
export interface ReplayResponse {
  readonly from: number
  readonly to: number
  readonly devices: readonly string[]
  readonly metrics: readonly string[]
  readonly telemetry: {
    readonly t: readonly number[]
    readonly d: readonly number[]
    readonly m: readonly number[]
    readonly v: readonly number[]
  }
  readonly status: readonly { t: number; d: string; status: string }[]
  readonly events: readonly { t: number; d: string; type: string }[]
  readonly alarms: readonly { t: number; alarmId: number; d: string; action: string; state: string }[]
  readonly truncated: boolean
}

/** Response of `endpoints.risk`: failure risk 0..1 per device (elevators, pumps). */
export interface RiskResponse {
  readonly items: readonly {
    deviceId: string
    kind: string
    risk: number
    hoursToFailure: number | null
    scoredAt: string
  }[]
}

/** One lot-hour of `endpoints.parking` (occupancy 0..1, null without a capacity). */
export interface ParkingRow {
  readonly lotId: string
  readonly t: number
  readonly capacity: number
  readonly occupancy: number | null
}

/** Response of `endpoints.parking`. */
export interface ParkingResponse {
  readonly rows: readonly ParkingRow[]
}

/** Response of `endpoints.energy`: kWh per building and hour. */
export interface EnergyResponse {
  readonly rows: readonly { buildingId: string; t: number; kwh: number }[]
}

/** Records KPIs say whether their table exists yet (`available`). */
export interface RecordsResponse<T> {
  readonly available: boolean
  readonly rows: readonly T[]
}

export type ComplaintsResponse = RecordsResponse<{
  buildingId: string
  location: string
  category: string
  t: number
  complaints: number
}>
export type FeesResponse = RecordsResponse<{ buildingId: string; month: string; due: number; paid: number }>
export type WorkOrdersResponse = RecordsResponse<{
  total: number
  resolved: number
  withinSla: number
  compliance: number | null
}>

/** Response of `endpoints.elevators`: availability 0..1 per elevator over the day. */
export interface ElevatorsResponse {
  readonly rows: readonly { deviceId: string; availability: number | null }[]
}

/** Response of `endpoints.me` (the parts the UI reads). */
export interface MeResponse {
  readonly role: string
  readonly permissions: readonly string[]
}

/** One piece of an alert's evidence: a feature that drove the risk, its recent value against the normal range. */
export interface AlertEvidence {
  readonly feature: string
  /** zh-CN then English, e.g. "关门时间 door close time". */
  readonly label: string
  readonly unit: string
  /** Share of the risk this feature explains, 0..1. */
  readonly share: number
  readonly value: number | null
  readonly normal: { readonly median: number; readonly low: number; readonly high: number } | null
  readonly trendPerDay: number | null
}

/** A predictive alert (`endpoints.predictiveAlerts`). Dates are ISO strings. */
export interface PredictiveAlert {
  readonly id: number
  readonly deviceId: string
  readonly kind: string
  /** open | acknowledged | cleared | resolved */
  readonly state: string
  readonly risk: number
  readonly lastRisk: number
  readonly hoursToFailure: number | null
  readonly evidence: readonly AlertEvidence[]
  readonly raisedAt: string
  readonly workOrderRef: string | null
}

/** Response of `endpoints.predictiveAlerts`. */
export interface PredictiveAlertsResponse {
  readonly items: readonly PredictiveAlert[]
}

/** Response of `endpoints.alertWorkOrder`. */
export interface AlertWorkOrderResponse {
  readonly alert: PredictiveAlert
  readonly workOrder: { readonly ref: string; readonly created: boolean }
}

/** Response of `endpoints.unitsEnergy`: units by number (no household or resident), kWh null when unmetered. */
export interface UnitsEnergyResponse {
  readonly buildingId: string
  readonly period: 'day' | 'week'
  readonly units: readonly {
    readonly unitId: string
    readonly number: string
    readonly floor: number
    readonly entrance: number
    readonly kwh: number | null
  }[]
}

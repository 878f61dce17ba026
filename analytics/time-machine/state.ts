/**
 * The time machine: the state of every device, alarm and headline KPI of a community at a past instant.
 *
 * Device state at t = each metric's last value at or before t (within the lookback), the last status at or before
 * t, the last event within the lookback — what the live tracker showed at t. Whole minutes come from the minute
 * rollup (each row's last value and its time); only the minute that contains t is read raw, and only for
 * the devices that reported in it, so the cost does not grow with history. Alarm state at t is rebuilt from the
 * lifecycle history in PostgreSQL.
 */
import type { ClickHouse, Postgres } from '../../data/index.ts'
import { rows } from '../clickhouse.ts'
import type { DeviceState } from '../live/device-state.ts'

const MINUTE = 60_000

export const TELEMETRY_AT = `
SELECT device_id AS deviceId, any(kind) AS kind, metric, argMax(v, ts) AS value, toUnixTimestamp64Milli(max(ts)) AS lastTs
FROM (
  SELECT device_id, kind, metric, last_ts AS ts, finalizeAggregation(v_last) AS v
  FROM telemetry_1m
  WHERE community_id = {community:String}
    AND t >= fromUnixTimestamp64Milli({from:Int64}) AND t < fromUnixTimestamp64Milli({minute:Int64})
  UNION ALL
  SELECT device_id, kind, metric, ts, v
  FROM telemetry
  ARRAY JOIN mapKeys(m) AS metric, mapValues(m) AS v
  WHERE community_id = {community:String}
    AND ts >= fromUnixTimestamp64Milli({minute:Int64}) AND ts <= fromUnixTimestamp64Milli({at:Int64})
    AND (kind, device_id) IN (
      SELECT kind, device_id FROM telemetry_1m
      WHERE community_id = {community:String} AND t = fromUnixTimestamp64Milli({minute:Int64}) AND metric != '')
)
GROUP BY deviceId, metric
ORDER BY deviceId, metric`

export const STATUS_AT = `
SELECT device_id AS deviceId, any(kind) AS kind, argMax(status, (ts, seq)) AS status,
       toUnixTimestamp64Milli(max(ts)) AS lastTs
FROM device_status
WHERE community_id = {community:String} AND ts <= fromUnixTimestamp64Milli({at:Int64})
GROUP BY deviceId`

export const EVENT_AT = `
SELECT device_id AS deviceId, any(kind) AS kind, argMax(type, (ts, seq)) AS type, toUnixTimestamp64Milli(max(ts)) AS lastTs
FROM device_events
WHERE community_id = {community:String}
  AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts <= fromUnixTimestamp64Milli({at:Int64})
GROUP BY deviceId`

const ALARMS_AT = `
SELECT a.id, a.rule_id AS "ruleId", a.device_id AS "deviceId", a.device_kind AS "deviceKind", a.severity,
       a.message, e.state, e.at AS "since", e.actor
FROM alarms a
JOIN LATERAL (
  SELECT state, at, actor FROM alarm_events WHERE alarm_id = a.id AND at <= $2 ORDER BY at DESC, id DESC LIMIT 1
) e ON true
WHERE a.community_id = $1 AND e.state <> 'resolved'
ORDER BY a.id`

/** An alarm as it stood at the instant. */
export interface AlarmAt {
  readonly id: number
  readonly ruleId: string
  readonly deviceId: string
  readonly deviceKind: string
  readonly severity: string
  readonly message: string
  readonly state: string
  /** When it entered that state. */
  readonly since: Date
  readonly actor: string | null
}

export interface TimeMachineOptions {
  readonly clickhouse: ClickHouse
  readonly postgres?: Postgres
  /** How far back a device's last telemetry and event are looked for, ms. */
  readonly lookbackMs: number
}

/** Device states of a community at `at` (epoch ms), by device id. */
export async function deviceStatesAt(
  options: TimeMachineOptions,
  communityId: string,
  at: number,
): Promise<DeviceState[]> {
  const minute = Math.floor(at / MINUTE) * MINUTE
  const from = Math.floor((at - options.lookbackMs) / MINUTE) * MINUTE
  const params = { community: communityId, at, minute, from }
  const [telemetry, statuses, events] = await Promise.all([
    rows<{ deviceId: string; kind: string; metric: string; value: number; lastTs: number }>(
      options.clickhouse,
      TELEMETRY_AT,
      params,
    ),
    rows<{ deviceId: string; kind: string; status: string; lastTs: number }>(
      options.clickhouse,
      STATUS_AT,
      params,
    ),
    rows<{ deviceId: string; kind: string; type: string; lastTs: number }>(
      options.clickhouse,
      EVENT_AT,
      params,
    ),
  ])
  type Building = { -readonly [K in keyof DeviceState]: DeviceState[K] } & { metrics: Record<string, number> }
  const states = new Map<string, Building>()
  const state = (deviceId: string, kind: string) => {
    let s: Building | undefined = states.get(deviceId)
    if (!s) {
      s = { deviceId, kind, ts: null, metrics: {}, status: null, statusTs: null, event: null }
      states.set(deviceId, s)
    }
    return s
  }
  for (const r of telemetry) {
    const s = state(r.deviceId, r.kind)
    s.metrics[r.metric] = r.value
    s.ts = Math.max(s.ts ?? r.lastTs, r.lastTs)
  }
  for (const r of statuses) Object.assign(state(r.deviceId, r.kind), { status: r.status, statusTs: r.lastTs })
  for (const r of events) state(r.deviceId, r.kind).event = { type: r.type, ts: r.lastTs }
  return [...states.values()].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0))
}

/** Alarms of a community that were active at `at`, with the state they were in. */
export async function alarmsAt(db: Postgres, communityId: string, at: number): Promise<AlarmAt[]> {
  return db.query<AlarmAt>(ALARMS_AT, [communityId, new Date(at)])
}

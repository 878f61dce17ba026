/**
 * The replay stream of an interval for the twin's time scrubber: start from `deviceStatesAt(from)`, then apply,
 * in time order, each metric's last value per minute, status changes, device events and alarm lifecycle events.
 * Compact: telemetry is columnar (parallel arrays, devices and metrics as indexes into two dictionaries), and
 * bounded by `maxSamples` (the answer says when it was cut).
 */
import type { ClickHouse, Postgres } from '../../data/index.ts'
import { rows } from '../clickhouse.ts'

const MINUTE = 60_000

export const REPLAY_TELEMETRY = `
SELECT device_id AS d, metric AS m, toUnixTimestamp(t) * 1000 AS at, argMaxMerge(v_last) AS v
FROM telemetry_1m
WHERE community_id = {community:String}
  AND t >= fromUnixTimestamp64Milli({from:Int64}) AND t < fromUnixTimestamp64Milli({to:Int64})
  AND (empty({kinds:Array(String)}) OR kind IN {kinds:Array(String)})
GROUP BY at, d, m
ORDER BY at, d, m
LIMIT {limit:UInt32}`

export const REPLAY_STATUS = `
SELECT toUnixTimestamp64Milli(ts) AS t, device_id AS d, status FROM device_status
WHERE community_id = {community:String}
  AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})
ORDER BY ts, seq LIMIT {limit:UInt32}`

export const REPLAY_EVENTS = `
SELECT toUnixTimestamp64Milli(ts) AS t, device_id AS d, type FROM device_events
WHERE community_id = {community:String}
  AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})
  AND (empty({kinds:Array(String)}) OR kind IN {kinds:Array(String)})
ORDER BY ts, seq LIMIT {limit:UInt32}`

const REPLAY_ALARMS = `
SELECT (extract(epoch FROM e.at) * 1000)::bigint AS t, e.alarm_id AS "alarmId", a.device_id AS d, e.action,
       e.state, e.actor
FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id
WHERE e.community_id = $1 AND e.at >= $2 AND e.at < $3
ORDER BY e.at, e.id LIMIT $4`

export interface ReplayStream {
  readonly from: number
  readonly to: number
  readonly devices: string[]
  readonly metrics: string[]
  /** Telemetry, one entry per (minute, device, metric): time, device index, metric index, last value. */
  readonly telemetry: { t: number[]; d: number[]; m: number[]; v: number[] }
  readonly status: { t: number; d: string; status: string }[]
  readonly events: { t: number; d: string; type: string }[]
  readonly alarms: {
    t: number
    alarmId: number
    d: string
    action: string
    state: string
    actor: string | null
  }[]
  /** True when a part hit `maxSamples` and the interval should be asked for in pieces. */
  readonly truncated: boolean
}

export interface ReplayQuery {
  readonly communityId: string
  readonly from: number
  readonly to: number
  /** Only these device kinds (all when empty). */
  readonly kinds?: readonly string[]
  readonly maxSamples?: number
}

/** The compact replay stream of [from, to) (minute-aligned for telemetry). */
export async function replay(
  clickhouse: ClickHouse,
  postgres: Postgres | undefined,
  q: ReplayQuery,
): Promise<ReplayStream> {
  const limit = q.maxSamples ?? 200_000
  const from = Math.floor(q.from / MINUTE) * MINUTE
  const params = { community: q.communityId, from, to: q.to, kinds: q.kinds ?? [], limit }
  const [samples, status, events, alarms] = await Promise.all([
    rows<{ d: string; m: string; at: number; v: number }>(clickhouse, REPLAY_TELEMETRY, params),
    rows<{ t: number; d: string; status: string }>(clickhouse, REPLAY_STATUS, params),
    rows<{ t: number; d: string; type: string }>(clickhouse, REPLAY_EVENTS, params),
    postgres
      ? postgres.query<ReplayStream['alarms'][number]>(REPLAY_ALARMS, [
          q.communityId,
          new Date(q.from),
          new Date(q.to),
          limit,
        ])
      : Promise.resolve([]),
  ])
  const deviceIndex = new Map<string, number>()
  const metricIndex = new Map<string, number>()
  const index = (map: Map<string, number>, key: string) => {
    let i = map.get(key)
    if (i === undefined) map.set(key, (i = map.size))
    return i
  }
  const telemetry = { t: [] as number[], d: [] as number[], m: [] as number[], v: [] as number[] }
  for (const s of samples) {
    telemetry.t.push(s.at)
    telemetry.d.push(index(deviceIndex, s.d))
    telemetry.m.push(index(metricIndex, s.m))
    telemetry.v.push(s.v)
  }
  return {
    from: q.from,
    to: q.to,
    devices: [...deviceIndex.keys()],
    metrics: [...metricIndex.keys()],
    telemetry,
    status,
    events,
    alarms: alarms.map((a) => ({ ...a, t: Number(a.t) })),
    truncated: [samples, status, events, alarms].some((part) => part.length >= limit),
  }
}

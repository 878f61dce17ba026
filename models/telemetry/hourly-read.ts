/**
 * Runs the hourly aggregate query (hourly-sql.ts) and returns its rows as `HourlyRow`s: hour as epoch ms, NaN
 * aggregates as null. Used by the history builder (training) and the feature store refresh (scoring).
 */
import type { ClickHouse } from '../../data/index.ts'
import type { HourlyRow } from '../fleet/series.ts'
import { hourlySql } from './hourly-sql.ts'
import type { PredictiveKind } from './hourly-sql.ts'

const HOUR = 3_600_000

interface Wire {
  device_id: string
  community_id: string
  hour_ms: number
  f: Record<string, number | null>
}

/** Hourly aggregates of every device of `kind` for the whole hours in [from, to) (epoch ms). */
export async function queryHourly(
  store: ClickHouse,
  kind: PredictiveKind,
  from: number,
  to: number,
  database?: string,
): Promise<HourlyRow[]> {
  const result = await store.client.query({
    query: `SELECT device_id, community_id, toInt64(toUnixTimestamp(hour)) * 1000 AS hour_ms, f
FROM (${hourlySql(kind, database)})`,
    query_params: { kind, from: Math.floor(from / HOUR) * HOUR, to: Math.floor(to / HOUR) * HOUR },
    format: 'JSONEachRow',
  })
  const rows = await result.json<Wire>()
  return rows.map((r) => ({ deviceId: r.device_id, communityId: r.community_id, hour: r.hour_ms, f: r.f }))
}

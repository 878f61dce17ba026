/**
 * `model_features_1h` (ClickHouse migration 10): the hourly aggregates the models read, refreshed from raw
 * telemetry by the same query that builds training histories (telemetry/hourly-sql.ts). The scoring job
 * recomputes the last few hours before each run (late data replaces the old row), backfills a device kind's
 * whole lookback on its first run, and reads its feature window from here: three weeks of ~900 devices is
 * ~450k small rows instead of ~100 M raw ones.
 */
import type { ClickHouse } from '../../data/index.ts'
import type { HourlyRow } from '../fleet/series.ts'
import { hourlySql } from '../telemetry/hourly-sql.ts'
import type { PredictiveKind } from '../telemetry/hourly-sql.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

const LATEST_HOUR_SQL = `
SELECT toInt64(toUnixTimestamp(max(hour))) * 1000 AS latest, count() AS n
FROM model_features_1h
WHERE kind = {kind:String}`

const WINDOW_SQL = `
SELECT device_id, community_id, toInt64(toUnixTimestamp(hour)) * 1000 AS hour_ms, f
FROM model_features_1h FINAL
WHERE kind = {kind:String}
  AND hour >= toDateTime(intDiv({from:Int64}, 1000), 'UTC') AND hour < toDateTime(intDiv({to:Int64}, 1000), 'UTC')`

export class FeatureStore {
  constructor(private readonly store: ClickHouse) {}

  /** Recomputes the hourly aggregates of `kind` for the whole hours in [from, to), a day per statement. */
  async refresh(kind: PredictiveKind, from: number, to: number): Promise<void> {
    const start = Math.floor(from / HOUR) * HOUR
    const end = Math.floor(to / HOUR) * HOUR
    for (let a = start; a < end; a += DAY) {
      const b = Math.min(end, a + DAY)
      await this.store.client.command({
        query: `INSERT INTO model_features_1h (kind, community_id, device_id, hour, f, computed_at)
SELECT {kind:String}, community_id, device_id, hour, f, now64(3) FROM (${hourlySql(kind)})`,
        query_params: { kind, from: a, to: b },
      })
    }
  }

  /** Start of the newest stored hour of `kind` (epoch ms), or null when none is stored. */
  async latestHour(kind: PredictiveKind): Promise<number | null> {
    const result = await this.store.client.query({
      query: LATEST_HOUR_SQL,
      query_params: { kind },
      format: 'JSONEachRow',
    })
    const [row] = await result.json<{ latest: number; n: number }>()
    return row && row.n > 0 ? row.latest : null
  }

  /** Every stored hour of `kind` in [from, to), all devices. */
  async window(kind: PredictiveKind, from: number, to: number): Promise<HourlyRow[]> {
    const result = await this.store.client.query({
      query: WINDOW_SQL,
      query_params: { kind, from, to },
      format: 'JSONEachRow',
    })
    const rows = await result.json<{
      device_id: string
      community_id: string
      hour_ms: number
      f: Record<string, number | null>
    }>()
    return rows.map((r) => ({ deviceId: r.device_id, communityId: r.community_id, hour: r.hour_ms, f: r.f }))
  }
}

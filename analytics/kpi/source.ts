/**
 * A rollup level as a query source. The hour and day tables are complete only below their watermarks (see
 * ../rollup/refresh.ts); above them the finer levels fill in, re-bucketed on the fly. Every branch carries the
 * caller's filter on base columns, so each reads only its key range:
 *
 *   hour = telemetry_1h [.. hourUntil)  ∪  telemetry_1m [hourUntil ..) as hours
 *   day  = telemetry_1d [.. dayUntil)   ∪  telemetry_1h [dayUntil .. hourUntil) as days  ∪  telemetry_1m [max ..) as days
 *
 * The watermark conditions name the table's own column (`telemetry_1m.t`): a bare `t` in WHERE would be the
 * re-bucketed alias (ClickHouse resolves aliases first), which would put a day's minutes before the hour watermark
 * and drop them. The caller's filter is meant for the bucket, so it reads the alias.
 *
 * Rows are partial aggregates (v_min, v_max, v_sum, v_count, last_ts, and v_last, an argMax state) with a bucket
 * `t`; the caller groups them with min/max/sum/argMaxMerge, which is correct however they are split across
 * branches and parts.
 *
 * Parameters the SQL expects: {hour_until:Int64}, {day_until:Int64} and {minute_from:Int64} (epoch ms; see
 * `watermarkParams`), {tz:String}, plus the filter's.
 */
import type { Watermarks } from '../rollup/refresh.ts'

export type Level = 'minute' | 'hour' | 'day'

/** Builds the subquery that reads a level with a filter: `source`, or `rawSource` for comparisons. */
export type SourceFn = (level: Level, filter: string) => string

const COLUMNS = 'community_id, kind, metric, device_id, v_min, v_max, v_sum, v_count, last_ts, v_last'
const HOUR_UNTIL = 'fromUnixTimestamp64Milli({hour_until:Int64})'
const DAY_UNTIL = 'fromUnixTimestamp64Milli({day_until:Int64})'
// max(day_until, hour_until), computed by the caller: a constant the primary key can use (greatest() of two
// parameters is not folded before index analysis, and the branch then read the whole minute history).
const MINUTE_FROM = 'fromUnixTimestamp64Milli({minute_from:Int64})'

/**
 * The subquery (in parentheses) that reads `level` filtered by `filter`, a condition on community_id, kind,
 * metric, device_id and t (aligned to the level's buckets).
 */
export function source(level: Level, filter: string): string {
  switch (level) {
    case 'minute':
      return `(SELECT ${COLUMNS}, t FROM telemetry_1m WHERE ${filter})`
    case 'hour':
      return `(
  SELECT ${COLUMNS}, t FROM telemetry_1h WHERE ${filter} AND t < ${HOUR_UNTIL}
  UNION ALL
  SELECT ${COLUMNS}, toStartOfHour(t) AS t FROM telemetry_1m WHERE ${filter} AND telemetry_1m.t >= ${HOUR_UNTIL}
)`
    case 'day':
      return `(
  SELECT ${COLUMNS}, t FROM telemetry_1d WHERE ${filter} AND t < ${DAY_UNTIL}
  UNION ALL
  SELECT ${COLUMNS}, toStartOfDay(t, {tz:String}) AS t FROM telemetry_1h
    WHERE ${filter} AND telemetry_1h.t >= ${DAY_UNTIL} AND telemetry_1h.t < ${HOUR_UNTIL}
  UNION ALL
  SELECT ${COLUMNS}, toStartOfDay(t, {tz:String}) AS t FROM telemetry_1m
    WHERE ${filter} AND telemetry_1m.t >= ${MINUTE_FROM}
)`
  }
}

/**
 * The same rows computed from the raw `telemetry` table (one row per metric value, bucketed on the fly): the
 * question a panel asks, answered without rollups. For benchmarks and cross-checks, not for serving.
 */
export function rawSource(level: Level, filter: string): string {
  const bucket =
    level === 'minute'
      ? 'toStartOfMinute(ts)'
      : level === 'hour'
        ? 'toStartOfHour(ts)'
        : 'toStartOfDay(ts, {tz:String})'
  return `(SELECT community_id, kind, metric, device_id, v AS v_min, v AS v_max, v AS v_sum, toUInt64(1) AS v_count,
    ts AS last_ts, initializeAggregation('argMaxState', v, ts) AS v_last, ${bucket} AS t
  FROM telemetry ARRAY JOIN mapKeys(m) AS metric, mapValues(m) AS v
  WHERE ${filter})`
}

const DIM_BUILDING = `(SELECT device_id, building_id FROM device_dim FINAL
  WHERE community_id = {community:String} AND kind = {kind:String})`

/**
 * Daily counter increments with each device's building, (device_id, building_id, t, delta): closed days from
 * `counter_1d` (written by the refresh job), later days computed from the day level as `counterDeltas` does,
 * reading only the week before them. With `rawSource`, everything is computed from the raw table; with
 * `closedOnly`, only `counter_1d` is read.
 */
export function dayCounterDeltas(src: SourceFn = source, closedOnly = false): string {
  const live = (from: SourceFn, extra: string) => `
  SELECT x.device_id, d.building_id, x.t, x.delta
  FROM ${counterDeltas('day', from, extra)} AS x
  INNER JOIN ${DIM_BUILDING} AS d ON d.device_id = x.device_id`
  if (src !== source) return `(${live(src, '')})`
  const closed = `
  SELECT device_id, building_id, t, delta FROM counter_1d
  WHERE community_id = {community:String} AND kind = {kind:String} AND metric = {metric:String}
    AND t >= fromUnixTimestamp64Milli({from:Int64}) AND t < fromUnixTimestamp64Milli({to:Int64})`
  // A window that ends before the day table's watermark needs no live branch (callers check `to <= dayUntil`).
  if (closedOnly) return `(${closed})`
  return `(
  SELECT device_id, building_id, t, delta FROM counter_1d
  WHERE community_id = {community:String} AND kind = {kind:String} AND metric = {metric:String}
    AND t >= fromUnixTimestamp64Milli({from:Int64}) AND t < fromUnixTimestamp64Milli({to:Int64}) AND t < ${DAY_UNTIL}
  UNION ALL
  SELECT * FROM (${live(src, ` AND t >= fromUnixTimestamp64Milli({day_scan_from:Int64})`)}) WHERE t >= ${DAY_UNTIL}
)`
}

/** The watermark parameters of `source`. */
export function watermarkParams(w: Watermarks, tz: string): Record<string, number | string> {
  return {
    hour_until: w.hourUntil,
    day_until: w.dayUntil,
    minute_from: Math.max(w.hourUntil, w.dayUntil),
    // The baseline of days after the day table: its last week.
    day_scan_from: w.dayUntil - 7 * 86_400_000,
    tz,
  }
}

/** The standard time filter: `t` in [{from}, {to}) given as epoch ms. */
export const TIME_RANGE =
  't >= fromUnixTimestamp64Milli({from:Int64}) AND t < fromUnixTimestamp64Milli({to:Int64})'

/**
 * Per-device, per-bucket increments of a counter (energy register, run hours, trips, starts): the bucket's last
 * reading minus the previous bucket's last, or minus the bucket's first for a device's first bucket. Counters only
 * grow, so the last reading is the highest and the first the lowest: plain max/min, cheaper to read than the
 * argMax state.
 * A reading that went down (meter replaced) counts as 0. Reads from {scan_from}, before {from}, so that the first
 * bucket of the window has its baseline; callers keep `t >= {from}`.
 *
 * Expects {community:String}, {kind:String}, {metric:String}, {from:Int64} (minus a bucket: {scan_from:Int64}),
 * {to:Int64} and the watermark parameters.
 */
export function counterDeltas(level: Level, src: SourceFn = source, extraFilter = ''): string {
  const filter =
    'community_id = {community:String} AND kind = {kind:String} AND metric = {metric:String} ' +
    'AND t >= fromUnixTimestamp64Milli({scan_from:Int64}) AND t < fromUnixTimestamp64Milli({to:Int64})' +
    extraFilter
  return `(
  SELECT device_id, t, greatest(0, last - lagInFrame(last, 1, first) OVER w) AS delta
  FROM (
    SELECT device_id, t, max(v_max) AS last, min(v_min) AS first
    FROM ${src(level, filter)}
    GROUP BY device_id, t
  )
  WINDOW w AS (PARTITION BY device_id ORDER BY t ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
)`
}

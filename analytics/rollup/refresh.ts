/**
 * The rollup refresh job: computes the hour level from the minute level and the day level (in the configured time
 * zone) from the hour level, for buckets that have closed, and recomputes a bucket when data for it arrived after
 * it was computed (device backlogs, history replays). It does for hour and day what a refreshable materialized
 * view would, but incrementally and with late data handled: the minute view writes one marker row per hour and
 * insert with the insert time (see data/clickhouse/rollups.ts), and `rollup_progress` records when each bucket was
 * computed; a bucket is (re)computed when it has a marker newer than that.
 *
 * Queries read a level as "its table below the watermark, the finer levels above it" (see ../kpi/source.ts), so
 * the newest data is always included and nothing is counted twice.
 *
 * One instance should run the job (the ingest's process by default). Running two at once is safe but wasteful:
 * a bucket is deleted and rewritten whole.
 */
import type { ClickHouse } from '../../data/index.ts'
import { DIRTY_KIND } from '../../data/index.ts'
import { rows } from '../clickhouse.ts'

const HOUR = 3_600_000
/**
 * The INSERT … SELECTs write whole buckets, already aggregated: merging each block on insert again (the default,
 * `optimize_on_insert`) only costs time (measured: about a third of the insert's CPU).
 */
const WRITE_SETTINGS = { optimize_on_insert: 0 } as const
/** Longer than any insert takes from its marker's timestamp to its commit. */
const INSERT_MARGIN_MS = 30_000

/** Marked hours with their day (in the time zone), the newest marker, and the newest computation. */
const BUCKET_STATE = `
SELECT toUnixTimestamp(mk.t) * 1000 AS hour,
       toUnixTimestamp(toStartOfDay(mk.t, {tz:String})) * 1000 AS day,
       toUnixTimestamp(addDays(toStartOfDay(mk.t, {tz:String}), 1)) * 1000 AS dayEnd,
       mk.marked AS marked
FROM (
  SELECT t, toUnixTimestamp64Milli(max(last_ts)) AS marked
  FROM telemetry_1m WHERE community_id = '' AND kind = '${DIRTY_KIND}' AND metric = ''
  GROUP BY t
) AS mk
ORDER BY hour`

const PROGRESS = `
SELECT level, toUnixTimestamp(bucket) * 1000 AS bucket, toUnixTimestamp64Milli(max(computed_at)) AS computed
FROM rollup_progress WHERE time_zone IN ('UTC', {tz:String})
GROUP BY level, bucket`

const NOW = `SELECT toUnixTimestamp64Milli(now64(3)) AS now`

const DELETE_HOURS = `DELETE FROM telemetry_1h WHERE t >= fromUnixTimestamp64Milli({from:Int64}) AND t < fromUnixTimestamp64Milli({to:Int64})`
const DELETE_DAYS = `DELETE FROM telemetry_1d WHERE t >= fromUnixTimestamp64Milli({from:Int64}) AND t < fromUnixTimestamp64Milli({to:Int64})`

const INSERT_HOURS = `
INSERT INTO telemetry_1h
SELECT community_id, kind, metric, toStartOfHour(t) AS t, device_id,
       min(v_min), max(v_max), sum(v_sum), sum(v_count), max(last_ts), argMaxMergeState(v_last)
FROM telemetry_1m
WHERE t >= fromUnixTimestamp64Milli({from:Int64}) AND t < fromUnixTimestamp64Milli({to:Int64}) AND community_id != ''
GROUP BY community_id, kind, metric, t, device_id`

/** Metrics that are counters: their daily increments go to `counter_1d`. */
export const COUNTER_METRICS = ['energy_kwh', 'volume_m3', 'trips', 'run_hours', 'starts'] as const

const DELETE_COUNTERS = `DELETE FROM counter_1d WHERE t >= fromUnixTimestamp64Milli({from:Int64}) AND t < fromUnixTimestamp64Milli({to:Int64})`

/**
 * Daily increments of every counter in [from, to): each day's highest reading (counters only grow, so the highest
 * is the last) minus the one of the device's previous day with a reading (looked for up to 7 days back), or minus
 * the day's lowest reading for a device's first day; a reading that went down (meter replaced) counts as 0.
 */
const INSERT_COUNTERS = `
INSERT INTO counter_1d
SELECT x.community_id, x.kind, x.metric, x.t, ifNull(d.building_id, ''), x.device_id, x.delta
FROM (
  SELECT community_id, kind, metric, device_id, t,
         greatest(0, last - lagInFrame(last, 1, first)
           OVER (PARTITION BY community_id, kind, metric, device_id ORDER BY t ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) AS delta
  FROM (
    SELECT community_id, kind, metric, device_id, t, max(v_max) AS last, min(v_min) AS first
    FROM telemetry_1d
    WHERE metric IN {counters:Array(String)}
      AND t >= fromUnixTimestamp64Milli({from:Int64}) - toIntervalDay(7) AND t < fromUnixTimestamp64Milli({to:Int64})
    GROUP BY community_id, kind, metric, device_id, t
  )
) AS x
LEFT JOIN (SELECT device_id, any(building_id) AS building_id FROM device_dim GROUP BY device_id) AS d
  ON d.device_id = x.device_id
WHERE x.t >= fromUnixTimestamp64Milli({from:Int64})
SETTINGS join_use_nulls = 1`

const INSERT_DAYS = `
INSERT INTO telemetry_1d
SELECT community_id, kind, metric, toStartOfDay(t, {tz:String}) AS t, device_id,
       min(v_min), max(v_max), sum(v_sum), sum(v_count), max(last_ts), argMaxMergeState(v_last)
FROM telemetry_1h
WHERE t >= fromUnixTimestamp64Milli({from:Int64}) AND t < fromUnixTimestamp64Milli({to:Int64})
GROUP BY community_id, kind, metric, t, device_id`

/** Up to where each coarse table is complete: read it below, the finer levels at and above (epoch ms). */
export interface Watermarks {
  readonly hourUntil: number
  readonly dayUntil: number
}

export interface RefreshResult {
  /** Hour buckets computed (epoch ms). */
  readonly hours: number[]
  /** Day buckets computed (epoch ms of local midnight). */
  readonly days: number[]
  readonly watermarks: Watermarks
}

interface MarkedHour {
  readonly hour: number
  readonly day: number
  readonly dayEnd: number
  readonly marked: number
}

/** What to compute, from the marked hours and the progress so far: pure, tested without I/O. */
export function plan(
  marked: readonly MarkedHour[],
  progress: ReadonlyMap<string, number>,
  now: number,
  graceMs: number,
): { hours: number[]; days: { day: number; end: number }[]; watermarks: Watermarks } {
  const hours: number[] = []
  const dayMark = new Map<number, { end: number; marked: number }>()
  let hourUntil = Number.POSITIVE_INFINITY
  let lastHour = 0
  for (const m of marked) {
    const computed = progress.get(`hour:${m.hour}`)
    const closed = m.hour + HOUR + graceMs <= now
    const stale = computed === undefined || m.marked > computed
    if (stale && closed) hours.push(m.hour)
    // The table is complete only below the first bucket not (re)computed yet, closed or not.
    if (stale) hourUntil = Math.min(hourUntil, m.hour)
    lastHour = Math.max(lastHour, m.hour)
    const day = dayMark.get(m.day)
    dayMark.set(m.day, { end: m.dayEnd, marked: Math.max(day?.marked ?? 0, m.marked) })
  }
  if (hourUntil === Number.POSITIVE_INFINITY) hourUntil = marked.length > 0 ? lastHour + HOUR : 0
  const days: { day: number; end: number }[] = []
  let dayUntil = Number.POSITIVE_INFINITY
  let lastDayEnd = 0
  for (const [day, { end, marked: last }] of [...dayMark].sort((a, b) => a[0] - b[0])) {
    const computed = progress.get(`day:${day}`)
    const closed = end + graceMs <= now
    const stale = computed === undefined || last > computed
    if (stale && closed) days.push({ day, end })
    if (stale) dayUntil = Math.min(dayUntil, day)
    lastDayEnd = Math.max(lastDayEnd, end)
  }
  if (dayUntil === Number.POSITIVE_INFINITY) dayUntil = dayMark.size > 0 ? lastDayEnd : 0
  return { hours, days, watermarks: { hourUntil, dayUntil } }
}

/**
 * Consecutive buckets ([start, end) each, sorted) joined into ranges of at most `max` buckets that never cross a
 * multiple of `boundary` (ms): one INSERT … SELECT per range, each reading one partition of the level below.
 */
export function ranges(
  buckets: readonly (readonly [number, number])[],
  max: number,
  boundary = Number.POSITIVE_INFINITY,
): [number, number][] {
  const out: [number, number, number][] = []
  for (const [start, end] of buckets) {
    const last = out[out.length - 1]
    const crosses =
      Number.isFinite(boundary) && Math.floor(start / boundary) !== Math.floor((end - 1) / boundary)
    const sameBlock =
      last && Number.isFinite(boundary)
        ? Math.floor(last[0] / boundary) === Math.floor(start / boundary)
        : true
    if (last && last[1] === start && last[2] < max && sameBlock && !crosses) {
      last[1] = end
      last[2]++
    } else out.push([start, end, 1])
  }
  return out.map(([from, to]) => [from, to])
}

export interface RefresherOptions {
  /** Time zone of the day level (IANA). */
  readonly timezone: string
  /** A bucket is closed this long after its end (lets in-flight batches land), ms. */
  readonly graceMs?: number
  /** Most hours in one INSERT … SELECT. */
  readonly maxHoursPerInsert?: number
  /** How far before the run's start its buckets count as computed (see `run`); tests that insert and refresh at
   * once pass 0. */
  readonly insertMarginMs?: number
}

export class RollupRefresher {
  private cached: { at: number; watermarks: Watermarks } | null = null
  private running: Promise<RefreshResult> | null = null

  constructor(
    private readonly store: ClickHouse,
    private readonly options: RefresherOptions,
  ) {}

  /** Computes every closed bucket that is missing or stale; one run at a time. */
  refresh(): Promise<RefreshResult> {
    this.running ??= this.run().finally(() => {
      this.running = null
    })
    return this.running
  }

  /** Where the hour and day tables are complete; cached for a few seconds. */
  async watermarks(maxAgeMs = 5000): Promise<Watermarks> {
    if (this.cached && Date.now() - this.cached.at <= maxAgeMs) return this.cached.watermarks
    const { watermarks } = await this.state()
    this.cached = { at: Date.now(), watermarks }
    return watermarks
  }

  private async state() {
    const tz = this.options.timezone
    const [[clock], marked, progressRows] = await Promise.all([
      rows<{ now: number }>(this.store, NOW),
      rows<MarkedHour>(this.store, BUCKET_STATE, { tz }),
      rows<{ level: string; bucket: number; computed: number }>(this.store, PROGRESS, { tz }),
    ])
    const progress = new Map(progressRows.map((p) => [`${p.level}:${p.bucket}`, p.computed]))
    const now = clock?.now ?? Date.now()
    return { now, progress, ...plan(marked, progress, now, this.options.graceMs ?? 60_000) }
  }

  private async run(): Promise<RefreshResult> {
    const tz = this.options.timezone
    const { now, progress, hours, days } = await this.state()
    const { client } = this.store
    const hourBuckets = hours.map((h) => [h, h + HOUR] as const)
    // The minute level is partitioned by UTC day: one range per day at most.
    for (const [from, to] of ranges(hourBuckets, this.options.maxHoursPerInsert ?? 24, 24 * HOUR)) {
      const params = { from, to }
      let recomputed = false
      for (let h = from; h < to; h += HOUR) recomputed ||= progress.has(`hour:${h}`)
      if (recomputed) await client.command({ query: DELETE_HOURS, query_params: params })
      await client.command({ query: INSERT_HOURS, query_params: params, clickhouse_settings: WRITE_SETTINGS })
    }
    // Recorded a little before `now`: a marker stamped just before `now` whose insert was still being written
    // when the SELECT ran may not have been read, so its bucket must look stale once more.
    const computedAt = now - (this.options.insertMarginMs ?? INSERT_MARGIN_MS)
    if (hours.length > 0) await this.record('hour', hours, computedAt, 'UTC')
    // Days in runs of up to a month: the hour level is read once per run, not once per day.
    for (const [from, to] of ranges(
      days.map((d) => [d.day, d.end] as const),
      31,
    )) {
      const params = { from, to, tz }
      if (days.some((d) => d.day >= from && d.day < to && progress.has(`day:${d.day}`))) {
        await client.command({ query: DELETE_DAYS, query_params: params })
      }
      await client.command({ query: INSERT_DAYS, query_params: params, clickhouse_settings: WRITE_SETTINGS })
      if (days.some((d) => d.day >= from && d.day < to && progress.has(`day:${d.day}`))) {
        const next = progress.has(`day:${to}`) ? to + 24 * HOUR : to
        await client.command({ query: DELETE_COUNTERS, query_params: { ...params, to: next } })
      }
      // A changed day also changes the next day's increment (its baseline): include it when it was computed.
      const counterTo = progress.has(`day:${to}`) ? to + 24 * HOUR : to
      await client.command({
        query: INSERT_COUNTERS,
        query_params: { ...params, to: counterTo, counters: COUNTER_METRICS },
        clickhouse_settings: WRITE_SETTINGS,
      })
    }
    if (days.length > 0)
      await this.record(
        'day',
        days.map((d) => d.day),
        computedAt,
        tz,
      )
    // Markers that arrived during this run are newer than `now`, so their buckets stay stale for the next run.
    const after = await this.state()
    this.cached = { at: Date.now(), watermarks: after.watermarks }
    return { hours, days: days.map((d) => d.day), watermarks: after.watermarks }
  }

  private async record(level: 'hour' | 'day', buckets: readonly number[], computedAt: number, tz: string) {
    await this.store.client.insert({
      table: 'rollup_progress',
      format: 'JSONEachRow',
      values: buckets.map((b) => ({
        level,
        bucket: Math.floor(b / 1000),
        computed_at: computedAt,
        time_zone: tz,
      })),
    })
  }
}

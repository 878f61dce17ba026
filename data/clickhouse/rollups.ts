/**
 * Rollups of device data for the command center: telemetry per (device, metric) at 1 minute, 1 hour and 1 day,
 * device events per (device, type) and hour, `device_dim` (the device attributes the KPIs group by: building,
 * unit, gate, lot, zone; synced from PostgreSQL) and `rollup_progress` (which hour and day buckets are computed).
 *
 * Insert cost is paid by the ingest process (chDB runs views in-process), so only ONE view reads the raw
 * `telemetry` block: the minute view, which does the map → rows ARRAY JOIN and pre-aggregates the block. Measured
 * on this machine (5,000-message batches, CPU per message): no view 7–8 µs, minute view +6 µs, and a cascade of
 * hour and day views on top +10 µs more — a batch holds each device about once, so a cascade step shrinks nothing
 * and pays a second and third write. Hour and day buckets are therefore computed by a refresh job
 * (analytics/rollup/refresh.ts) once they close, from the level below, and recomputed when late data arrives.
 * To know which hours received data and when, the minute view adds one marker row per hour and insert block
 * (community '', kind '_dirty', t = the hour, last_ts = the insert time) to the same part as the data — so a
 * marker is visible exactly when its data is, and merges keep the latest insert time per hour.
 *
 * min, max, sum and count are SimpleAggregateFunctions (plain values); the last value by time is an argMax state
 * with its time beside it (`last_ts`), so it survives any merge order. Counters (energy registers, run hours,
 * trips, starts) become deltas at query time as `last(bucket) − last(previous bucket)`, exact across bucket edges.
 * Measured per 1M raw rows (3.3M metric values) grouped by the view: plain aggregates 2.4 s CPU, plus argMax
 * 3.0 s, plus (ts, value) tuples 6.0 s.
 *
 * On a cluster, tables are Replicated locals + Distributed (see ddl.ts), and each view reads and writes the local
 * tables of its node, so rollups shard with the raw rows (all by device).
 */
import { createTable, onCluster, type DdlContext, type TableSpec } from './ddl.ts'
import type { ClickHouse } from './types.ts'

/** Marker rows of the minute level: community '' never occurs in data (ids are non-empty). */
export const DIRTY_KIND = '_dirty'

const AGGREGATES = [
  'v_min SimpleAggregateFunction(min, Float64)',
  'v_max SimpleAggregateFunction(max, Float64)',
  'v_sum SimpleAggregateFunction(sum, Float64)',
  'v_count SimpleAggregateFunction(sum, UInt64)',
  // The last value by time: an argMax state (the cheapest mergeable "last" measured; a (ts, value) tuple under
  // max() cost twice as much per row), and its time as a plain max.
  "last_ts SimpleAggregateFunction(max, DateTime64(3, 'UTC'))",
  "v_last AggregateFunction(argMax, Float64, DateTime64(3, 'UTC'))",
]

/** The three telemetry levels and their partitioning. */
export const telemetryLevels = [
  { level: 'minute', table: 'telemetry_1m', partitionBy: 'toYYYYMMDD(t)' },
  { level: 'hour', table: 'telemetry_1h', partitionBy: 'toYYYYMM(t)' },
  { level: 'day', table: 'telemetry_1d', partitionBy: 'toYear(t)' },
] as const

export type RollupLevel = (typeof telemetryLevels)[number]['level']

function telemetryRollup(table: string, partitionBy: string): TableSpec {
  return {
    name: table,
    columns: [
      'community_id LowCardinality(String)',
      'kind LowCardinality(String)',
      'metric LowCardinality(String)',
      "t DateTime('UTC')",
      'device_id LowCardinality(String)',
      ...AGGREGATES,
    ],
    engine: 'AggregatingMergeTree',
    partitionBy,
    // Time before device: a panel reads one metric of one kind over a time range, across all devices.
    orderBy: '(community_id, kind, metric, t, device_id)',
    shardBy: 'cityHash64(device_id)',
    settings: 'ttl_only_drop_parts = 1',
  }
}

export const telemetryRollupTables: readonly TableSpec[] = telemetryLevels.map((l) =>
  telemetryRollup(l.table, l.partitionBy),
)

function eventRollup(table: string, partitionBy: string): TableSpec {
  return {
    name: table,
    columns: [
      'community_id LowCardinality(String)',
      'kind LowCardinality(String)',
      'type LowCardinality(String)',
      "t DateTime('UTC')",
      'device_id LowCardinality(String)',
      'n SimpleAggregateFunction(sum, UInt64)',
      "last_ts SimpleAggregateFunction(max, DateTime64(3, 'UTC'))",
    ],
    engine: 'AggregatingMergeTree',
    partitionBy,
    orderBy: '(community_id, kind, type, t, device_id)',
    shardBy: 'cityHash64(device_id)',
    settings: 'ttl_only_drop_parts = 1',
  }
}

export const eventRollupTable: TableSpec = eventRollup('device_events_1h', 'toYYYYMM(t)')

/** Which hour and day buckets the refresh job computed, and up to which marker time. */
export const rollupProgressTable: TableSpec = {
  name: 'rollup_progress',
  columns: [
    'level LowCardinality(String)',
    "bucket DateTime('UTC')",
    "computed_at DateTime64(3, 'UTC')",
    'time_zone LowCardinality(String)',
  ],
  engine: 'ReplacingMergeTree',
  orderBy: '(level, bucket)',
  shardBy: 'rand()',
}

/**
 * Device attributes the KPIs group by, synced from PostgreSQL's `devices` (plus each device's zone and lot
 * capacity). Grouping by building or zone must happen in the engine to keep panels fast; this small table is the
 * one copy of records in ClickHouse, and only of device placement (no personal data).
 */
export const deviceDimTable: TableSpec = {
  name: 'device_dim',
  columns: [
    'community_id LowCardinality(String)',
    'device_id String',
    'kind LowCardinality(String)',
    'building_id String',
    'unit_id String',
    'gate_id String',
    'lot_id String',
    'zone_id String',
    'zone_area_m2 Float64',
    'capacity UInt32',
    'public UInt8',
    'version UInt64',
  ],
  // No version argument: the last sync inserted wins, and ddl.ts can prefix the engine with Replicated as is.
  engine: 'ReplacingMergeTree',
  orderBy: '(community_id, device_id)',
  shardBy: 'cityHash64(device_id)',
}

/**
 * Daily increments of counters (energy and water registers, trips, run hours, starts) per device, with the device's
 * building: written by the refresh job for each closed local day, so that day-level counter panels (energy by
 * building per day and month, households over 30 days) sum plain numbers instead of recomputing per-device deltas
 * (measured: the per-device window over 100k device-days cost ~3x the 50 ms panel budget).
 */
export const counterDeltasTable: TableSpec = {
  name: 'counter_1d',
  columns: [
    'community_id LowCardinality(String)',
    'kind LowCardinality(String)',
    'metric LowCardinality(String)',
    "t DateTime('UTC')",
    'building_id String',
    'device_id String',
    'delta SimpleAggregateFunction(sum, Float64)',
  ],
  engine: 'AggregatingMergeTree',
  partitionBy: 'toYear(t)',
  orderBy: '(community_id, kind, metric, t, building_id, device_id)',
  shardBy: 'cityHash64(device_id)',
}

/** The statements of the counter migration. */
export function counterStatements(ctx: DdlContext): string[] {
  return createTable(counterDeltasTable, ctx)
}

/** The table a view reads from or writes to on this topology: the local table on a cluster. */
function local(ctx: DdlContext, table: string): string {
  return `${ctx.database}.${table}${ctx.cluster ? '_local' : ''}`
}

function view(ctx: DdlContext, name: string, target: string, select: string): string {
  return (
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${ctx.database}.${name}${onCluster(ctx)}\n` +
    `TO ${local(ctx, target)}\nAS ${select}`
  )
}

/**
 * The minute view: raw telemetry block → one row per (device, metric, minute), plus one marker row per hour of
 * the block (an extra empty metric per message, folded by the GROUP BY into one row per hour).
 */
export function minuteView(ctx: DdlContext): string {
  return view(
    ctx,
    'telemetry_1m_mv',
    'telemetry_1m',
    `SELECT if(metric = '', '', community_id) AS community_id, if(metric = '', '${DIRTY_KIND}', kind) AS kind, metric,
  if(metric = '', toStartOfHour(ts), toStartOfMinute(ts)) AS t, if(metric = '', '', device_id) AS device_id,
  min(v) AS v_min, max(v) AS v_max, sum(v) AS v_sum, count() AS v_count,
  max(if(metric = '', now64(3), ts)) AS last_ts, argMaxState(v, ts) AS v_last
FROM ${local(ctx, 'telemetry')}
ARRAY JOIN arrayPushBack(mapKeys(m), '') AS metric, arrayPushBack(mapValues(m), 0) AS v
GROUP BY community_id, kind, metric, t, device_id`,
  )
}

/** The event view: raw events → counts per (device, type, hour). Events are few; one view is cheap. */
export function eventView(ctx: DdlContext): string {
  return view(
    ctx,
    'device_events_1h_mv',
    'device_events_1h',
    `SELECT community_id, kind, type, toStartOfHour(ts) AS t, device_id, count() AS n, max(ts) AS last_ts
FROM ${local(ctx, 'device_events')}
GROUP BY community_id, kind, type, t, device_id`,
  )
}

/** Every statement of the rollup migration, in dependency order (targets before the views that feed them). */
export function rollupStatements(ctx: DdlContext): string[] {
  return [
    ...telemetryRollupTables.flatMap((spec) => createTable(spec, ctx)),
    ...createTable(eventRollupTable, ctx),
    ...createTable(deviceDimTable, ctx),
    ...createTable(rollupProgressTable, ctx),
    minuteView(ctx),
    eventView(ctx),
  ]
}

/** Days each rollup level is kept; 0 keeps it forever. */
export interface RollupRetention {
  readonly minuteDays: number
  readonly hourDays: number
  readonly dayDays: number
}

/** The TTL clause each rollup table should carry under `retention` (null = none), by table name. */
export function retentionClauses(retention: RollupRetention): Map<string, string | null> {
  const ttl = (days: number) => (days > 0 ? `t + toIntervalDay(${Math.floor(days)})` : null)
  return new Map([
    ['telemetry_1m', ttl(retention.minuteDays)],
    ['telemetry_1h', ttl(retention.hourDays)],
    ['device_events_1h', ttl(retention.hourDays)],
    ['telemetry_1d', ttl(retention.dayDays)],
    ['counter_1d', ttl(retention.dayDays)],
  ])
}

/** The ALTER statement that sets (or removes) one table's TTL. */
export function retentionStatement(ctx: DdlContext, table: string, clause: string | null): string {
  const target = `${ctx.database}.${table}${ctx.cluster ? '_local' : ''}${onCluster(ctx)}`
  return clause === null ? `ALTER TABLE ${target} REMOVE TTL` : `ALTER TABLE ${target} MODIFY TTL ${clause}`
}

const CURRENT_TTL = `SELECT name, engine_full FROM system.tables WHERE database = {db:String} AND name IN {names:Array(String)}`

/**
 * Applies the configured retention to the rollup tables. Retention is configuration, not schema: it is not a
 * migration (whose checksum would then change with the environment). Only a TTL that differs is altered, and
 * without rewriting existing parts: expired parts are dropped by later merges.
 */
export async function applyRollupRetention(store: ClickHouse, retention: RollupRetention): Promise<string[]> {
  const ctx: DdlContext = { database: store.database, cluster: store.cluster }
  const wanted = retentionClauses(retention)
  const suffix = ctx.cluster ? '_local' : ''
  const result = await store.client.query({
    query: CURRENT_TTL,
    format: 'JSONEachRow',
    query_params: { db: ctx.database, names: [...wanted.keys()].map((t) => t + suffix) },
  })
  const current = new Map(
    (await result.json<{ name: string; engine_full: string }>()).map((r) => [r.name, r.engine_full]),
  )
  const applied: string[] = []
  for (const [table, clause] of wanted) {
    const engine = current.get(table + suffix)
    if (engine === undefined) continue
    const has = /\bTTL\b/.test(engine)
    // engine_full prints the TTL back normalised; compare on the day count, which is all we vary.
    const days = /toIntervalDay\((\d+)\)/.exec(engine)?.[1]
    const want = clause === null ? null : (/toIntervalDay\((\d+)\)/.exec(clause)?.[1] ?? null)
    if (clause === null ? !has : has && days === want) continue
    const query = retentionStatement(ctx, table, clause)
    await store.client.command({ query, clickhouse_settings: { materialize_ttl_after_modify: 0 } })
    applied.push(query)
  }
  return applied
}

/**
 * DDL generation for single-node and cluster ClickHouse. On a single node a table is one MergeTree-family table;
 * with a cluster name, it becomes a Replicated local table on every node (`ON CLUSTER`) plus a Distributed table
 * of the same name that spreads rows by device, so queries read the same names either way.
 */

export interface TableSpec {
  readonly name: string
  /** Column definitions, one per entry, e.g. "ts DateTime64(3, 'UTC')". */
  readonly columns: readonly string[]
  /** MergeTree-family engine without the Replicated prefix, e.g. "ReplacingMergeTree" or "MergeTree". */
  readonly engine: string
  readonly orderBy: string
  readonly partitionBy?: string
  readonly ttl?: string
  /** Sharding expression for the Distributed table. */
  readonly shardBy?: string
  readonly settings?: string
}

export interface DdlContext {
  readonly database: string
  readonly cluster?: string | undefined
}

/** The statements that create `spec` in `ctx` (one on a single node, two on a cluster). */
export function createTable(spec: TableSpec, ctx: DdlContext): string[] {
  const body = (name: string, engine: string) =>
    [
      `CREATE TABLE IF NOT EXISTS ${ctx.database}.${name}${onCluster(ctx)}`,
      `(\n  ${spec.columns.join(',\n  ')}\n)`,
      `ENGINE = ${engine}`,
      spec.partitionBy ? `PARTITION BY ${spec.partitionBy}` : '',
      `ORDER BY ${spec.orderBy}`,
      spec.ttl ? `TTL ${spec.ttl}` : '',
      spec.settings ? `SETTINGS ${spec.settings}` : '',
    ]
      .filter(Boolean)
      .join('\n')
  if (!ctx.cluster) return [body(spec.name, spec.engine)]
  const local = `${spec.name}_local`
  const replicated = `Replicated${spec.engine}('/clickhouse/tables/{shard}/${ctx.database}/${local}', '{replica}')`
  return [
    body(local, replicated),
    `CREATE TABLE IF NOT EXISTS ${ctx.database}.${spec.name}${onCluster(ctx)} AS ${ctx.database}.${local}\n` +
      `ENGINE = Distributed(${ctx.cluster}, ${ctx.database}, ${local}, ${spec.shardBy ?? 'rand()'})`,
  ]
}

/** ` ON CLUSTER name` when a cluster is configured, else nothing. */
export function onCluster(ctx: DdlContext): string {
  return ctx.cluster ? ` ON CLUSTER ${ctx.cluster}` : ''
}

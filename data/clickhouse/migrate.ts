/**
 * Versioned ClickHouse schema migrations. Each migration is a list of statements generated for the configured
 * topology (single node or cluster); applied versions are recorded in `schema_migrations` with a checksum of
 * their statements, and a changed migration is refused.
 */
import { createHash } from 'node:crypto'
import { createTable, type DdlContext } from './ddl.ts'
import { deadLettersTable, deviceEventsTable, deviceStatusTable, telemetryTable } from './schema.ts'
import { counterStatements, rollupStatements } from './rollups.ts'
import { modelFeaturesTable, modelScoresTable } from './model-tables.ts'
import type { ClickHouse } from './types.ts'

export interface ClickHouseMigration {
  readonly version: number
  readonly name: string
  readonly statements: (ctx: DdlContext) => string[]
}

/** The migrations shipped with the code, in version order. */
export const clickhouseMigrations: readonly ClickHouseMigration[] = [
  {
    version: 1,
    name: 'device_data',
    statements: (ctx) => [
      ...createTable(telemetryTable, ctx),
      ...createTable(deviceEventsTable, ctx),
      ...createTable(deviceStatusTable, ctx),
      ...createTable(deadLettersTable, ctx),
    ],
  },
  {
    version: 2,
    name: 'rollups',
    statements: (ctx) => rollupStatements(ctx),
  },
  {
    version: 3,
    name: 'counter_deltas',
    statements: (ctx) => counterStatements(ctx),
  },
  // Predictive maintenance (issue 7) owns versions 10–19: model features and score history.
  {
    version: 10,
    name: 'model_features',
    statements: (ctx) => createTable(modelFeaturesTable, ctx),
  },
  {
    version: 11,
    name: 'model_scores',
    statements: (ctx) => createTable(modelScoresTable, ctx),
  },
]

export class ClickHouseMigrationError extends Error {
  override readonly name = 'ClickHouseMigrationError'
}

function checksum(statements: readonly string[]): string {
  return createHash('sha256').update(statements.join(';\n')).digest('hex')
}

/** Applies every migration not yet applied; returns the versions it applied. */
export async function migrateClickHouse(
  store: ClickHouse,
  migrations: readonly ClickHouseMigration[] = clickhouseMigrations,
): Promise<number[]> {
  const ctx: DdlContext = { database: store.database, cluster: store.cluster }
  const { client } = store
  // The ledger itself is local to each node: each node records what it ran.
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${ctx.database}.schema_migrations
      (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = MergeTree ORDER BY version`,
  })
  const result = await client.query({
    query: `SELECT version, checksum FROM ${ctx.database}.schema_migrations`,
    format: 'JSONEachRow',
  })
  const applied = new Map(
    (await result.json<{ version: number; checksum: string }>()).map((r) => [r.version, r.checksum]),
  )
  const done: number[] = []
  for (const migration of migrations) {
    const statements = migration.statements(ctx)
    const sum = checksum(statements)
    const previous = applied.get(migration.version)
    if (previous !== undefined) {
      if (previous !== sum) {
        throw new ClickHouseMigrationError(
          `ClickHouse migration ${migration.version}_${migration.name} was changed after it was applied; add a new migration instead`,
        )
      }
      continue
    }
    // DDL is not transactional in ClickHouse; every statement is IF NOT EXISTS so a retry after a crash completes.
    for (const query of statements) await client.command({ query })
    await client.insert({
      table: `${ctx.database}.schema_migrations`,
      values: [{ version: migration.version, name: migration.name, checksum: sum }],
      format: 'JSONEachRow',
    })
    done.push(migration.version)
  }
  return done
}

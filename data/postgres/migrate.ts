/**
 * Versioned PostgreSQL migrations: `migrations/NNNN_name.sql`, applied in order, each in its own transaction
 * under an advisory lock (so two processes starting together do not race), recorded with a checksum so that a
 * migration edited after it was applied is refused instead of silently diverging.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import type { Postgres } from './types.ts'

export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url)
/** An arbitrary constant that identifies our migration lock among other advisory locks. */
const MIGRATION_LOCK = 727_411_001

/** The migrations shipped with the code, in version order. */
export function bundledMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8'),
    }))
}

function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex')
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError'
}

/** Applies every migration not yet applied; returns the versions it applied. */
export async function migrate(
  db: Postgres,
  migrations: readonly Migration[] = bundledMigrations(),
): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`)
  const applied: number[] = []
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
      const [row] = await tx.query<{ checksum: string }>(
        'SELECT checksum FROM schema_migrations WHERE version = $1',
        [migration.version],
      )
      if (row) {
        if (row.checksum !== checksum(migration.sql)) {
          throw new MigrationError(
            `migration ${migration.version}_${migration.name} was changed after it was applied; add a new migration instead`,
          )
        }
        return false
      }
      await tx.exec(migration.sql)
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        checksum(migration.sql),
      ])
      return true
    })
    if (done) applied.push(migration.version)
  }
  return applied
}

/**
 * PGlite (PostgreSQL compiled to WASM, in-process) as a `Postgres`: the embedded default, one database under
 * DATA_DIR. PGlite is a single connection; it serialises queries and transactions itself.
 */
import { PGlite, types } from '@electric-sql/pglite'
import type { Postgres, Sql } from './types.ts'

const parsers = {
  [types.INT8]: (value: string) => Number(value),
  [types.NUMERIC]: (value: string) => value,
}

interface Queryable {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>
  exec(text: string): Promise<unknown>
}

function wrap(db: Queryable): Sql {
  return {
    async query<R>(text: string, params?: readonly unknown[]) {
      const result = await db.query<R>(text, params ? [...params] : undefined)
      return result.rows
    },
    async exec(script: string) {
      await db.exec(script)
    },
  }
}

/** Opens (creating if needed) a PGlite database in `dir`. */
export async function openPglite(dir: string): Promise<Postgres> {
  const db = await PGlite.create(dir, { parsers })
  const sql = wrap(db)
  return {
    kind: 'pglite',
    ...sql,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async version() {
      const [row] = await sql.query<{ v: string }>("SELECT current_setting('server_version') AS v")
      return row?.v ?? 'unknown'
    },
    close: () => db.close(),
  }
}

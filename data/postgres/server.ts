/**
 * A PostgreSQL server (DATABASE_URL) as a `Postgres`, through node-postgres with a pool. Type parsing is set per
 * pool so that rows look exactly like PGlite's.
 */
import pg from 'pg'
import type { Postgres, Sql } from './types.ts'

const INT8 = 20
const NUMERIC = 1700
const BYTEA = 17

const typeParsers = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (oid === INT8) return (value: string) => Number(value)
    if (oid === NUMERIC) return (value: string) => value
    if (oid === BYTEA) {
      const parseBytea = pg.types.getTypeParser(BYTEA) as (value: string) => Buffer
      return (value: string) => new Uint8Array(parseBytea(value))
    }
    return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown
  },
}

function wrap(client: pg.Pool | pg.PoolClient): Sql {
  return {
    async query<R>(text: string, params?: readonly unknown[]) {
      const result = await client.query({
        text,
        values: params ? [...params] : undefined,
        types: typeParsers,
      })
      return result.rows as R[]
    },
    async exec(script: string) {
      // Without parameters node-postgres uses the simple protocol, which accepts several statements.
      await client.query(script)
    },
  }
}

/** Connects to a PostgreSQL server and checks that it answers. */
export async function openServer(url: string, maxConnections = 10): Promise<Postgres> {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, connectionTimeoutMillis: 5_000 })
  // Errors on idle clients (a server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined)
  const sql = wrap(pool)
  try {
    await sql.query('SELECT 1')
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw error
  }
  return {
    kind: 'server',
    ...sql,
    async transaction(fn) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const result = await fn(wrap(client))
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw error
      } finally {
        client.release()
      }
    },
    async version() {
      const [row] = await sql.query<{ v: string }>("SELECT current_setting('server_version') AS v")
      return row?.v ?? 'unknown'
    },
    close: () => pool.end(),
  }
}

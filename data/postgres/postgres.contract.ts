/**
 * The contract every `Postgres` connection passes (PGlite and the server): the same cases, run by each
 * implementation's test file, so that services behave the same on both.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { bundledMigrations, migrate, MigrationError } from './migrate.ts'
import type { Postgres } from './types.ts'

/** Registers the contract cases for a connection made by `open` (a fresh, empty database each time). */
export function postgresContract(
  label: string,
  open: () => Promise<Postgres>,
  cleanup?: () => Promise<void>,
): void {
  describe(`Postgres contract: ${label}`, () => {
    let db: Postgres

    before(async () => {
      db = await open()
    })
    after(async () => {
      await db.close()
      await cleanup?.()
    })

    it('reports its kind and a version', async () => {
      assert.match(await db.version(), /^\d+(\.\d+)?/)
      assert.ok(db.kind === 'pglite' || db.kind === 'server')
    })

    it('applies the bundled migrations once, then none', async () => {
      const first = await migrate(db)
      assert.deepEqual(
        first,
        bundledMigrations().map((m) => m.version),
      )
      assert.deepEqual(await migrate(db), [])
      const rows = await db.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      )
      assert.deepEqual(
        rows.map((r) => r.version),
        first,
      )
    })

    it('refuses a migration that was edited after it was applied', async () => {
      const edited = bundledMigrations().map((m, i) => (i === 0 ? { ...m, sql: m.sql + '\n-- edited' } : m))
      await assert.rejects(migrate(db, edited), MigrationError)
    })

    it('binds parameters instead of interpolating them', async () => {
      const hostile = "x'); DROP TABLE companies; --"
      await db.query('INSERT INTO companies (id, name) VALUES ($1, $2)', ['co-bind', hostile])
      const [row] = await db.query<{ name: string }>('SELECT name FROM companies WHERE id = $1', ['co-bind'])
      assert.equal(row?.name, hostile)
    })

    it('returns the same JS types for int8, numeric, timestamptz, jsonb, bytea and bool', async () => {
      const [row] = await db.query<Record<string, unknown>>(
        `SELECT 9007199254740991::int8 AS big, 12.50::numeric(8,2) AS num, '2026-01-02T03:04:05Z'::timestamptz AS ts,
                '{"a":[1,2]}'::jsonb AS doc, '\\x0102ff'::bytea AS bin, true AS flag, NULL::text AS nothing`,
      )
      assert.ok(row)
      assert.equal(row.big, 9007199254740991)
      assert.equal(row.num, '12.50')
      assert.ok(row.ts instanceof Date)
      assert.equal(row.ts.toISOString(), '2026-01-02T03:04:05.000Z')
      assert.deepEqual(row.doc, { a: [1, 2] })
      assert.ok(row.bin instanceof Uint8Array)
      assert.deepEqual([...row.bin], [1, 2, 255])
      assert.equal(row.flag, true)
      assert.equal(row.nothing, null)
    })

    it('accepts bytea parameters and gives them back unchanged', async () => {
      const bytes = new Uint8Array([0, 1, 2, 250, 255])
      const [row] = await db.query<{ b: Uint8Array }>('SELECT $1::bytea AS b', [bytes])
      assert.deepEqual([...(row?.b ?? [])], [...bytes])
    })

    it('commits a transaction that resolves', async () => {
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO companies (id, name) VALUES ($1, $2)', ['co-commit', 'A'])
      })
      const rows = await db.query('SELECT 1 FROM companies WHERE id = $1', ['co-commit'])
      assert.equal(rows.length, 1)
    })

    it('rolls back a transaction that throws, and rethrows its error', async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO companies (id, name) VALUES ($1, $2)', ['co-rollback', 'B'])
          throw new Error('boom')
        }),
        /boom/,
      )
      const rows = await db.query('SELECT 1 FROM companies WHERE id = $1', ['co-rollback'])
      assert.equal(rows.length, 0)
    })

    it('rolls back when a statement inside the transaction fails', async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO companies (id, name) VALUES ($1, $2)', ['co-dup', 'C'])
          await tx.query('INSERT INTO companies (id, name) VALUES ($1, $2)', ['co-dup', 'C'])
        }),
      )
      const rows = await db.query('SELECT 1 FROM companies WHERE id = $1', ['co-dup'])
      assert.equal(rows.length, 0)
    })

    it('enforces the schema constraints', async () => {
      await assert.rejects(
        db.query(
          `INSERT INTO communities (id, company_id, name, city, district, address, lat, lon, boundary, roads, built_year)
           VALUES ('c-x', 'no-such-company', 'n', 'c', 'd', 'a', 0, 0, '[]', '{}', 2000)`,
        ),
        /foreign key/i,
      )
    })

    it('keeps the connection usable after a failed query', async () => {
      await assert.rejects(db.query('SELECT * FROM no_such_table'))
      const [row] = await db.query<{ one: number }>('SELECT 1 AS one')
      assert.equal(row?.one, 1)
    })
  })
}

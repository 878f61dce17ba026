/**
 * The contract every ClickHouse connection passes. `transportContract` is what any server must do through our
 * client (ping, DDL, insert, count); `schemaContract` needs a modern engine (chDB, or ClickHouse 24+) and checks
 * our migrations and the behaviours the ingest and analytics rely on.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ClickHouseMigrationError, clickhouseMigrations, migrateClickHouse } from './migrate.ts'
import { insertText } from './open.ts'
import type { ClickHouse } from './types.ts'

async function rows<T>(store: ClickHouse, query: string, params?: Record<string, unknown>): Promise<T[]> {
  const result = await store.client.query({ query, format: 'JSONEachRow', query_params: params })
  return result.json<T>()
}

/** Registers the transport cases: ping, version, create, insert, count, drop. Uses no query parameters. */
export function transportContract(label: string, open: () => Promise<ClickHouse>): void {
  describe(`ClickHouse transport: ${label}`, () => {
    let store: ClickHouse
    const table = `smoke_${process.pid}_${Date.now()}`
    before(async () => {
      store = await open()
    })
    after(async () => {
      await store.client.command({ query: `DROP TABLE IF EXISTS ${store.database}.${table}` })
      await store.close()
    })

    it('answers a ping and reports a version', async () => {
      const ping = await store.client.ping()
      assert.equal(ping.success, true)
      assert.match(await store.version(), /^\d+\.\d+/)
    })

    it('creates a table, inserts rows and counts them', async () => {
      await store.client.command({
        query: `CREATE TABLE ${store.database}.${table} (id UInt32, ts DateTime, v Float64) ENGINE = MergeTree ORDER BY (id, ts)`,
      })
      const values = Array.from({ length: 1000 }, (_, i) => ({ id: i % 10, ts: 1_700_000_000 + i, v: i / 2 }))
      await store.client.insert({ table: `${store.database}.${table}`, values, format: 'JSONEachRow' })
      const [count] = await rows<{ n: number | string }>(
        store,
        `SELECT count() AS n, sum(v) AS s FROM ${store.database}.${table}`,
      )
      assert.equal(Number(count?.n), 1000)
    })

    it('inserts pre-encoded TabSeparated rows (insertText), and rejects rows that do not parse', async () => {
      const body = Buffer.from('100\t2023-11-14 22:13:20\t0.25\n101\t2023-11-14 22:13:21\t0.75\n')
      await insertText(store, { table, columns: ['id', 'ts', 'v'], format: 'TabSeparated', body })
      const [count] = await rows<{ n: number | string }>(
        store,
        `SELECT count() AS n FROM ${store.database}.${table} WHERE id >= 100 AND v IN (0.25, 0.75)`,
      )
      assert.equal(Number(count?.n), 2)
      await assert.rejects(
        insertText(store, {
          table,
          columns: ['id', 'ts', 'v'],
          format: 'TabSeparated',
          body: Buffer.from('not a number\tx\ty\n'),
        }),
      )
    })

    it('reports a SQL error as a rejected promise and stays usable', async () => {
      await assert.rejects(
        store.client.query({ query: 'SELECT * FROM no_such_table_xyz', format: 'JSONEachRow' }),
      )
      const [row] = await rows<{ one: number }>(store, 'SELECT 1 AS one')
      assert.equal(Number(row?.one), 1)
    })
  })
}

/** Registers the schema cases on a modern engine. */
export function schemaContract(label: string, open: () => Promise<ClickHouse>): void {
  describe(`ClickHouse schema: ${label}`, () => {
    let store: ClickHouse
    before(async () => {
      store = await open()
    })
    after(async () => {
      await store.close()
    })

    it('applies the migrations once, then none', async () => {
      assert.deepEqual(
        await migrateClickHouse(store),
        clickhouseMigrations.map((m) => m.version),
      )
      assert.deepEqual(await migrateClickHouse(store), [])
      const tables = await rows<{ name: string }>(
        store,
        'SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name',
        { db: store.database },
      )
      for (const name of ['dead_letters', 'device_events', 'device_status', 'telemetry']) {
        assert.ok(
          tables.some((t) => t.name === name),
          `missing table ${name}`,
        )
      }
    })

    it('refuses a migration that changed after it was applied', async () => {
      const changed = clickhouseMigrations.map((m) => ({ ...m, statements: () => ['SELECT 1'] }))
      await assert.rejects(migrateClickHouse(store, changed), ClickHouseMigrationError)
    })

    it('stores millisecond timestamps sent as JSON numbers exactly', async () => {
      const ts = Date.UTC(2026, 10, 25, 8, 30, 15, 123)
      await store.client.insert({
        table: 'telemetry',
        values: [
          {
            community_id: 'c-t',
            kind: 'water_pump',
            device_id: 'p1',
            ts,
            seq: 1,
            m: { flow: 12.5 },
            received_at: ts,
          },
        ],
        format: 'JSONEachRow',
      })
      const [row] = await rows<{ ms: number; flow: number }>(
        store,
        "SELECT toUnixTimestamp64Milli(ts) AS ms, m['flow'] AS flow FROM telemetry WHERE device_id = {d:String}",
        { d: 'p1' },
      )
      assert.equal(Number(row?.ms), ts)
      assert.equal(row?.flow, 12.5)
    })

    it('binds query parameters, so hostile input is data', async () => {
      const hostile = "p1' OR 1=1 --"
      const found = await rows(store, 'SELECT * FROM telemetry WHERE device_id = {d:String}', { d: hostile })
      assert.equal(found.length, 0)
    })

    it('stores a retried insert of the same batch once (insert deduplication token)', async () => {
      const ts = Date.UTC(2026, 10, 25, 9, 0, 0)
      const batch = [1, 2, 3].map((seq) => ({
        community_id: 'c-t',
        kind: 'elevator',
        device_id: 'e1',
        ts: ts + seq,
        seq,
        m: { current: seq },
        received_at: ts,
      }))
      const settings = { insert_deduplication_token: 'batch-e1-1' }
      await store.client.insert({
        table: 'telemetry',
        values: batch,
        format: 'JSONEachRow',
        clickhouse_settings: settings,
      })
      await store.client.insert({
        table: 'telemetry',
        values: batch,
        format: 'JSONEachRow',
        clickhouse_settings: settings,
      })
      const [count] = await rows<{ n: number }>(
        store,
        "SELECT count() AS n FROM telemetry WHERE device_id = 'e1'",
      )
      assert.equal(Number(count?.n), 3)
    })

    it('stores a retried text insert of the same batch once (deduplication token in the insert)', async () => {
      const ts = Date.UTC(2026, 10, 25, 9, 0, 0) / 1000
      const body = Buffer.from(
        [1, 2, 3]
          .map((seq) => `c-t\televator\te2\t${ts + seq}.5\t${seq}\t{'current':${seq}}\t${ts}.000\n`)
          .join(''),
      )
      const insert = {
        table: 'telemetry',
        columns: ['community_id', 'kind', 'device_id', 'ts', 'seq', 'm', 'received_at'],
        format: 'TabSeparated',
        body,
        settings: { insert_deduplication_token: 'text-batch-e2-1' },
      } as const
      await insertText(store, insert)
      await insertText(store, insert)
      const found = await rows<{ ms: number; current: number }>(
        store,
        "SELECT toUnixTimestamp64Milli(ts) AS ms, m['current'] AS current FROM telemetry WHERE device_id = 'e2' ORDER BY seq",
      )
      assert.deepEqual(
        found.map((r) => [Number(r.ms), r.current]),
        [1, 2, 3].map((seq) => [(ts + seq) * 1000 + 500, seq]),
      )
    })

    it('keeps binary dead-letter payloads byte for byte', async () => {
      const payload = Buffer.from([0xff, 0x00, 0x7b, 0x22, 0xc3])
      await store.client.insert({
        table: 'dead_letters',
        values: [
          {
            received_at: Date.now(),
            source: 'mqtt',
            topic: 't/x',
            device_id: '',
            reason: 'not_json',
            detail: 'test',
            payload_base64: payload.toString('base64'),
            payload_bytes: payload.length,
          },
        ],
        format: 'JSONEachRow',
      })
      const [row] = await rows<{ hex: string }>(
        store,
        "SELECT hex(base64Decode(payload_base64)) AS hex FROM dead_letters WHERE topic = 't/x'",
      )
      assert.equal(row?.hex, 'FF007B22C3')
    })
  })
}

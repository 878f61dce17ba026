import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { migrateClickHouse } from './migrate.ts'
import { openClickHouse } from './open.ts'
import { applyRollupRetention, rollupStatements } from './rollups.ts'
import type { ClickHouse } from './types.ts'
import { tempDir } from '../testing/temp-dir.ts'

describe('rollupStatements on a cluster', () => {
  const ddl = rollupStatements({ database: 'db', cluster: 'main' })

  it('creates replicated local rollup tables and distributed tables of the same names', () => {
    const local = ddl.find((s) =>
      s.startsWith('CREATE TABLE IF NOT EXISTS db.telemetry_1h_local ON CLUSTER main'),
    )
    assert.ok(local, 'no local hour table')
    assert.match(
      local,
      /ENGINE = ReplicatedAggregatingMergeTree\('\/clickhouse\/tables\/\{shard\}\/db\/telemetry_1h_local', '\{replica\}'\)/,
    )
    assert.ok(
      ddl.some((s) =>
        /^CREATE TABLE IF NOT EXISTS db\.telemetry_1h ON CLUSTER main AS db\.telemetry_1h_local\nENGINE = Distributed\(main, db, telemetry_1h_local, cityHash64\(device_id\)\)$/.test(
          s,
        ),
      ),
    )
    assert.ok(
      ddl.some((s) =>
        s.includes(
          "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/db/device_dim_local', '{replica}')",
        ),
      ),
    )
  })

  it('has every view read and write local tables on its own node', () => {
    const views = ddl.filter((s) => s.startsWith('CREATE MATERIALIZED VIEW'))
    assert.equal(views.length, 2)
    for (const v of views) {
      assert.match(
        v,
        /^CREATE MATERIALIZED VIEW IF NOT EXISTS db\.\w+_mv ON CLUSTER main\nTO db\.\w+_local\n/,
      )
      assert.match(v, /FROM db\.\w+_local\n/)
    }
    const minute = views.find((v) => v.includes('telemetry_1m_mv'))
    assert.match(
      minute ?? '',
      /FROM db\.telemetry_local\nARRAY JOIN arrayPushBack\(mapKeys\(m\), ''\) AS metric, arrayPushBack\(mapValues\(m\), 0\) AS v/,
    )
  })

  it('creates every target table before the view that feeds it', () => {
    const position = (needle: string) => ddl.findIndex((s) => s.includes(needle))
    assert.ok(position('db.telemetry_1m_local ON CLUSTER') < position('telemetry_1m_mv'))
    assert.ok(position('db.device_events_1h_local ON CLUSTER') < position('device_events_1h_mv'))
  })
})

describe('rollups on a single node (chDB)', () => {
  const dir = tempDir('rollups-')
  let store: ClickHouse
  const rows = async <T>(query: string): Promise<T[]> =>
    (await store.client.query({ query, format: 'JSONEachRow' })).json<T>()

  before(async () => {
    store = await openClickHouse({ kind: 'chdb', path: dir.path, database: 'rollups' })
    await migrateClickHouse(store)
  })
  after(async () => {
    await store.close()
    dir.remove()
  })

  it('emits plain tables and views without ON CLUSTER', () => {
    for (const s of rollupStatements({ database: 'db' }))
      assert.doesNotMatch(s, /ON CLUSTER|Replicated|Distributed|_local/)
  })

  it('rolls raw telemetry up to minutes with min, max, sum, count and last, and marks the hours', async () => {
    const t0 = Date.UTC(2026, 0, 5, 10, 0, 0)
    const row = (seq: number, offsetS: number, m: Record<string, number>) => ({
      community_id: 'c1',
      kind: 'electricity_meter',
      device_id: 'm1',
      ts: t0 + offsetS * 1000,
      seq,
      m,
      received_at: t0,
    })
    const before = Date.now()
    // Two inserts, out of time order, so the merge must order first/last by time and not by arrival.
    await store.client.insert({
      table: 'telemetry',
      format: 'JSONEachRow',
      values: [row(1, 0, { energy_kwh: 100, power_kw: 2 }), row(3, 90, { energy_kwh: 103, power_kw: 4 })],
    })
    await store.client.insert({
      table: 'telemetry',
      format: 'JSONEachRow',
      values: [
        row(2, 30, { energy_kwh: 101, power_kw: 1 }),
        row(4, 3600 + 5, { energy_kwh: 110, power_kw: 3 }),
      ],
    })
    const s = t0 / 1000
    assert.deepEqual(
      await rows(`SELECT toUnixTimestamp(t) AS t, min(v_min) AS min, max(v_max) AS max,
          sum(v_sum) AS sum, sum(v_count) AS n, argMaxMerge(v_last) AS last
        FROM telemetry_1m WHERE device_id = 'm1' AND metric = 'power_kw' GROUP BY t ORDER BY t`),
      [
        { t: s, min: 1, max: 2, sum: 3, n: 2, last: 1 },
        { t: s + 60, min: 4, max: 4, sum: 4, n: 1, last: 4 },
        { t: s + 3600, min: 3, max: 3, sum: 3, n: 1, last: 3 },
      ],
    )
    const marks = await rows<{ t: number; marked: number }>(
      `SELECT toUnixTimestamp(t) AS t, toUnixTimestamp64Milli(max(last_ts)) AS marked
        FROM telemetry_1m WHERE community_id = '' AND kind = '_dirty' GROUP BY t ORDER BY t`,
    )
    assert.deepEqual(
      marks.map((m) => m.t),
      [s, s + 3600],
    )
    for (const m of marks) assert.ok(m.marked >= before - 1000 && m.marked <= Date.now() + 1000)
  })

  it('rolls device events up to hour and day counts', async () => {
    const t0 = Date.UTC(2026, 0, 5, 10, 0, 0)
    await store.client.insert({
      table: 'device_events',
      format: 'JSONEachRow',
      values: [0, 1, 2].map((i) => ({
        community_id: 'c1',
        kind: 'elevator',
        device_id: 'e1',
        type: 'trip.end',
        ts: t0 + i * 1800_000,
        seq: i,
        fields: '{}',
        received_at: t0,
      })),
    })
    const hours = await rows<{ t: number; n: number }>(
      "SELECT toUnixTimestamp(t) AS t, sum(n) AS n FROM device_events_1h WHERE device_id = 'e1' GROUP BY t ORDER BY t",
    )
    assert.deepEqual(hours, [
      { t: t0 / 1000, n: 2 },
      { t: t0 / 1000 + 3600, n: 1 },
    ])
  })

  it('applies retention as TTL only when it changed', async () => {
    const first = await applyRollupRetention(store, { minuteDays: 30, hourDays: 400, dayDays: 0 })
    assert.deepEqual(first, [
      'ALTER TABLE rollups.telemetry_1m MODIFY TTL t + toIntervalDay(30)',
      'ALTER TABLE rollups.telemetry_1h MODIFY TTL t + toIntervalDay(400)',
      'ALTER TABLE rollups.device_events_1h MODIFY TTL t + toIntervalDay(400)',
    ])
    assert.deepEqual(await applyRollupRetention(store, { minuteDays: 30, hourDays: 400, dayDays: 0 }), [])
    assert.deepEqual(await applyRollupRetention(store, { minuteDays: 30, hourDays: 0, dayDays: 0 }), [
      'ALTER TABLE rollups.telemetry_1h REMOVE TTL',
      'ALTER TABLE rollups.device_events_1h REMOVE TTL',
    ])
  })
})

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import {
  DeviceStateTracker,
  KpiService,
  RollupRefresher,
  syncDeviceDim,
  TimeMachine,
  writeDeviceDim,
} from '../../analytics/index.ts'
import {
  generateCommunity,
  loadCommunitySet,
  migrate,
  migrateClickHouse,
  openClickHouse,
  openPostgres,
  PiiCipher,
  type ClickHouse,
  type Postgres,
} from '../../data/index.ts'
import { tempDir } from '../../data/testing/temp-dir.ts'
import { ApiError } from '../http/errors.ts'
import { analyticsRoutes, type Caller } from './analytics.ts'

const guard =
  (permission: string): MiddlewareHandler =>
  async (c, next) => {
    if (!(c.req.header('x-test-perms') ?? '').split(',').includes(permission)) {
      throw new ApiError(403, 'forbidden', `may not ${permission}`)
    }
    await next()
  }
const caller = (c: Context): Caller => ({
  userId: 'u',
  communities: new Set((c.req.header('x-test-communities') ?? '').split(',')),
  permissions: new Set((c.req.header('x-test-perms') ?? '').split(',')),
})
const as = (perms: string, communities = 'c1') => ({
  headers: { 'x-test-perms': perms, 'x-test-communities': communities },
})

describe('analytics routes', () => {
  const dir = tempDir('analytics-routes-')
  let clickhouse: ClickHouse
  let postgres: Postgres
  let app: Hono
  let refresher: RollupRefresher
  const t0 = Date.UTC(2026, 2, 10, 2, 0)

  before(async () => {
    clickhouse = await openClickHouse({ kind: 'chdb', path: dir.path, database: 'routes' })
    await migrateClickHouse(clickhouse)
    postgres = await openPostgres({ kind: 'pglite', dir: 'memory://' })
    await migrate(postgres)
    await writeDeviceDim(clickhouse, [
      {
        community_id: 'c1',
        device_id: 'pc1',
        kind: 'people_counter',
        building_id: '',
        unit_id: '',
        gate_id: 'g1',
        lot_id: '',
        zone_id: 'g1',
        zone_area_m2: 0,
        capacity: 0,
        public: 0,
        version: 1,
      },
    ])
    await clickhouse.client.insert({
      table: 'telemetry',
      format: 'JSONEachRow',
      values: [
        {
          community_id: 'c1',
          kind: 'people_counter',
          device_id: 'pc1',
          ts: t0 + 60_000,
          seq: 1,
          m: { in_count: 4, out_count: 1 },
          received_at: t0,
        },
      ],
    })
    refresher = new RollupRefresher(clickhouse, { timezone: 'Asia/Shanghai' })
    const kpis = new KpiService({ clickhouse, postgres, refresher, timezone: 'Asia/Shanghai' })
    const timeMachine = new TimeMachine({ clickhouse, postgres, kpis, lookbackMs: 3_600_000 })
    app = new Hono()
    app.onError((error, c) =>
      error instanceof ApiError
        ? c.json({ error: { code: error.code, message: error.message } }, error.status)
        : c.json({ error: { code: 'internal', message: String(error) } }, 500),
    )
    app.route(
      '/api/v1',
      analyticsRoutes(
        { kpis, timeMachine, tracker: new DeviceStateTracker(), caller, records: postgres },
        guard,
      ),
    )
  })
  after(async () => {
    await clickhouse.close()
    await postgres.close()
    dir.remove()
  })

  const crowd = `/api/v1/analytics/communities/c1/crowd?from=${t0}&to=${t0 + 600_000}`

  it('answers a KPI for a community in scope', async () => {
    const res = await app.request(crowd, as('kpi:read'))
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {
      rows: [{ zoneId: 'g1', t: t0, in: 4, out: 1, net: 3, present: 0, densityPer100m2: null }],
    })
  })

  it('requires the permission, hides other communities as missing, and refuses bad windows', async () => {
    assert.equal((await app.request(crowd, as('telemetry:read'))).status, 403)
    assert.equal((await app.request(crowd, as('kpi:read', 'c2'))).status, 404)
    const backwards = `/api/v1/analytics/communities/c1/crowd?from=${t0}&to=${t0 - 1}`
    assert.equal((await app.request(backwards, as('kpi:read'))).status, 400)
    const iso = `/api/v1/analytics/communities/c1/crowd?from=2026-03-10T02:00:00Z&to=2026-03-10T02:10:00%2B00:00`
    assert.equal((await app.request(iso, as('kpi:read'))).status, 200)
    assert.equal(
      (await app.request(`/api/v1/analytics/communities/c1/crowd?from=yesterday`, as('kpi:read'))).status,
      400,
    )
  })

  it('serves the time machine and the records KPIs from the operations tables', async () => {
    const res = await app.request(
      `/api/v1/analytics/communities/c1/time-machine?at=${t0 + 120_000}`,
      as('telemetry:read'),
    )
    assert.equal(res.status, 200)
    const body = (await res.json()) as { devices: { deviceId: string; metrics: Record<string, number> }[] }
    assert.deepEqual(
      body.devices.map((d) => [d.deviceId, d.metrics]),
      [['pc1', { in_count: 4, out_count: 1 }]],
    )
    const fees = await app.request('/api/v1/analytics/communities/c1/fees', as('kpi:read'))
    // The billing tables exist (migration 0050) and hold no bills for this community yet.
    assert.deepEqual(await fees.json(), { available: true, rows: [] })
  })

  it('lists the units of a building by number with their electricity use, and nothing about residents', async () => {
    const set = generateCommunity({ profile: 'small', seed: 11 })
    await loadCommunitySet(postgres, new PiiCipher(randomBytes(32)), set)
    await syncDeviceDim(postgres, clickhouse)
    const community = set.communities[0]!
    const meters = community.devices.filter((d) => d.kind === 'electricity_meter' && d.unitId)
    const building = meters[0]!.buildingId!
    const [a, b] = meters.filter((m) => m.buildingId === building)
    // Two readings of each of two meters in the last hour: 1.5 and 0.25 kWh used.
    const now = Date.now()
    const reading = (deviceId: string, seq: number, at: number, kwh: number) => ({
      community_id: community.id,
      kind: 'electricity_meter',
      device_id: deviceId,
      ts: at,
      seq,
      m: { energy_kwh: kwh },
      received_at: at,
    })
    await clickhouse.client.insert({
      table: 'telemetry',
      format: 'JSONEachRow',
      values: [
        reading(a!.id, 1, now - 40 * 60_000, 100),
        reading(a!.id, 2, now - 10 * 60_000, 101.5),
        reading(b!.id, 1, now - 40 * 60_000, 20),
        reading(b!.id, 2, now - 10 * 60_000, 20.25),
      ],
    })
    await refresher.refresh()
    const path = `/api/v1/analytics/communities/${community.id}/buildings/${building}/units/energy`
    const res = await app.request(`${path}?period=week`, as('kpi:read', community.id))
    assert.equal(res.status, 200)
    const body = (await res.json()) as {
      period: string
      units: { unitId: string; number: string; floor: number; kwh: number | null }[]
    }
    assert.equal(body.period, 'week')
    const units = set.communities[0]!.units.filter((u) => u.buildingId === building)
    assert.equal(body.units.length, units.length)
    const kwh = new Map(body.units.map((u) => [u.unitId, u.kwh]))
    assert.equal(kwh.get(a!.unitId!), 1.5)
    assert.equal(kwh.get(b!.unitId!), 0.25)
    assert.equal(body.units.filter((u) => u.kwh !== null).length, 2, 'units without readings: null')
    // Units by number; no household, resident, name or phone travels.
    assert.deepEqual(Object.keys(body.units[0]!).sort(), [
      'entrance',
      'floor',
      'kwh',
      'number',
      'unitId',
      'usage',
    ])
    assert.doesNotMatch(JSON.stringify(body), /household|residentId|phone|"name"/i)

    assert.equal((await app.request(path, as('telemetry:read', community.id))).status, 403)
    // A building of another community (or none) reads as missing; so does a community outside the scope.
    const elsewhere = `/api/v1/analytics/communities/c1/buildings/${building}/units/energy`
    assert.equal((await app.request(elsewhere, as('kpi:read', 'c1'))).status, 404)
    assert.equal(
      (await app.request(path.replace(building, 'nope'), as('kpi:read', community.id))).status,
      404,
    )
    assert.equal((await app.request(path, as('kpi:read', 'c1'))).status, 404)
    // Bad input: a period other than day or week, or an unknown parameter.
    assert.equal((await app.request(`${path}?period=month`, as('kpi:read', community.id))).status, 400)
    assert.equal((await app.request(`${path}?x=1`, as('kpi:read', community.id))).status, 400)
  })
})

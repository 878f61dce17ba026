import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import {
  DeviceStateTracker,
  KpiService,
  RollupRefresher,
  TimeMachine,
  writeDeviceDim,
} from '../../analytics/index.ts'
import {
  migrate,
  migrateClickHouse,
  openClickHouse,
  openPostgres,
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
    const refresher = new RollupRefresher(clickhouse, { timezone: 'Asia/Shanghai' })
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
      analyticsRoutes({ kpis, timeMachine, tracker: new DeviceStateTracker(), caller }, guard),
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
})

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { OpenAPIHono } from '@hono/zod-openapi'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { LiveBus, type LiveEvent } from '../../analytics/index.ts'
import {
  generateCommunity,
  migrate,
  migrateClickHouse,
  openClickHouse,
  openPostgres,
  type ClickHouse,
  type Postgres,
} from '../../data/index.ts'
import { tempDir } from '../../data/testing/temp-dir.ts'
import { createSimulation } from '../../ingest/simulator/index.ts'
import { loadMessages, RecordingWorkOrderOpener, ScoringJob, startScoring } from '../../models/index.ts'
import type { DeviceScore, Evidence } from '../../models/index.ts'
import { ApiError } from '../http/errors.ts'
import type { Caller } from './analytics.ts'
import { predictionRoutes } from './predictions.ts'

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
const post = (perms: string, body: unknown) => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { ...as(perms).headers, 'content-type': 'application/json' },
})

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Fleet model versions trained by `npm run bench:models -- --only fleet --save-fleet models/fixtures/fleet`. */
const FLEET_FIXTURE = fileURLToPath(new URL('../../models/fixtures/fleet', import.meta.url))
const t0 = Date.UTC(2026, 2, 10, 2, 0)

const evidence: Evidence[] = [
  {
    feature: 'door_close_s',
    label: '关门时间 door close time',
    unit: 's',
    share: 0.8,
    contribution: 2.1,
    value: 3.9,
    normal: { median: 3.0, low: 2.8, high: 3.2 },
    deviation: 9,
    trendPerDay: 0.2,
  },
]

function score(
  deviceId: string,
  communityId: string,
  risk: number,
  ttf: number,
  capped: boolean,
): DeviceScore {
  return {
    deviceId,
    communityId,
    kind: 'elevator',
    at: t0,
    risk,
    ttfHours: ttf,
    ttfCapped: capped,
    anomaly: 0.5,
    anomalous: false,
    hoursReported: 24,
    evidence,
    inputs: new Float32Array([0, 1]),
  }
}

function errorApp(routes: OpenAPIHono): Hono {
  const app = new Hono()
  app.onError((error, c) =>
    error instanceof ApiError
      ? c.json({ error: { code: error.code, message: error.message } }, error.status)
      : c.json({ error: { code: 'internal', message: String(error) } }, 500),
  )
  app.route('/api/v1', routes)
  return app
}

// One chDB engine per process: both suites share it.
const dir = tempDir('prediction-routes-')
let clickhouse: ClickHouse
let postgres: Postgres

before(async () => {
  clickhouse = await openClickHouse({ kind: 'chdb', path: dir.path + '/chdb', database: 'predictions' })
  await migrateClickHouse(clickhouse)
  postgres = await openPostgres({ kind: 'pglite', dir: 'memory://' })
  await migrate(postgres)
})
after(async () => {
  await clickhouse.close()
  await postgres.close()
  dir.remove()
})

describe('prediction routes', () => {
  let app: Hono
  let job: ScoringJob
  let alertId: number

  before(async () => {
    job = new ScoringJob({ clickhouse, postgres, dataDir: dir.path + '/empty', now: () => t0 + HOUR })
    const run = { id: 1, model: 'pdm-elevator', version: 'v1', scoredAt: t0 + 60_000 }
    await job.scoreStore.write(run, [
      score('lift-a', 'c1', 0.91, 40, false),
      score('lift-b', 'c1', 0.02, 336, true),
      score('lift-z', 'c2', 0.99, 10, false),
    ])
    const runId = await job.alertStore.startRun({
      deviceKind: 'elevator',
      model: 'pdm-elevator',
      modelVersion: 'v1',
      trigger: 'schedule',
      windowEnd: t0,
      startedAt: t0,
    })
    for (const [deviceId, communityId] of [
      ['lift-a', 'c1'],
      ['lift-z', 'c2'],
    ] as const) {
      const alert = await job.alertStore.raise({
        communityId,
        deviceId,
        deviceKind: 'elevator',
        model: 'pdm-elevator',
        modelVersion: 'v1',
        risk: 0.91,
        ttfHours: 40,
        predictedFailureAt: t0 + 40 * HOUR,
        evidence,
        raisedAt: t0,
        runId,
      })
      if (deviceId === 'lift-a') alertId = alert!.id
    }
    app = errorApp(predictionRoutes({ job, caller, now: () => t0 + HOUR }, guard))
  })
  after(() => job.close())

  it('lists the latest risk of the devices of a community, highest first', async () => {
    const res = await app.request('/api/v1/predictions/risk?communityId=c1', as('prediction:read'))
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {
      items: [
        {
          deviceId: 'lift-a',
          kind: 'elevator',
          risk: 0.91,
          hoursToFailure: 40,
          scoredAt: new Date(t0 + 60_000).toISOString(),
        },
        {
          deviceId: 'lift-b',
          kind: 'elevator',
          risk: 0.02,
          hoursToFailure: null,
          scoredAt: new Date(t0 + 60_000).toISOString(),
        },
      ],
    })
  })

  it('requires prediction:read and hides communities outside the scope as missing', async () => {
    assert.equal((await app.request('/api/v1/predictions/risk?communityId=c1', as('kpi:read'))).status, 403)
    const other = await app.request('/api/v1/predictions/risk?communityId=c2', as('prediction:read'))
    assert.equal(other.status, 404)
    const missing = await app.request('/api/v1/predictions/risk?communityId=nope', as('prediction:read'))
    assert.equal(missing.status, 404)
    assert.deepEqual(await other.json(), await missing.json())
    assert.equal((await app.request('/api/v1/predictions/risk', as('prediction:read'))).status, 400)
    const extra = await app.request('/api/v1/predictions/risk?communityId=c1&x=1', as('prediction:read'))
    assert.equal(extra.status, 400)
  })

  it('lists alerts with their evidence, only within the scope, filtered by state', async () => {
    const res = await app.request('/api/v1/predictions/alerts', as('prediction:read'))
    assert.equal(res.status, 200)
    const { items } = (await res.json()) as {
      items: { id: number; communityId: string; evidence: Evidence[] }[]
    }
    assert.deepEqual(
      items.map((a) => [a.id, a.communityId]),
      [[alertId, 'c1']],
    )
    assert.deepEqual(items[0]!.evidence, evidence)
    const open = await app.request(
      '/api/v1/predictions/alerts?communityId=c1&state=open',
      as('prediction:read'),
    )
    assert.equal(((await open.json()) as { items: unknown[] }).items.length, 1)
    const cleared = await app.request(
      '/api/v1/predictions/alerts?communityId=c1&state=cleared',
      as('prediction:read'),
    )
    assert.equal(((await cleared.json()) as { items: unknown[] }).items.length, 0)
    assert.equal(
      (await app.request('/api/v1/predictions/alerts?communityId=c2', as('prediction:read'))).status,
      404,
    )
    assert.equal(
      (await app.request('/api/v1/predictions/alerts?state=bogus', as('prediction:read'))).status,
      400,
    )
  })

  it('scores on demand with model:manage only, with a strict body', async () => {
    assert.equal((await app.request('/api/v1/predictions/score', post('prediction:read', {}))).status, 403)
    assert.equal((await app.request('/api/v1/predictions/score', post('model:manage', { x: 1 }))).status, 400)
    const res = await app.request(
      '/api/v1/predictions/score',
      post('model:manage', { kinds: ['water_pump'] }),
    )
    assert.equal(res.status, 200)
    const { runs } = (await res.json()) as { runs: { kind: string; model: string | null; scored: number }[] }
    // No model saved under this data dir: the run says so instead of failing.
    assert.deepEqual(
      runs.map((r) => [r.kind, r.model, r.scored]),
      [['water_pump', null, 0]],
    )
  })
})

describe('predictive maintenance end to end', () => {
  it('turns a simulated degradation into rising risk, an alert, a work order with evidence, and a live event', async () => {
    // A small community whose one lift wears its door operator out over four days and fails; nothing else fails.
    // Nine days of history before the first run: the least that gives each lift a normal range (six days).
    const set = generateCommunity({ seed: 7, profile: 'small' })
    const lifts = set.communities.flatMap((c) => c.devices).filter((d) => d.kind === 'elevator')
    const worn = lifts[0]!
    const start = Date.parse('2026-02-02T00:00:00+08:00')
    const onset = start + 9 * DAY + 12 * HOUR
    const failure = start + 13 * DAY + 12 * HOUR
    const simulation = createSimulation({
      community: set.communities,
      seed: 7,
      start,
      end: failure,
      kinds: ['elevator'],
      faults: {
        rates: {
          elevatorDegradation: 0,
          pumpDegradation: 0,
          meterLeak: 0,
          stuckSensor: 0,
          offline: 0,
          renovation: 0,
        },
        inject: [{ deviceId: worn.id, fault: 'door_bearing_wear', onset, failure }],
      },
    })
    // The worn lift and one healthy one, straight into the ingest's tables as the ingest would have stored them.
    const watched = [worn, lifts[1]!]
    const ids = new Set(watched.map((d) => d.id))
    const messages = [...simulation.messages()].filter((m) => ids.has(simulation.devices[m.device]!.id))
    await loadMessages(clickhouse, messages)

    const bus = new LiveBus()
    const published: LiveEvent[] = []
    bus.subscribe((e) => published.push(e))
    const workOrders = new RecordingWorkOrderOpener((r) => `WO-${r.alertId}`)
    let clock = 0
    const scoring = startScoring({
      clickhouse,
      postgres,
      dataDir: FLEET_FIXTURE,
      bus,
      workOrders,
      schedule: false,
      now: () => clock,
    })
    // Every 3 hours from half a day before the onset to the failure (the policy counts runs, not hours).
    const runs: { at: number; risk: number }[] = []
    for (let at = onset - 12 * HOUR; at < failure; at += 3 * HOUR) {
      clock = at + 5 * 60_000
      const [report] = await scoring.job.run({ kinds: ['elevator'], trigger: 'schedule' })
      assert.equal(report!.scored, watched.length, `both lifts scored at ${new Date(at).toISOString()}`)
      const latest = await scoring.job.scoreStore.latest({ kind: 'elevator' }, at)
      runs.push({ at, risk: latest.find((s) => s.deviceId === worn.id)!.risk })
    }
    await scoring.close()
    const risks = runs.map((r) => r.risk)

    // Risk rises: low half a day before the onset, high the last day before the failure.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    const trace = `risks every 3 h: ${risks.map((r) => r.toFixed(2)).join(' ')}`
    assert.ok(mean(risks.slice(0, 4)) < 0.2, trace)
    assert.ok(mean(risks.slice(-8)) > 0.6, trace)

    // One alert, for the worn lift only (deduplicated over the runs), raised after the onset, before the failure.
    const alerts = await scoring.job.alertStore.list('all', { communityId: worn.communityId, limit: 50 })
    assert.deepEqual(
      alerts.map((a) => a.deviceId),
      [worn.id],
    )
    const [alert] = alerts
    assert.ok(alert!.raisedAt > onset && alert!.raisedAt < failure, trace)
    assert.ok(alert!.occurrences > 1, 'later runs saw it again without raising it twice')

    // The work order carries the evidence: door features, the recent value outside the device's normal range.
    assert.equal(workOrders.requests.length, 1)
    const [request] = workOrders.requests
    assert.equal(request!.deviceId, worn.id)
    assert.equal(request!.alertId, alert!.id)
    assert.equal(alert!.workOrderRef, `WO-${alert!.id}`)
    const top = request!.evidence[0]!
    assert.match(top.feature, /^(door_|reopen_rate)/)
    assert.ok(top.normal !== null && top.value !== null && top.value > top.normal.high, JSON.stringify(top))

    // Published live as an alarm event from the predictions.
    const live = published.filter((e) => (e.data as { source?: string }).source === 'prediction')
    assert.equal(live.length, 1)
    assert.equal(live[0]!.type, 'alarm')
    assert.equal((live[0]!.data as { deviceId: string; change: string }).deviceId, worn.id)

    // And the API shows it, with its evidence and work order.
    const routes = errorApp(predictionRoutes({ job: scoring.job, caller, now: () => clock }, guard))
    const communityId = worn.communityId
    const res = await routes.request(`/api/v1/predictions/alerts?communityId=${communityId}&state=open`, {
      headers: { 'x-test-perms': 'prediction:read', 'x-test-communities': communityId },
    })
    const body = (await res.json()) as {
      items: { deviceId: string; workOrderRef: string; evidence: unknown[] }[]
    }
    assert.deepEqual(
      body.items.map((i) => [i.deviceId, i.workOrderRef, i.evidence.length > 0]),
      [[worn.id, `WO-${alert!.id}`, true]],
    )
  })
})

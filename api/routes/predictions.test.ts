import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../auth/context.ts'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { LiveBus, type LiveEvent } from '../../analytics/index.ts'
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
import { testServer } from '../../data/testing/servers.ts'
import { tempDir } from '../../data/testing/temp-dir.ts'
import { createSimulation } from '../../ingest/simulator/index.ts'
import { loadMessages, RecordingWorkOrderOpener, ScoringJob, startScoring } from '../../models/index.ts'
import type { DeviceScore, Evidence } from '../../models/index.ts'
import { Auditor } from '../audit/auditor.ts'
import { ApiError } from '../http/errors.ts'
import { openTestDatabase } from '../testing/fixture.ts'
import { PredictionWorkOrderOpener } from '../workorders/openers.ts'
import { WorkOrderService } from '../workorders/service.ts'
import type { Caller } from './analytics.ts'
import { predictionAudit } from './command-center.ts'
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
/**
 * The shipped fleet model versions, trained by `npm run bench:models -- --only fleet --fleet-train-seeds
 * 101,102,104,105,107 --fleet-validation-seeds 103,106 --fleet-test-seeds 201,202 --fleet-days 40 --save-fleet
 * models/fixtures/fleet` (then renumbered as the next shipped version).
 */
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

function errorApp(routes: OpenAPIHono<AppEnv>): Hono {
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
    // Drift monitoring of the version that served them: the last 24 runs' inputs against the training deciles,
    // and its alert rate in service (one alert over the lifts' scored device-days).
    const driftApp = errorApp(predictionRoutes({ job: scoring.job, caller, now: () => clock }, guard))
    const asManager = { headers: { 'x-test-perms': 'model:manage', 'x-test-communities': worn.communityId } }
    const drift = await driftApp.request('/api/v1/predictions/drift?kind=elevator', asManager)
    assert.equal(drift.status, 200)
    const { models } = (await drift.json()) as {
      models: {
        kind: string
        version: string
        runs: number
        samples: number
        inputs: { input: string; psi: number; level: string }[]
        alertRate: { runs: number; alerts: number; deviceDays: number; per100DeviceDays: number }
      }[]
    }
    assert.equal(models.length, 1)
    const [model] = models
    assert.equal(model!.kind, 'elevator')
    assert.equal(model!.runs, 24)
    assert.equal(model!.samples, 24 * watched.length)
    assert.ok(model!.inputs.length > 0)
    const psis = model!.inputs.map((i) => i.psi)
    assert.deepEqual(
      psis,
      [...psis].sort((a, b) => b - a),
      'most drifted first',
    )
    const [served] = await postgres.query<{ runs: number; scored: number; alerts: number }>(
      `SELECT count(*)::int AS runs, sum(scored)::int AS scored, sum(alerts_raised)::int AS alerts
       FROM prediction_runs WHERE device_kind = 'elevator' AND model_version = $1`,
      [model!.version],
    )
    assert.ok(served!.runs >= runs.length)
    assert.deepEqual(
      [model!.alertRate.runs, model!.alertRate.alerts, model!.alertRate.deviceDays],
      [served!.runs, served!.alerts, Math.round((served!.scored / 24) * 100) / 100],
    )
    assert.ok(served!.alerts >= 1)
    const reader = { headers: { 'x-test-perms': 'prediction:read', 'x-test-communities': worn.communityId } }
    assert.equal((await driftApp.request('/api/v1/predictions/drift', reader)).status, 403)
    assert.equal((await driftApp.request('/api/v1/predictions/drift?kind=boiler', asManager)).status, 400)
    assert.equal((await driftApp.request('/api/v1/predictions/drift?runs=0', asManager)).status, 400)
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

/**
 * People acting on alerts: acknowledge, resolve, and the one-click work order through the work-order module's real
 * opener, each audited in the change's transaction. Every case: the happy path, the wrong state (409), an alert
 * of another community and an unknown one (404, alike), a role without the permission (403).
 */
/** What the action routes answer (the alert and work order on success, the error otherwise). */
interface ActionBody {
  readonly alert: { readonly state: string; readonly workOrderRef: string | null }
  readonly workOrder: { readonly ref: string; readonly created: boolean }
  readonly error: { readonly code: string; readonly message: string }
}

function alertActionSuite(label: string, url: string | undefined, skip: string | false): void {
  describe(`prediction alert actions: ${label}`, { skip }, () => {
    let db: Postgres
    let drop: () => Promise<void>
    let job: ScoringJob
    let app: Hono
    let community = ''
    const ids = { ack: 0, order: 0, cleared: 0, other: 0 }
    const DAY_AT = t0 + 2 * HOUR

    const who = (perms: string, communities = community) => ({
      'x-test-perms': perms,
      'x-test-communities': communities,
      'content-type': 'application/json',
    })
    const call = async (path: string, perms: string, body?: unknown, communities?: string) => {
      const res = await app.request(`/api/v1/predictions/alerts/${path}`, {
        method: 'POST',
        headers: who(perms, communities),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      return { status: res.status, body: (await res.json()) as ActionBody }
    }
    const auditActions = async (id: number) =>
      (
        await db.query<{ action: string }>(
          "SELECT action FROM audit_log WHERE object_type = 'prediction_alert' AND object_id = $1 ORDER BY seq",
          [String(id)],
        )
      ).map((r) => r.action)

    before(async () => {
      ;({ db, drop } = await openTestDatabase(url))
      await migrate(db)
      const set = generateCommunity({ profile: 'small', seed: 20261125 })
      await loadCommunitySet(db, new PiiCipher(randomBytes(32)), set)
      const lifts = set.communities[0]!.devices.filter((d) => d.kind === 'elevator')
      community = set.communities[0]!.id
      const auditor = new Auditor(randomBytes(32))
      const opener = new PredictionWorkOrderOpener(new WorkOrderService({ db, auditor }))
      job = new ScoringJob({ clickhouse, postgres: db, dataDir: dir.path + '/empty', workOrders: opener })
      const runId = await job.alertStore.startRun({
        deviceKind: 'elevator',
        model: 'pdm-elevator',
        modelVersion: 'v1',
        trigger: 'schedule',
        windowEnd: t0,
        startedAt: t0,
      })
      const raise = async (deviceId: string, communityId: string) =>
        (await job.alertStore.raise({
          communityId,
          deviceId,
          deviceKind: 'elevator',
          model: 'pdm-elevator',
          modelVersion: 'v1',
          risk: 0.93,
          ttfHours: 30,
          predictedFailureAt: t0 + 30 * HOUR,
          evidence,
          raisedAt: t0,
          runId,
        }))!.id
      ids.ack = await raise(lifts[0]!.id, community)
      ids.order = await raise(lifts[1]!.id, community)
      ids.cleared = await raise(lifts[2]!.id, community)
      await job.alertStore.clear(ids.cleared, t0 + HOUR, 0.1)
      ids.other = await raise('lift-elsewhere', 'c-other')
      app = errorApp(
        predictionRoutes(
          { job, caller, now: () => DAY_AT, audit: { db, hook: predictionAudit(auditor) } },
          guard,
        ),
      )
    })
    after(async () => {
      job?.close()
      await db?.close()
      await drop?.()
    })

    it('acknowledges an open alert once, with prediction:manage, audited', async () => {
      const ok = await call(`${ids.ack}/acknowledge`, 'prediction:manage', { note: 'checking the doors' })
      assert.equal(ok.status, 200, JSON.stringify(ok.body))
      assert.equal(ok.body.alert.state, 'acknowledged')
      // Acknowledged already: 409, and nothing changes or is audited.
      const again = await call(`${ids.ack}/acknowledge`, 'prediction:manage', {})
      assert.equal(again.status, 409)
      assert.equal(again.body.error.code, 'invalid_transition')
      assert.deepEqual(await auditActions(ids.ack), ['prediction_alert.acknowledged'])
    })

    it('resolves with a note (required), once', async () => {
      // No note: 400 naming the field.
      const bare = await call(`${ids.ack}/resolve`, 'prediction:manage', {})
      assert.equal(bare.status, 400)
      assert.match(bare.body.error.message, /^body\.note/)
      // Unknown fields: 400.
      assert.equal((await call(`${ids.ack}/resolve`, 'prediction:manage', { note: 'x', x: 1 })).status, 400)
      const ok = await call(`${ids.ack}/resolve`, 'prediction:manage', { note: 'door rollers replaced' })
      assert.equal(ok.status, 200)
      assert.equal(ok.body.alert.state, 'resolved')
      assert.equal((await call(`${ids.ack}/resolve`, 'prediction:manage', { note: 'again' })).status, 409)
      assert.equal((await call(`${ids.ack}/acknowledge`, 'prediction:manage', {})).status, 409)
      assert.deepEqual(await auditActions(ids.ack), [
        'prediction_alert.acknowledged',
        'prediction_alert.resolved',
      ])
    })

    it('opens one work order per alert, carrying its evidence, however often it is clicked', async () => {
      const perms = 'prediction:read,workorder:create'
      const [first, concurrent] = await Promise.all([
        call(`${ids.order}/work-order`, perms),
        call(`${ids.order}/work-order`, perms),
      ])
      assert.ok([200, 201].includes(first.status) && [200, 201].includes(concurrent.status))
      const ref = first.body.workOrder.ref
      assert.equal(concurrent.body.workOrder.ref, ref, 'concurrent clicks get the same order')
      assert.equal(first.body.alert.workOrderRef, ref)
      const again = await call(`${ids.order}/work-order`, perms)
      assert.equal(again.status, 200)
      assert.deepEqual(again.body.workOrder, { ref, created: false })
      const orders = await db.query<{ id: string; evidence: { alertId: number; items: unknown[] } }>(
        "SELECT id, evidence FROM work_orders WHERE source = 'prediction' AND source_ref = $1",
        [String(ids.order)],
      )
      assert.equal(orders.length, 1)
      assert.equal(orders[0]!.id, ref)
      assert.equal(orders[0]!.evidence.alertId, ids.order)
      assert.deepEqual(orders[0]!.evidence.items, evidence)
      // The alert lists it; once resolved, the order it has is still answered.
      const listed = await app.request(`/api/v1/predictions/alerts?communityId=${community}`, {
        headers: who('prediction:read'),
      })
      const { items } = (await listed.json()) as { items: { id: number; workOrderRef: string | null }[] }
      assert.equal(items.find((a) => a.id === ids.order)?.workOrderRef, ref)
      assert.equal((await call(`${ids.order}/resolve`, 'prediction:manage', { note: 'fixed' })).status, 200)
      assert.deepEqual((await call(`${ids.order}/work-order`, perms)).body.workOrder, { ref, created: false })
      assert.deepEqual(await auditActions(ids.order), [
        'prediction_alert.work_order',
        ...(first.status === 201 && concurrent.status === 201 ? ['prediction_alert.work_order'] : []),
        'prediction_alert.resolved',
      ])
    })

    it('opens no work order for an alert that is no longer active (409)', async () => {
      const res = await call(`${ids.cleared}/work-order`, 'prediction:read,workorder:create')
      assert.equal(res.status, 409)
      assert.match(res.body.error.message, /cleared/)
      const orders = await db.query(
        "SELECT id FROM work_orders WHERE source = 'prediction' AND source_ref = $1",
        [String(ids.cleared)],
      )
      assert.equal(orders.length, 0)
    })

    it('answers 404 alike for an alert of another community and an unknown one', async () => {
      for (const [action, perms, body] of [
        ['acknowledge', 'prediction:manage', {}],
        ['resolve', 'prediction:manage', { note: 'n' }],
        ['work-order', 'prediction:read,workorder:create', undefined],
      ] as const) {
        const other = await call(`${ids.other}/${action}`, perms, body)
        const unknown = await call(`987654/${action}`, perms, body)
        assert.equal(other.status, 404, action)
        assert.deepEqual(other.body, unknown.body, action)
        // A malformed id is bad input.
        assert.equal((await call(`abc/${action}`, perms, body)).status, 400, action)
      }
      // The same alert for a caller whose scope covers its community.
      assert.equal((await call(`${ids.other}/acknowledge`, 'prediction:manage', {}, 'c-other')).status, 200)
    })

    it('refuses roles without the permission (403), changing nothing', async () => {
      assert.equal((await call(`${ids.order}/acknowledge`, 'prediction:read', {})).status, 403)
      assert.equal((await call(`${ids.order}/resolve`, 'prediction:read', { note: 'n' })).status, 403)
      // Opening the order needs workorder:create, and seeing the alert (prediction:read).
      assert.equal((await call(`${ids.cleared}/work-order`, 'prediction:read')).status, 403)
      assert.equal((await call(`${ids.cleared}/work-order`, 'workorder:create')).status, 403)
      assert.equal((await call(`${ids.cleared}/work-order`, 'prediction:manage')).status, 403)
    })
  })
}

const server = testServer('TEST_DATABASE_URL')
alertActionSuite('PGlite', undefined, false)
alertActionSuite('PostgreSQL server', server.url || undefined, server.skip)

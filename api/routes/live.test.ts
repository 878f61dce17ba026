import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import mqtt from 'mqtt'
import {
  AlarmEngine,
  AlarmScheduler,
  AlarmService,
  AlarmWriter,
  DeviceStateTracker,
  KpiService,
  LiveBus,
  RollupRefresher,
  RuleStore,
  TimeMachine,
  type Alarm,
} from '../../analytics/index.ts'
import {
  createLogger,
  migrate,
  migrateClickHouse,
  openClickHouse,
  openPostgres,
  PiiCipher,
  type ClickHouse,
  type Postgres,
  type Stores,
} from '../../data/index.ts'
import { defaultLimits } from '../../data/messages/index.ts'
import { tempDir } from '../../data/testing/temp-dir.ts'
import {
  DeviceRegistry,
  startEmbeddedBroker,
  startIngest,
  type EmbeddedBroker,
  type IngestService,
} from '../../ingest/index.ts'
import { ApiError } from '../http/errors.ts'
import { alarmRoutes } from './alarms.ts'
import { analyticsRoutes, type Caller } from './analytics.ts'
import { liveRoutes } from './live.ts'

// The real broker when TEST_MQTT_URL is set (CI: Mosquitto), else the embedded one. A community id of this run
// keeps the shared broker's other traffic out.
const brokerUrl = process.env.TEST_MQTT_URL
const community = `t${process.pid}${randomBytes(3).toString('hex')}`
const pumpId = `${community}-pump-1`
const quietId = `${community}-pump-2`
const topic = (device: string, channel: string) => `community/${community}/water_pump/${device}/${channel}`

/** A guard that reads the caller from test headers, as the API's guard reads the access token. */
const guard =
  (permission: string): MiddlewareHandler =>
  async (c, next) => {
    if (!(c.req.header('x-test-perms') ?? '').split(',').includes(permission)) {
      throw new ApiError(403, 'forbidden', `may not ${permission}`)
    }
    await next()
  }
const caller = (c: Context): Caller => ({
  userId: c.req.header('x-test-user') ?? 'anonymous',
  communities: new Set((c.req.header('x-test-communities') ?? '').split(',')),
  permissions: new Set((c.req.header('x-test-perms') ?? '').split(',')),
})
const headers = (user: string, perms: string, communities = community) => ({
  'x-test-user': user,
  'x-test-perms': perms,
  'x-test-communities': communities,
  'content-type': 'application/json',
})

interface SseEvent {
  id?: string
  event?: string
  data?: string
}

/** Reads SSE events from a response body as they arrive. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  const events: SseEvent[] = []
  let done = false
  const pump = (async () => {
    for (;;) {
      const { value, done: end } = await reader.read()
      if (end) break
      buffer += decoder.decode(value, { stream: true })
      let cut: number
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut)
        buffer = buffer.slice(cut + 2)
        const event: SseEvent = {}
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':')
          if (colon <= 0) continue
          const key = line.slice(0, colon) as keyof SseEvent
          event[key] = line.slice(colon + 1).trimStart()
        }
        if (event.event || event.data) events.push(event)
      }
    }
    done = true
  })()
  return {
    events,
    async next(match: (e: SseEvent) => boolean, timeoutMs: number): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = events.find(match)
        if (found) return found
        if (done || Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 5))
      }
    },
    async close() {
      await reader.cancel()
      await pump.catch(() => undefined)
    },
  }
}

describe(`alarms on the live stream through the real ingest (${brokerUrl ? 'Mosquitto' : 'embedded broker'})`, () => {
  const dir = tempDir('live-e2e-')
  const clock = { offset: 0 }
  const now = () => Date.now() + clock.offset
  let clickhouse: ClickHouse
  let postgres: Postgres
  let broker: EmbeddedBroker | null = null
  let ingest: IngestService
  let publisher: mqtt.MqttClient
  let engine: AlarmEngine
  let writer: AlarmWriter
  let scheduler: AlarmScheduler
  let tracker: DeviceStateTracker
  let bus: LiveBus
  let app: Hono

  before(async () => {
    clickhouse = await openClickHouse({ kind: 'chdb', path: dir.path, database: 'live_e2e' })
    await migrateClickHouse(clickhouse)
    postgres = await openPostgres({ kind: 'pglite', dir: 'memory://' })
    await migrate(postgres)
    const url = brokerUrl ?? (broker = await startEmbeddedBroker('127.0.0.1', 0)).url
    const devices = [
      { id: pumpId, communityId: community, kind: 'water_pump' as const },
      { id: quietId, communityId: community, kind: 'water_pump' as const },
    ]
    bus = new LiveBus(1000, now)
    const alarms = new AlarmService({ db: postgres, bus, now })
    writer = new AlarmWriter(alarms, (error) => {
      throw error
    })
    engine = new AlarmEngine({ sink: writer, now, devices })
    tracker = new DeviceStateTracker(bus)
    const rules = new RuleStore(postgres, now)
    scheduler = new AlarmScheduler(engine, rules, alarms, {
      rulesPollMs: 100,
      staleCheckMs: 3_600_000,
      escalationCheckMs: 3_600_000,
    })
    await scheduler.start()
    const refresher = new RollupRefresher(clickhouse, { timezone: 'Asia/Shanghai' })
    const kpis = new KpiService({ clickhouse, postgres, refresher, timezone: 'Asia/Shanghai' })
    const timeMachine = new TimeMachine({ clickhouse, postgres, kpis, lookbackMs: 3_600_000 })
    app = new Hono()
    app.onError((error, c) =>
      error instanceof ApiError
        ? c.json({ error: { code: error.code, message: error.message } }, error.status)
        : c.json({ error: { code: 'internal', message: String(error) } }, 500),
    )
    app.route('/api/v1', analyticsRoutes({ kpis, timeMachine, tracker, caller, now }, guard))
    app.route('/api/v1', alarmRoutes({ alarms, rules, caller }, guard))
    app.route('/api/v1', liveRoutes({ bus, caller, heartbeatMs: 200 }, guard))

    const stores: Stores = {
      postgres,
      clickhouse,
      influx: null,
      pii: new PiiCipher(randomBytes(32)),
      close: () => Promise.resolve(),
    }
    ingest = await startIngest(stores, createLogger({ level: 'silent' }), {
      mqttUrl: url,
      protocolVersion: 4,
      clientId: `ingest-${community}`,
      topicFilter: `community/${community}/+/+/+`,
      qos: 1,
      limits: defaultLimits,
      registry: new DeviceRegistry(devices),
      observers: [engine, tracker],
      pipeline: { batchAgeMs: 20 },
    })
    publisher = await mqtt.connectAsync(url, { clientId: `pub-${community}`, protocolVersion: 4 })
  })
  after(async () => {
    scheduler.stop()
    await publisher.endAsync()
    await ingest.close()
    await broker?.close()
    await writer.idle()
    await clickhouse.close()
    await postgres.close()
    dir.remove()
  })

  it('creates rules through the API and applies them without a restart', async () => {
    const hot = {
      id: `${community}-hot`,
      communityId: community,
      name: 'Pump motor hot',
      type: 'threshold',
      deviceKind: 'water_pump',
      metric: 'motor_temp_c',
      params: { op: '>', value: 80 },
      severity: 'critical',
    }
    const stale = {
      id: `${community}-stale`,
      communityId: community,
      name: 'Pump silent',
      type: 'stale',
      deviceKind: 'water_pump',
      params: { afterS: 600 },
    }
    for (const rule of [hot, stale]) {
      const res = await app.request('/api/v1/alarm-rules', {
        method: 'POST',
        headers: headers('user-admin', 'alarm_rule:manage'),
        body: JSON.stringify(rule),
      })
      assert.equal(res.status, 201, await res.clone().text())
    }
    const outsider = await app.request(`/api/v1/alarm-rules/${hot.id}`, {
      headers: headers('user-x', 'alarm_rule:manage', 'other'),
    })
    assert.equal(outsider.status, 404)
    const deadline = Date.now() + 2000
    while (!engine.rules.has(hot.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    assert.ok(engine.rules.has(hot.id), 'the running engine picked the rule up')
  })

  it('pushes the alarm of a threshold-crossing message on /api/v1/live within 1 s; acknowledging records the user', async () => {
    const res = await app.request(`/api/v1/live?communityId=${community}`, {
      headers: headers('user-wall', 'live:read,alarm:read,telemetry:read'),
    })
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/)
    const sse = sseReader(res.body!)
    try {
      const t0 = Date.now()
      publisher.publish(
        topic(pumpId, 'telemetry'),
        JSON.stringify({ ts: t0, seq: 1, m: { motor_temp_c: 70 } }),
        { qos: 1 },
      )
      publisher.publish(
        topic(pumpId, 'telemetry'),
        JSON.stringify({ ts: t0 + 1, seq: 2, m: { motor_temp_c: 91.5 } }),
        { qos: 1 },
      )
      const event = await sse.next((e) => e.event === 'alarm', 1000)
      const elapsed = Date.now() - t0
      assert.ok(elapsed < 1000, `alarm on the live stream after ${elapsed} ms`)
      const pushed = JSON.parse(event.data ?? '{}') as {
        communityId: string
        data: { action: string; alarm: Alarm }
      }
      assert.equal(pushed.communityId, community)
      assert.equal(pushed.data.action, 'opened')
      assert.equal(pushed.data.alarm.deviceId, pumpId)
      assert.equal(pushed.data.alarm.value, 91.5)
      assert.ok(Number(event.id) > 0)

      const ack = await app.request(`/api/v1/alarms/${pushed.data.alarm.id}/acknowledge`, {
        method: 'POST',
        headers: headers('user-duty-7', 'alarm:manage'),
        body: JSON.stringify({ note: 'seen on the wall' }),
      })
      assert.equal(ack.status, 200)
      const { alarm } = (await ack.json()) as { alarm: Alarm }
      assert.equal(alarm.state, 'acknowledged')
      assert.equal(alarm.acknowledgedBy, 'user-duty-7')
      await sse.next((e) => e.event === 'alarm' && (e.data ?? '').includes('"action":"acknowledged"'), 1000)
      const detail = await app.request(`/api/v1/alarms/${alarm.id}`, {
        headers: headers('user-wall', 'alarm:read'),
      })
      const { history } = (await detail.json()) as {
        history: { action: string; actor: string | null; at: string }[]
      }
      assert.deepEqual(
        history.map((h) => [h.action, h.actor]),
        [
          ['opened', null],
          ['acknowledged', 'user-duty-7'],
        ],
      )
      const again = await app.request(`/api/v1/alarms/${alarm.id}/acknowledge`, {
        method: 'POST',
        headers: headers('user-duty-7', 'alarm:manage'),
      })
      assert.equal(again.status, 409)
      const forbidden = await app.request(`/api/v1/alarms/${alarm.id}/resolve`, {
        method: 'POST',
        headers: headers('user-wall', 'alarm:read'),
      })
      assert.equal(forbidden.status, 403)
    } finally {
      await sse.close()
    }
  })

  it('resumes from Last-Event-ID with what the client missed, and filters by permission', async () => {
    const before = bus.lastId
    bus.publish('kpi', community, { kpi: 'crowd', rows: [] })
    bus.publish('alarm', 'someone-else', { action: 'opened' })
    bus.publish('device.status', community, { deviceId: pumpId, status: 'online' })
    const res = await app.request('/api/v1/live', {
      headers: { ...headers('user-wall', 'live:read,telemetry:read'), 'Last-Event-ID': String(before) },
    })
    const sse = sseReader(res.body!)
    try {
      const status = await sse.next((e) => e.event === 'device.status', 1000)
      assert.equal(status.id, String(before + 3))
      await new Promise((r) => setTimeout(r, 250))
      assert.deepEqual(
        sse.events.map((e) => e.event),
        ['device.status'],
        'no kpi event without kpi:read, no event of another community',
      )
    } finally {
      await sse.close()
    }
  })

  it('raises a stale alarm for a device that stopped reporting, on a fake clock', async () => {
    const res = await app.request(`/api/v1/live?communityId=${community}`, {
      headers: headers('user-wall', 'live:read,alarm:read'),
    })
    const sse = sseReader(res.body!)
    try {
      engine.checkStale()
      await writer.idle()
      clock.offset += 601_000
      engine.checkStale()
      const event = await sse.next(
        (e) => e.event === 'alarm' && (e.data ?? '').includes(`${community}-stale`),
        1000,
      )
      const { data } = JSON.parse(event.data ?? '{}') as { data: { alarm: Alarm } }
      assert.equal(data.alarm.ruleId, `${community}-stale`)
      const stale = await app.request(`/api/v1/alarms?communityId=${community}&active=true`, {
        headers: headers('user-wall', 'alarm:read'),
      })
      const { alarms } = (await stale.json()) as { alarms: Alarm[] }
      assert.deepEqual(
        alarms
          .filter((a) => a.ruleId === `${community}-stale`)
          .map((a) => a.deviceId)
          .sort(),
        [pumpId, quietId],
      )
    } finally {
      clock.offset = 0
      await sse.close()
    }
  })

  it('returns from the time machine the device states that were live at that moment', async () => {
    const t0 = Date.now()
    // The ingest verifies a device's first message after start-up against the store ("suspect") and does not
    // show it to observers; this first one has the same values as the next, so live and stored state agree.
    publisher.publish(
      topic(quietId, 'telemetry'),
      JSON.stringify({ ts: t0 - 1, seq: 9, m: { flow_m3h: 12, power_kw: 3 } }),
      { qos: 1 },
    )
    publisher.publish(
      topic(quietId, 'telemetry'),
      JSON.stringify({ ts: t0, seq: 10, m: { flow_m3h: 12, power_kw: 3 } }),
      { qos: 1 },
    )
    publisher.publish(
      topic(pumpId, 'status'),
      JSON.stringify({ ts: t0 + 1, seq: 11, status: 'fault', detail: 'test' }),
      { qos: 1 },
    )
    publisher.publish(
      topic(pumpId, 'telemetry'),
      JSON.stringify({ ts: t0 + 2, seq: 12, m: { motor_temp_c: 75 } }),
      { qos: 1 },
    )
    publisher.publish(
      topic(quietId, 'event'),
      JSON.stringify({ ts: t0 + 3, seq: 13, type: 'pump.start', reason: 'demand' }),
      { qos: 1 },
    )
    const deadline = Date.now() + 3000
    while (!tracker.snapshot(community).find((d) => d.deviceId === quietId)?.event) {
      if (Date.now() > deadline) throw new Error('the messages did not arrive')
      await new Promise((r) => setTimeout(r, 10))
    }
    const at = t0 + 3
    const live = tracker.snapshot(community)
    await ingest.pipeline.flush()
    const res = await app.request(`/api/v1/analytics/communities/${community}/time-machine?at=${at}`, {
      headers: headers('user-wall', 'telemetry:read'),
    })
    assert.equal(res.status, 200)
    const snapshot = (await res.json()) as { devices: unknown[]; alarms: { state: string }[] }
    assert.deepEqual(snapshot.devices, live)
    assert.ok(
      snapshot.alarms.some((a) => a.state === 'acknowledged'),
      'the acknowledged alarm, as it stood',
    )
    const hidden = await app.request(`/api/v1/analytics/communities/${community}/time-machine?at=${at}`, {
      headers: headers('user-x', 'telemetry:read', 'other'),
    })
    assert.equal(hidden.status, 404)
  })
})

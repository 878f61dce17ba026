import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startAnalytics, type Analytics } from '../../analytics/index.ts'
import { createLogger, migrateClickHouse, openClickHouse, type ClickHouse } from '../../data/index.ts'
import { tempDir } from '../../data/testing/temp-dir.ts'
import { createApp } from '../app.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'
import { alarmAudit } from './command-center.ts'

const silent = createLogger({ level: 'silent' })

/** The analytics routes as the server mounts them: the platform's tokens, scopes and audit, real stores. */
describe('command-center routes on the API platform', () => {
  const dir = tempDir('command-center-')
  let f: Fixture
  let clickhouse: ClickHouse
  let analytics: Analytics
  let app: ReturnType<typeof createApp>
  let pump: { id: string; communityId: string; kind: string }

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  before(async () => {
    f = await openFixture(await openTestDatabase())
    clickhouse = await openClickHouse({ kind: 'chdb', path: dir.path, database: 'cc' })
    await migrateClickHouse(clickhouse)
    analytics = await startAnalytics({
      postgres: f.db,
      clickhouse,
      config: f.config.analytics,
      log: silent,
      audit: alarmAudit(f.platform.auditor),
      jobs: false,
    })
    const stores = {
      postgres: f.db,
      pii: f.platform.pii,
      clickhouse,
      influx: null,
      close: () => Promise.resolve(),
    }
    app = createApp({ stores, log: silent, config: f.config, platform: f.platform, analytics })
    const [row] = await f.db.query<{ id: string; communityId: string; kind: string }>(
      `SELECT id, community_id AS "communityId", kind FROM devices
        WHERE kind = 'water_pump' AND community_id = $1 ORDER BY id LIMIT 1`,
      [f.ids.community],
    )
    assert.ok(row, 'the small community has a pump')
    pump = row
  })
  after(async () => {
    await analytics.close()
    await clickhouse.close()
    await f.close()
    dir.remove()
  })

  it('serves KPIs to the wall screen for its community, 404 for another, 403 to a resident', async () => {
    const own = await call(
      'GET',
      `/api/v1/analytics/communities/${f.ids.community}/energy`,
      f.tokens.wall_screen,
    )
    assert.equal(own.status, 200)
    const other = await call(
      'GET',
      `/api/v1/analytics/communities/${f.ids.otherCommunity}/energy`,
      f.tokens.wall_screen,
    )
    assert.equal(other.status, 404)
    const resident = await call(
      'GET',
      `/api/v1/analytics/communities/${f.ids.community}/energy`,
      f.tokens.resident,
    )
    assert.equal(resident.status, 403)
    const anonymous = await app.request(`/api/v1/analytics/communities/${f.ids.community}/energy`)
    assert.equal(anonymous.status, 401)
  })

  it('raises an alarm from the stream under a rule made through the API, and audits its acknowledgement', async () => {
    const rule = await call('POST', '/api/v1/alarm-rules', f.tokens.community_manager, {
      id: 'pump-hot',
      communityId: f.ids.community,
      name: 'Pump motor hot',
      type: 'threshold',
      deviceKind: 'water_pump',
      metric: 'motor_temp_c',
      params: { op: '>', value: 80 },
    })
    assert.equal(rule.status, 201, JSON.stringify(rule.body))
    assert.equal(await analytics.scheduler.reloadIfChanged(), true)

    analytics.engine.telemetry(pump, 0, Date.now(), { motor_temp_c: 91 })
    await analytics.alarmWriter.idle()
    const listed = await call('GET', `/api/v1/alarms?communityId=${f.ids.community}`, f.tokens.wall_screen)
    assert.equal(listed.status, 200)
    const alarms = listed.body.alarms as { id: number; deviceId: string; state: string }[]
    const alarm = alarms.find((a) => a.deviceId === pump.id)
    assert.ok(alarm, 'the alarm is listed')
    assert.equal(alarm.state, 'open')

    const denied = await call('POST', `/api/v1/alarms/${alarm.id}/acknowledge`, f.tokens.wall_screen, {})
    assert.equal(denied.status, 403, 'the wall screen only reads')
    const acked = await call('POST', `/api/v1/alarms/${alarm.id}/acknowledge`, f.tokens.security_guard, {
      note: 'on my way',
    })
    assert.equal(acked.status, 200, JSON.stringify(acked.body))
    const entries = await f.db.query<{ action: string; actorId: string; actorRole: string }>(
      `SELECT action, actor_id AS "actorId", actor_role AS "actorRole" FROM audit_log
        WHERE object_type = 'alarm' AND object_id = $1 ORDER BY seq`,
      [String(alarm.id)],
    )
    assert.deepEqual(
      entries.map((e) => `${e.action} ${e.actorRole}`),
      ['alarm.opened system', 'alarm.acknowledged security_guard'],
    )
    const [guard] = await f.db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [
      f.accounts.security_guard.username,
    ])
    assert.equal(entries[1]?.actorId, guard?.id)
  })
})

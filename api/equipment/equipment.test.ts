/**
 * Equipment maintenance through the API on PGlite and the PostgreSQL server: the 15-day elevator rule (TSG
 * T5002) on plans, the missed-plan check raising one alert per missed plan on a fake clock, a recorded visit
 * moving the plan on and resolving the alert; and the refusals — scope 404, permission 403, bad input 400.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServer } from '../../data/testing/servers.ts'
import type { Role } from '../auth/permissions.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'
import { MaintenanceMonitor, type MaintenanceAlert } from './monitor.ts'

const DAY = 86_400_000

function equipmentSuite(label: string, url?: string): void {
  describe(`equipment: ${label}`, () => {
    let f: Fixture
    let elevator: string
    let pump: string
    let ownPanel: string
    before(async () => {
      f = await openFixture(await openTestDatabase(url))
      const pick = async (sql: string, params: unknown[]) =>
        (await f.db.query<{ id: string }>(sql, params))[0]?.id ?? ''
      elevator = await pick(
        `SELECT id FROM devices WHERE community_id = $1 AND kind = 'elevator' ORDER BY id LIMIT 1`,
        [f.ids.community],
      )
      pump = await pick(
        `SELECT id FROM devices WHERE community_id = $1 AND kind = 'water_pump' ORDER BY id LIMIT 1`,
        [f.ids.community],
      )
      ownPanel = await pick(
        `SELECT id FROM devices WHERE building_id = $1 AND kind = 'fire_panel' ORDER BY id LIMIT 1`,
        [f.ids.building],
      )
    })
    after(() => f.close())

    const call = async (role: Role, method: string, path: string, body?: unknown) => {
      const response = await f.request(method, `/api/v1${path}`, { token: f.tokens[role], body })
      return { status: response.status, body: (await response.json()) as Record<string, unknown> }
    }

    it('holds elevators to maintenance at least every 15 days, grace included', async () => {
      assert.ok(elevator && pump && ownPanel, 'the generated community has the devices')
      const plan = (days: number, graceDays: number, deviceId = elevator) =>
        call('community_manager', 'POST', '/maintenance-plans', {
          deviceId,
          name: '半月保养 fortnightly maintenance',
          intervalDays: days,
          graceDays,
        })
      const monthly = await plan(30, 0)
      assert.equal(monthly.status, 400)
      assert.match((monthly.body as { error: { message: string } }).error.message, /15 days/)
      assert.equal((await plan(15, 1)).status, 400, 'grace counts towards the 15 days')
      assert.equal((await plan(15, 0)).status, 201)
      assert.equal((await plan(30, 3, pump)).status, 201, 'pumps are not bound by the elevator rule')
      await assert.rejects(
        f.db.query(`UPDATE maintenance_plans SET interval_days = 20 WHERE device_id = $1`, [elevator]),
        'the database holds the rule too',
      )
    })

    it('raises one alert for a missed plan on a fake clock, resolved by recording the visit', async () => {
      const now = Date.now()
      const created = await call('community_manager', 'POST', '/maintenance-plans', {
        deviceId: elevator,
        name: '电梯半月保养 elevator maintenance',
        intervalDays: 14,
        graceDays: 1,
        firstDueAt: new Date(now + 3 * DAY).toISOString(),
      })
      assert.equal(created.status, 201)
      const planId = (created.body as { id: string }).id
      let clock = now + 3.5 * DAY
      const announced: MaintenanceAlert[] = []
      const monitor = new MaintenanceMonitor({
        db: f.db,
        auditor: f.platform.auditor,
        now: () => clock,
        onAlert: (a) => announced.push(a),
      })
      const mine = () => announced.filter((a) => a.planId === planId)
      await monitor.check()
      assert.equal(mine().length, 0, 'within its grace day')
      clock = now + 4.5 * DAY
      await monitor.check()
      await monitor.check()
      assert.equal(mine().length, 1, 'missed: one alert, however often the check runs')
      assert.equal(mine()[0]?.deviceId, elevator)
      const open = (await call('community_manager', 'GET', '/maintenance-alerts?state=open')).body as {
        items: MaintenanceAlert[]
      }
      assert.ok(open.items.some((a) => a.planId === planId))
      const late = await call('community_manager', 'POST', '/maintenance-plans', {
        deviceId: pump,
        name: '水泵月检 pump check',
        intervalDays: 30,
        firstDueAt: new Date(now - 2 * DAY).toISOString(),
      })
      const overdue = (await call('community_manager', 'GET', '/maintenance-plans?overdue=true')).body as {
        items: { id: string }[]
      }
      const overdueIds = overdue.items.map((p) => p.id)
      assert.ok(overdueIds.includes((late.body as { id: string }).id), 'past due at the real clock')
      assert.ok(!overdueIds.includes(planId))

      const visit = await call('community_manager', 'POST', '/maintenance-records', {
        deviceId: elevator,
        planId,
        kind: 'routine',
        performedAt: new Date(now).toISOString(),
        findings: '曳引机正常 traction machine normal',
      })
      assert.equal(visit.status, 201, JSON.stringify(visit.body))
      const result = visit.body as { plansAdvanced: string[]; alertsResolved: number[] }
      assert.deepEqual(result.plansAdvanced, [planId])
      assert.deepEqual(result.alertsResolved, [mine()[0]?.id])
      const detail = (await call('community_manager', 'GET', `/equipment/${elevator}`)).body as {
        plans: { id: string; nextDueAt: string; lastDoneAt: string }[]
        records: { findings: string }[]
      }
      const moved = detail.plans.find((p) => p.id === planId)
      assert.equal(Date.parse(moved?.nextDueAt ?? ''), now + 14 * DAY, 'due again 14 days after the visit')
      assert.ok(detail.records.some((r) => r.findings.includes('traction')))
      clock = now + 14.5 * DAY
      await monitor.check()
      assert.equal(mine().length, 1, 'maintained: no new alert before the next due date and its grace')
      clock = now + 15.5 * DAY
      await monitor.check()
      assert.equal(mine().length, 2, 'missed again: a new alert')
      const [audited] = await f.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'maintenance_alert.raise' AND object_id = $1`,
        [planId],
      )
      assert.equal(audited?.n, 2)
    })

    it('refuses out-of-scope (404), unpermitted (403) and bad (400) requests', async () => {
      assert.equal(
        (await call('repair_staff', 'GET', `/equipment/${elevator}`)).status,
        404,
        'another building',
      )
      assert.equal((await call('repair_staff', 'GET', `/equipment/${ownPanel}`)).status, 200)
      const listed = (await call('repair_staff', 'GET', '/equipment?limit=500')).body as {
        items: { buildingId: string | null }[]
      }
      assert.ok(listed.items.length > 0)
      assert.ok(
        listed.items.every((d) => d.buildingId === f.ids.building),
        'only their buildings',
      )
      const recorded = await call('repair_staff', 'POST', '/maintenance-records', {
        deviceId: ownPanel,
        kind: 'repair',
        performedAt: new Date().toISOString(),
      })
      assert.equal(recorded.status, 201)
      assert.equal(
        (
          await call('repair_staff', 'POST', '/maintenance-records', {
            deviceId: elevator,
            kind: 'routine',
            performedAt: new Date().toISOString(),
          })
        ).status,
        404,
      )
      assert.equal(
        (
          await call('repair_staff', 'POST', '/maintenance-plans', {
            deviceId: ownPanel,
            name: 'monthly test',
            intervalDays: 30,
          })
        ).status,
        403,
      )
      assert.equal((await call('resident', 'GET', '/equipment')).status, 403)
      assert.equal((await call('finance', 'GET', '/maintenance-alerts')).status, 403)
      assert.equal(
        (
          await call('community_manager', 'POST', '/maintenance-plans', {
            deviceId: 'no-such-device',
            name: 'ghost',
            intervalDays: 10,
          })
        ).status,
        404,
      )
      assert.equal(
        (
          await call('community_manager', 'POST', '/maintenance-plans', {
            deviceId: pump,
            name: 'x',
            intervalDays: 0,
          })
        ).status,
        400,
      )
      assert.equal(
        (
          await call('community_manager', 'POST', '/maintenance-records', {
            deviceId: pump,
            kind: 'routine',
            performedAt: new Date(Date.now() + 2 * DAY).toISOString(),
          })
        ).status,
        400,
        'a visit cannot be in the future',
      )
      assert.equal(
        (
          await call('community_manager', 'POST', '/maintenance-records', {
            deviceId: pump,
            kind: 'routine',
            performedAt: 'yesterday',
          })
        ).status,
        400,
      )
    })
  })
}

equipmentSuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () =>
  equipmentSuite('PostgreSQL server', server.url),
)

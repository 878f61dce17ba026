/**
 * Work orders through the API on PGlite and the PostgreSQL server: a resident's repair request flowing to closure
 * with SLA escalation on a fake clock; every state × every action of the transition table (legal → the table's
 * state, illegal → 409); dispatch by name, round-robin and grab; costs, rating, return visit; the automatic
 * openers (idempotent, evidence kept); and the refusals — scope 404, permission 403, bad input 400.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServer } from '../../data/testing/servers.ts'
import type { Role } from '../auth/permissions.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'
import { AlarmWorkOrderOpener, PredictionWorkOrderOpener } from './openers.ts'
import type { WorkOrderView } from './repository.ts'
import { WorkOrderService } from './service.ts'
import { SlaMonitor } from './sla-monitor.ts'
import { transitions, workOrderActions, workOrderStates } from './transitions.ts'

const MINUTE = 60_000

function workOrderSuite(label: string, url?: string): void {
  describe(`work orders: ${label}`, () => {
    let f: Fixture
    const users = {} as Record<Role, string>
    before(async () => {
      f = await openFixture(await openTestDatabase(url))
      for (const [role, account] of Object.entries(f.accounts)) {
        const [row] = await f.db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [
          account.username,
        ])
        users[role as Role] = row?.id ?? ''
      }
    })
    after(() => f.close())

    const call = async (role: Role, method: string, path: string, body?: unknown) => {
      const response = await f.request(method, `/api/v1${path}`, { token: f.tokens[role], body })
      return { status: response.status, body: (await response.json()) as Record<string, unknown> }
    }
    const order = async (role: Role, method: string, path: string, body?: unknown) => {
      const r = await call(role, method, path, body)
      assert.ok(r.status < 300, `${method} ${path} as ${role}: ${r.status} ${JSON.stringify(r.body)}`)
      return r.body as unknown as WorkOrderView
    }
    const request = (extra: Record<string, unknown> = {}) =>
      order('resident', 'POST', '/work-orders', {
        title: '厨房水管漏水 kitchen pipe leaks',
        category: 'plumbing',
        priority: 'high',
        ...extra,
      })

    it("takes a resident's repair request to closure, escalating on a fake clock", async () => {
      const opened = await request({ description: '水槽下方滴水' })
      assert.equal(opened.state, 'new')
      assert.equal(opened.source, 'resident')
      assert.equal(opened.householdId, f.ids.household)
      assert.equal(opened.buildingId, f.ids.building)
      const t0 = Date.parse(opened.createdAt)
      assert.equal(Date.parse(opened.respondDueAt) - t0, 30 * MINUTE, 'high: accepted within 30 minutes')
      assert.equal(Date.parse(opened.dueAt) - t0, 24 * 60 * MINUTE, 'high: resolved within 24 hours')

      let clock = t0 + MINUTE
      const escalations: { workOrderId: string; level: number; to: string }[] = []
      const monitor = new SlaMonitor({
        db: f.db,
        auditor: f.platform.auditor,
        now: () => clock,
        onEscalate: (e) => escalations.push(e),
      })
      const mine = () => escalations.filter((e) => e.workOrderId === opened.id)
      await monitor.check()
      assert.deepEqual(mine(), [], 'within its SLA')
      clock = t0 + 31 * MINUTE
      await monitor.check()
      await monitor.check()
      assert.deepEqual(
        mine().map((e) => [e.level, e.to]),
        [[1, 'customer_service']],
        'not accepted in time: escalated once to the dispatcher',
      )

      // Round-robin dispatch needs the repairer's skill on file.
      await order('customer_service', 'PUT', `/work-order-staff/${users.repair_staff}`, {
        skills: ['plumbing'],
        active: true,
      })
      const assigned = await order('customer_service', 'POST', `/work-orders/${opened.id}/assign`, {})
      assert.equal(assigned.state, 'assigned')
      assert.equal(assigned.assigneeId, users.repair_staff)
      await order('repair_staff', 'POST', `/work-orders/${opened.id}/accept`, {})
      await order('repair_staff', 'POST', `/work-orders/${opened.id}/start`, {})
      await order('repair_staff', 'POST', `/work-orders/${opened.id}/hold`, {
        note: '等配件 waiting for parts',
      })
      await order('repair_staff', 'POST', `/work-orders/${opened.id}/resume`, {})
      const costs = await call('repair_staff', 'POST', `/work-orders/${opened.id}/costs`, {
        kind: 'part',
        description: '角阀 angle valve',
        quantity: 2,
        unitPriceFen: 3550,
      })
      assert.equal(costs.status, 201)
      await order('repair_staff', 'POST', `/work-orders/${opened.id}/costs`, {
        kind: 'labour',
        description: '人工 labour (minutes)',
        quantity: 45,
        unitPriceFen: 200,
      })

      clock = t0 + 25 * 60 * MINUTE
      await monitor.check()
      assert.deepEqual(
        mine().map((e) => [e.level, e.to]),
        [
          [1, 'customer_service'],
          [2, 'community_manager'],
        ],
        'not resolved in time: escalated to the manager',
      )
      const resolved = await order('repair_staff', 'POST', `/work-orders/${opened.id}/resolve`, {
        note: '更换角阀',
      })
      assert.equal(resolved.state, 'resolved')
      assert.deepEqual(resolved.costs, { partsFen: 7100, labourFen: 9000, totalFen: 16100 })
      clock = t0 + 60 * 60 * MINUTE
      await monitor.check()
      assert.equal(mine().length, 2, 'a resolved order no longer escalates')

      const rated = await order('resident', 'POST', `/work-orders/${opened.id}/rating`, {
        rating: 5,
        comment: '师傅很专业',
      })
      assert.equal(rated.rating, 5)
      assert.equal(
        (await call('resident', 'POST', `/work-orders/${opened.id}/rating`, { rating: 1 })).status,
        409,
        'rated once',
      )
      const visited = await order('customer_service', 'POST', `/work-orders/${opened.id}/return-visit`, {
        satisfied: true,
        note: '电话回访',
      })
      assert.equal(visited.returnVisit?.satisfied, true)
      await order('customer_service', 'POST', `/work-orders/${opened.id}/verify`, {})
      const closed = await order('community_manager', 'POST', `/work-orders/${opened.id}/close`, {})
      assert.equal(closed.state, 'closed')
      assert.equal(closed.escalationLevel, 2)
      assert.ok(closed.closedAt)

      const history = (await call('resident', 'GET', `/work-orders/${opened.id}/history`)).body as {
        items: { action: string; actorRole: string; toState: string }[]
      }
      assert.deepEqual(
        history.items.map((e) => e.action),
        [
          'create',
          'escalate',
          'assign',
          'accept',
          'start',
          'hold',
          'resume',
          'cost',
          'cost',
          'escalate',
          'resolve',
          'rate',
          'return_visit',
          'verify',
          'close',
        ],
      )
      assert.equal(history.items[1]?.actorRole, 'system')
      const [audited] = await f.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE object_type = 'work_order' AND object_id = $1`,
        [opened.id],
      )
      assert.equal(audited?.n, history.items.length, 'every change audited')
    })

    it('answers every state × every action from the transition table (legal → its state, illegal → 409)', async () => {
      const target = await request({ title: 'state machine 状态机' })
      const failures: string[] = []
      let legal = 0
      for (const state of workOrderStates) {
        for (const action of workOrderActions) {
          const t = transitions[action]
          await f.db.query(
            'UPDATE work_orders SET state = $2, assignee_id = $3, rating = NULL WHERE id = $1',
            [target.id, state, action === 'grab' ? null : users.repair_staff],
          )
          const role: Role =
            t.permission === 'workorder:dispatch'
              ? 'customer_service'
              : t.permission === 'workorder:work'
                ? 'repair_staff'
                : 'community_manager'
          const body = {
            note: 'reason 原因',
            ...(action === 'assign' ? { assigneeId: users.repair_staff } : {}),
          }
          const r = await call(role, 'POST', `/work-orders/${target.id}/${action}`, body)
          const expected = t.from.includes(state) ? t.to : null
          if (expected) legal++
          const got = r.status === 200 ? (r.body as { state: string }).state : r.status
          const code = (r.body as { error?: { code: string } }).error?.code
          if (expected ? got !== expected : got !== 409 || code !== 'illegal_transition')
            failures.push(`${state} × ${action}: expected ${expected ?? 409}, got ${got}`)
        }
      }
      assert.deepEqual(failures, [])
      assert.ok(legal >= workOrderActions.length, 'every action has at least one legal state')
    })

    it('lets a repairer grab an unassigned order once, and only the assignee progress it', async () => {
      const opened = await request({ title: '门禁坏了 door entry broken', category: 'access' })
      const grabbed = await order('repair_staff', 'POST', `/work-orders/${opened.id}/grab`, {})
      assert.equal(grabbed.state, 'accepted')
      assert.equal(grabbed.assigneeId, users.repair_staff)
      assert.equal((await call('repair_staff', 'POST', `/work-orders/${opened.id}/grab`, {})).status, 409)
      await f.db.query('UPDATE work_orders SET assignee_id = $2 WHERE id = $1', [
        opened.id,
        users.maintenance_engineer,
      ])
      const notMine = await call('repair_staff', 'POST', `/work-orders/${opened.id}/start`, {})
      assert.equal(notMine.status, 403)
      assert.equal((notMine.body as { error: { code: string } }).error.code, 'not_assignee')
      const rejected = await call('repair_staff', 'POST', `/work-orders/${opened.id}/costs`, {
        kind: 'part',
        description: 'x',
        quantity: 1,
        unitPriceFen: 1,
      })
      assert.equal(rejected.status, 403)
      const named = await call('customer_service', 'POST', `/work-orders/${opened.id}/assign`, {
        assigneeId: users.finance,
      })
      assert.equal(named.status, 409, 'an accepted order is not dispatched again')
    })

    it('starts a new SLA window when an order is reopened', async () => {
      const opened = await request({ title: '马桶堵塞 blocked toilet', priority: 'urgent' })
      await order('repair_staff', 'POST', `/work-orders/${opened.id}/grab`, {})
      await order('repair_staff', 'POST', `/work-orders/${opened.id}/start`, {})
      await f.db.query(`UPDATE work_orders SET escalation_level = 2 WHERE id = $1`, [opened.id])
      const resolved = await order('repair_staff', 'POST', `/work-orders/${opened.id}/resolve`, {})
      assert.ok(resolved.resolvedAt)
      const reopened = await order('customer_service', 'POST', `/work-orders/${opened.id}/reopen`, {
        note: '仍然堵塞 still blocked',
      })
      assert.equal(reopened.state, 'reopened')
      assert.equal(reopened.resolvedAt, null)
      assert.equal(reopened.escalationLevel, 0)
      assert.equal(reopened.assigneeId, users.repair_staff, 'the same repairer can be sent back')
      assert.ok(Date.parse(reopened.dueAt) > Date.parse(opened.dueAt), 'a fresh resolution deadline')
      assert.equal(Date.parse(reopened.dueAt) - Date.parse(reopened.updatedAt), 4 * 60 * MINUTE)
    })

    it('dispatches round-robin among the repairers with the skill whose scope reaches the order', async () => {
      const created = await f.platform.users.create(
        { id: 'test', role: 'test', companyId: f.system.companyId },
        {
          username: 'repair-two',
          displayName: '维修二',
          role: 'repair_staff',
          scope: { kind: 'building', ids: [f.ids.building] },
        },
        null,
      )
      const second = created.user.id
      for (const userId of [users.repair_staff, second])
        await order('customer_service', 'PUT', `/work-order-staff/${userId}`, {
          skills: ['hvac'],
          active: true,
        })
      const staff = (await call('customer_service', 'GET', '/work-order-staff')).body as {
        items: { userId: string; skills: string[] }[]
      }
      assert.ok(staff.items.some((s) => s.userId === second && s.skills.includes('hvac')))
      const assignees: string[] = []
      for (let i = 0; i < 4; i++) {
        const opened = await request({ title: `空调不制冷 AC not cooling ${i}`, category: 'hvac' })
        const assigned = await order('customer_service', 'POST', `/work-orders/${opened.id}/assign`, {})
        assignees.push(assigned.assigneeId ?? '')
      }
      assert.deepEqual(new Set(assignees), new Set([users.repair_staff, second]))
      assert.ok(
        assignees.every((a, i) => i === 0 || a !== assignees[i - 1]),
        `alternates: ${assignees.join(', ')}`,
      )
      const nobody = await request({ title: '草坪修剪 mow the lawn', category: 'landscaping' })
      const refused = await call('customer_service', 'POST', `/work-orders/${nobody.id}/assign`, {})
      assert.equal(refused.status, 409)
      assert.equal((refused.body as { error: { code: string } }).error.code, 'no_repairer')
      await order('customer_service', 'PUT', `/work-order-staff/${second}`, {
        skills: ['hvac'],
        active: false,
      })
      const next = await request({ title: '空调异响 AC noise', category: 'hvac' })
      const only = await order('customer_service', 'POST', `/work-orders/${next.id}/assign`, {})
      assert.equal(only.assigneeId, users.repair_staff, 'an inactive repairer leaves the rotation')
      assert.equal(
        (
          await call('customer_service', 'PUT', `/work-order-staff/${users.finance}`, {
            skills: [],
            active: true,
          })
        ).status,
        404,
        'only repairers have skill profiles',
      )
    })

    it('refuses out-of-scope (404), unpermitted (403) and bad (400) requests', async () => {
      const neighbours = await order('customer_service', 'POST', '/work-orders', {
        title: '邻居的维修 neighbour repair',
        category: 'electrical',
        householdId: f.ids.otherHousehold,
      })
      assert.equal(neighbours.source, 'staff')
      assert.equal((await call('resident', 'GET', `/work-orders/${neighbours.id}`)).status, 404)
      assert.equal((await call('resident', 'GET', '/work-orders/wo-missing')).status, 404)
      const listed = (await call('resident', 'GET', '/work-orders?limit=200')).body as {
        items: WorkOrderView[]
      }
      assert.ok(listed.items.length > 0)
      assert.ok(
        listed.items.every((o) => o.householdId === f.ids.household),
        'residents see their household only',
      )
      assert.equal(
        (await call('resident', 'POST', `/work-orders/${neighbours.id}/rating`, { rating: 3 })).status,
        404,
      )
      const far = await call('customer_service', 'POST', '/work-orders', {
        title: 'other community',
        category: 'general',
        communityId: f.ids.otherCommunity,
      })
      assert.equal(far.status, 404, 'a place outside the scope reads as missing')
      assert.equal((await call('administrator', 'GET', `/work-orders/${neighbours.id}`)).status, 200)
      assert.equal(
        (
          await call('repair_staff', 'POST', '/work-orders', {
            title: 'community lamp',
            category: 'electrical',
            communityId: f.ids.community,
          })
        ).status,
        404,
        'a building-scoped repairer cannot place an order above their buildings',
      )

      assert.equal((await call('finance', 'GET', '/work-orders')).status, 403)
      assert.equal(
        (await call('auditor', 'POST', '/work-orders', { title: 'xx', category: 'general' })).status,
        403,
      )
      assert.equal((await call('resident', 'POST', `/work-orders/${neighbours.id}/assign`, {})).status, 403)
      assert.equal(
        (await call('repair_staff', 'POST', `/work-orders/${neighbours.id}/verify`, {})).status,
        403,
      )
      assert.equal(
        (await call('administrator', 'POST', `/work-orders/${neighbours.id}/rating`, { rating: 2 })).status,
        403,
      )

      assert.equal(
        (await call('resident', 'POST', '/work-orders', { title: 'x', category: 'plumbing' })).status,
        400,
      )
      assert.equal(
        (await call('resident', 'POST', '/work-orders', { title: 'leak', category: 'plumbing', sneaky: 1 }))
          .status,
        400,
        'unknown fields are refused',
      )
      assert.equal(
        (await call('resident', 'POST', '/work-orders', { title: 'leak', category: 'teleport' })).status,
        400,
      )
      assert.equal(
        (
          await call('resident', 'POST', '/work-orders', {
            title: 'leak',
            category: 'plumbing',
            buildingId: f.ids.building,
          })
        ).status,
        400,
        'a resident reports for their household only',
      )
      assert.equal(
        (await call('customer_service', 'POST', `/work-orders/${neighbours.id}/reject`, {})).status,
        403,
      )
      await order('customer_service', 'POST', `/work-orders/${neighbours.id}/assign`, {
        assigneeId: users.repair_staff,
      })
      assert.equal(
        (await call('repair_staff', 'POST', `/work-orders/${neighbours.id}/reject`, {})).status,
        400,
        'a rejection says why',
      )
      assert.equal(
        (
          await call('repair_staff', 'POST', `/work-orders/${neighbours.id}/costs`, {
            kind: 'part',
            description: 'x',
            quantity: 1,
            unitPriceFen: 1.5,
          })
        ).status,
        400,
        'money is integer fen',
      )
      assert.equal(
        (
          await call('customer_service', 'POST', `/work-orders/${neighbours.id}/assign`, {
            assigneeId: users.finance,
          })
        ).status,
        400,
        'only repairers can be assigned',
      )
      assert.equal((await call('resident', 'GET', '/work-orders?cursor=bm9wZQ')).status, 400)
    })

    it('opens one work order per alarm and per predictive alert, keeping the evidence', async () => {
      const [device] = await f.db.query<{ id: string; kind: string }>(
        `SELECT id, kind FROM devices WHERE community_id = $1 AND kind = 'elevator' ORDER BY id LIMIT 1`,
        [f.ids.community],
      )
      assert.ok(device, 'the generated community has an elevator')
      const orders = new WorkOrderService({ db: f.db, auditor: f.platform.auditor })
      const alarms = new AlarmWorkOrderOpener(orders)
      const alarm = {
        alarmId: 4242,
        ruleId: 'elevator-door',
        communityId: f.ids.community,
        deviceId: device.id,
        deviceKind: device.kind,
        severity: 'critical',
        message: '电梯门故障 door fault',
        openedAt: Date.now(),
      }
      const [first, second] = await Promise.all([alarms.open(alarm), alarms.open(alarm)])
      assert.ok(first)
      assert.equal(second, first, 'idempotent on the alarm id, even concurrently')
      assert.equal(await alarms.open(alarm), first)
      const fromAlarm = await order('community_manager', 'GET', `/work-orders/${first}`)
      assert.equal(fromAlarm.source, 'alarm')
      assert.equal(fromAlarm.sourceRef, '4242')
      assert.equal(fromAlarm.priority, 'urgent')
      assert.equal(fromAlarm.skill, 'elevator')

      const unknown = await alarms.open({ ...alarm, alarmId: 4243, deviceId: 'not-registered-yet' })
      assert.ok(unknown, 'an unregistered device still gets its order')
      const atCommunity = await order('community_manager', 'GET', `/work-orders/${unknown}`)
      assert.equal(atCommunity.deviceId, null)
      assert.match(atCommunity.description, /not-registered-yet/)

      const predictions = new PredictionWorkOrderOpener(orders)
      const evidence = [
        {
          feature: 'door_cycles',
          label: '开关门次数',
          unit: 'count',
          share: 0.7,
          contribution: 1.2,
          value: 930,
          normal: { median: 600, low: 500, high: 700 },
          deviation: 3.1,
          trendPerDay: 40,
        },
      ]
      const ref = await predictions.open({
        alertId: 77,
        communityId: f.ids.community,
        deviceId: device.id,
        deviceKind: device.kind,
        severity: 'major',
        title: '电梯故障风险 87% / Elevator failure risk 87%',
        risk: 0.87,
        predictedFailureAt: null,
        evidence,
        model: 'fleet-elevator',
        modelVersion: 'v3',
        raisedAt: Date.now(),
      })
      assert.ok(ref)
      assert.notEqual(ref, first)
      const fromAlert = await order('community_manager', 'GET', `/work-orders/${ref}`)
      assert.equal(fromAlert.source, 'prediction')
      assert.equal(fromAlert.priority, 'high')
      assert.deepEqual((fromAlert.evidence as { items: unknown }).items, evidence)
    })

    it('lists in pages with a cursor and appears in the OpenAPI document', async () => {
      const first = (await call('community_manager', 'GET', '/work-orders?limit=2')).body as {
        items: WorkOrderView[]
        nextCursor: string | null
      }
      assert.equal(first.items.length, 2)
      assert.ok(first.nextCursor)
      const second = (
        await call('community_manager', 'GET', `/work-orders?limit=2&cursor=${first.nextCursor}`)
      ).body as { items: WorkOrderView[] }
      assert.ok(second.items.length > 0)
      assert.ok(second.items.every((o) => !first.items.some((p) => p.id === o.id)))
      const doc = (await (await f.request('GET', '/api/v1/openapi.json')).json()) as {
        paths: Record<string, unknown>
      }
      for (const path of [
        '/api/v1/work-orders',
        '/api/v1/work-orders/{id}/accept',
        '/api/v1/work-order-staff',
      ])
        assert.ok(doc.paths[path], path)
    })
  })
}

workOrderSuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () =>
  workOrderSuite('PostgreSQL server', server.url),
)

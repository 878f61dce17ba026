/**
 * Inspections through the API on PGlite and the PostgreSQL server: a route with points on a building, a device and
 * an open area; a scheduled task walked by a guard, whose finding opens a work order at the device; completion
 * when every point is checked; missed tasks swept on a fake clock; and the refusals — scope 404, permission 403,
 * illegal state 409, bad input 400.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServer } from '../../data/testing/servers.ts'
import type { Role } from '../auth/permissions.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'
import { WorkOrderService } from '../workorders/service.ts'
import { InspectionRoutes } from './route-plans.ts'
import { InspectionTasks } from './tasks.ts'

const HOUR = 3_600_000

interface Task {
  id: string
  state: string
  points: number
  checkins: { pointId: string; result: string; workOrderId: string | null }[]
}
interface Route {
  id: string
  buildingId: string | null
  points: { id: string; seq: number; deviceId: string | null; buildingId: string | null }[]
}

function inspectionSuite(label: string, url?: string): void {
  describe(`inspections: ${label}`, () => {
    let f: Fixture
    let pump: string
    let areaId: string
    let ownPanel: string
    before(async () => {
      f = await openFixture(await openTestDatabase(url))
      const pick = async (sql: string, params: unknown[]) =>
        (await f.db.query<{ id: string }>(sql, params))[0]?.id ?? ''
      pump = await pick(
        `SELECT id FROM devices WHERE community_id = $1 AND kind = 'water_pump' ORDER BY id LIMIT 1`,
        [f.ids.community],
      )
      areaId = await pick('SELECT id FROM areas WHERE community_id = $1 ORDER BY id LIMIT 1', [
        f.ids.community,
      ])
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
    const ok = async <T>(role: Role, method: string, path: string, body?: unknown): Promise<T> => {
      const r = await call(role, method, path, body)
      assert.ok(r.status < 300, `${method} ${path} as ${role}: ${r.status} ${JSON.stringify(r.body)}`)
      return r.body as T
    }
    const window = (fromHours: number, hours: number) => ({
      scheduledFor: new Date(Date.now() + fromHours * HOUR).toISOString(),
      dueAt: new Date(Date.now() + (fromHours + hours) * HOUR).toISOString(),
    })
    const communityRoute = () =>
      ok<Route>('community_manager', 'POST', '/inspection-routes', {
        communityId: f.ids.community,
        name: '夜间安全巡检 night security round',
        kind: 'security',
        points: [
          {
            name: '1号楼入口 building entrance',
            buildingId: f.ids.building,
            checklist: ['门禁正常', '照明正常'],
          },
          { name: '水泵房 pump room', deviceId: pump, checklist: ['无漏水', '无异响'] },
          { name: '中心花园 central garden', areaId },
        ],
      })

    it('walks a scheduled route: check-ins, a finding opening a work order, completion', async () => {
      assert.ok(pump && areaId, 'the generated community has a pump and open areas')
      const route = await communityRoute()
      assert.equal(route.points.length, 3)
      const [p1, p2, p3] = route.points
      assert.ok(p1 && p2 && p3)
      assert.equal(p2.deviceId, pump)
      const task = await ok<Task>('community_manager', 'POST', '/inspection-tasks', {
        routeId: route.id,
        ...window(-1, 4),
      })
      assert.equal(task.state, 'scheduled')
      assert.equal(task.points, 3)
      const first = await ok<Task>('security_guard', 'POST', `/inspection-tasks/${task.id}/check-ins`, {
        pointId: p1.id,
        result: 'ok',
      })
      assert.equal(first.state, 'in_progress')
      const finding = await ok<Task>('security_guard', 'POST', `/inspection-tasks/${task.id}/check-ins`, {
        pointId: p2.id,
        result: 'issue',
        findings: '泵体渗水 the pump seeps water',
        workOrder: { title: '水泵渗水 pump seeping', category: 'pump', priority: 'high' },
      })
      const workOrderId = finding.checkins.find((c) => c.pointId === p2.id)?.workOrderId
      assert.ok(workOrderId, 'the finding opened a work order')
      const order = await ok<{ source: string; deviceId: string; skill: string; priority: string }>(
        'community_manager',
        'GET',
        `/work-orders/${workOrderId}`,
      )
      assert.deepEqual(
        [order.source, order.deviceId, order.skill, order.priority],
        ['inspection', pump, 'pump', 'high'],
      )
      const again = await call('security_guard', 'POST', `/inspection-tasks/${task.id}/check-ins`, {
        pointId: p2.id,
        result: 'ok',
      })
      assert.equal(again.status, 409, 'a point is checked once per task')
      const done = await ok<Task>('security_guard', 'POST', `/inspection-tasks/${task.id}/check-ins`, {
        pointId: p3.id,
        result: 'ok',
      })
      assert.equal(done.state, 'completed')
      assert.equal(
        (
          await call('security_guard', 'POST', `/inspection-tasks/${task.id}/check-ins`, {
            pointId: p1.id,
            result: 'ok',
          })
        ).status,
        409,
        'a completed task takes no more check-ins',
      )
      const listed = await ok<{ items: Task[] }>('auditor', 'GET', '/inspection-tasks?state=completed')
      assert.ok(listed.items.some((t) => t.id === task.id))
    })

    it('sweeps unfinished tasks past their window as missed, on a fake clock', async () => {
      const route = await communityRoute()
      const task = await ok<Task>('community_manager', 'POST', '/inspection-tasks', {
        routeId: route.id,
        ...window(0, 2),
      })
      const orders = new WorkOrderService({ db: f.db, auditor: f.platform.auditor })
      const routes = new InspectionRoutes(f.db, f.platform.auditor)
      const early = new InspectionTasks(f.db, f.platform.auditor, routes, orders, () => Date.now() + HOUR)
      assert.ok(!(await early.sweep()).includes(task.id), 'still within its window')
      const late = new InspectionTasks(f.db, f.platform.auditor, routes, orders, () => Date.now() + 3 * HOUR)
      assert.ok((await late.sweep()).includes(task.id))
      const missed = await ok<Task>('security_guard', 'GET', `/inspection-tasks/${task.id}`)
      assert.equal(missed.state, 'missed')
      const point = route.points[0]?.id
      assert.equal(
        (
          await call('security_guard', 'POST', `/inspection-tasks/${task.id}/check-ins`, {
            pointId: point,
            result: 'ok',
          })
        ).status,
        409,
      )
    })

    it('refuses out-of-scope (404), unpermitted (403) and bad (400) requests', async () => {
      const community = await communityRoute()
      assert.equal((await call('repair_staff', 'GET', `/inspection-routes/${community.id}`)).status, 404)
      const building = await ok<Route>('community_manager', 'POST', '/inspection-routes', {
        buildingId: f.ids.building,
        name: '消防月检 monthly fire check',
        kind: 'fire',
        points: [{ name: '消防主机 fire panel', deviceId: ownPanel }],
      })
      assert.equal(building.buildingId, f.ids.building)
      assert.equal((await call('repair_staff', 'GET', `/inspection-routes/${building.id}`)).status, 200)
      const theirs = await ok<{ items: Route[] }>('repair_staff', 'GET', '/inspection-routes')
      assert.ok(
        theirs.items.every((r) => r.buildingId === f.ids.building),
        'building staff see their buildings',
      )

      const far = await ok<Route>('administrator', 'POST', '/inspection-routes', {
        communityId: f.ids.otherCommunity,
        name: 'other community round',
        kind: 'general',
        points: [{ name: 'gate', buildingId: f.ids.otherBuilding }],
      })
      const farTask = await ok<Task>('administrator', 'POST', '/inspection-tasks', {
        routeId: far.id,
        ...window(0, 2),
      })
      assert.equal(
        (
          await call('security_guard', 'POST', `/inspection-tasks/${farTask.id}/check-ins`, {
            pointId: far.points[0]?.id,
            result: 'ok',
          })
        ).status,
        404,
      )
      assert.equal(
        (await call('community_manager', 'POST', '/inspection-tasks', { routeId: far.id, ...window(0, 2) }))
          .status,
        404,
      )

      assert.equal((await call('resident', 'GET', '/inspection-routes')).status, 403)
      assert.equal((await call('security_guard', 'POST', '/inspection-routes', {})).status, 403)
      assert.equal((await call('customer_service', 'POST', '/inspection-tasks/x/check-ins', {})).status, 403)

      const base = { communityId: f.ids.community, name: 'bad round', kind: 'general' }
      assert.equal(
        (await call('community_manager', 'POST', '/inspection-routes', { ...base, points: [] })).status,
        400,
      )
      assert.equal(
        (
          await call('community_manager', 'POST', '/inspection-routes', {
            ...base,
            kind: 'party',
            points: [{ name: 'x' }],
          })
        ).status,
        400,
      )
      assert.equal(
        (
          await call('community_manager', 'POST', '/inspection-routes', {
            buildingId: f.ids.building,
            name: 'wrong building',
            kind: 'fire',
            points: [{ name: 'pump', deviceId: pump }],
          })
        ).status,
        400,
        'a building route keeps its points in the building',
      )
      const backwards = window(2, -1)
      assert.equal(
        (
          await call('community_manager', 'POST', '/inspection-tasks', {
            routeId: community.id,
            ...backwards,
          })
        ).status,
        400,
      )
      const task = await ok<Task>('community_manager', 'POST', '/inspection-tasks', {
        routeId: community.id,
        ...window(0, 2),
      })
      assert.equal(
        (
          await call('security_guard', 'POST', `/inspection-tasks/${task.id}/check-ins`, {
            pointId: community.points[0]?.id,
            result: 'ok',
            workOrder: { title: 'nothing wrong', category: 'general' },
          })
        ).status,
        400,
        'only a finding opens a work order',
      )
      assert.equal(
        (
          await call('security_guard', 'POST', `/inspection-tasks/${task.id}/check-ins`, {
            pointId: building.points[0]?.id,
            result: 'ok',
          })
        ).status,
        404,
        'a point of another route',
      )
    })
  })
}

inspectionSuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () =>
  inspectionSuite('PostgreSQL server', server.url),
)

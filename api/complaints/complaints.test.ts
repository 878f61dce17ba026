/**
 * Complaints through the API on PGlite and the PostgreSQL server: lodged by a resident and by customer service
 * about an open area, a work order opened from it (once) and another linked, resolved with an outcome, closed and
 * rated; the lifecycle's 409s, and the refusals — scope 404, permission 403, bad input 400.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServer } from '../../data/testing/servers.ts'
import type { Role } from '../auth/permissions.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'
import { complaintActions, complaintStates, complaintTransitions, type ComplaintView } from './service.ts'

function complaintSuite(label: string, url?: string): void {
  describe(`complaints: ${label}`, () => {
    let f: Fixture
    let areaId: string
    before(async () => {
      f = await openFixture(await openTestDatabase(url))
      const [area] = await f.db.query<{ id: string }>(
        'SELECT id FROM areas WHERE community_id = $1 ORDER BY id LIMIT 1',
        [f.ids.community],
      )
      areaId = area?.id ?? ''
    })
    after(() => f.close())

    const call = async (role: Role, method: string, path: string, body?: unknown) => {
      const response = await f.request(method, `/api/v1${path}`, { token: f.tokens[role], body })
      return { status: response.status, body: (await response.json()) as Record<string, unknown> }
    }
    const ok = async (role: Role, method: string, path: string, body?: unknown) => {
      const r = await call(role, method, path, body)
      assert.ok(r.status < 300, `${method} ${path} as ${role}: ${r.status} ${JSON.stringify(r.body)}`)
      return r.body as unknown as ComplaintView
    }

    it('takes a complaint from lodging through work orders to a rated close', async () => {
      const lodged = await ok('resident', 'POST', '/complaints', {
        category: 'noise',
        channel: 'app',
        description: '楼上深夜装修 renovation noise at night',
        locationDetail: '楼上 upstairs',
      })
      assert.equal(lodged.state, 'open')
      assert.equal(lodged.householdId, f.ids.household)
      assert.equal(lodged.buildingId, f.ids.building)
      assert.ok(lodged.location.length > 0, 'a stable place label for hotspots')

      const processing = await ok('customer_service', 'POST', `/complaints/${lodged.id}/process`, {})
      assert.equal(processing.state, 'processing')
      const withOrder = await ok('customer_service', 'POST', `/complaints/${lodged.id}/work-orders`, {
        title: '检查楼板隔音 check floor insulation',
        category: 'structure',
      })
      assert.equal(withOrder.workOrderIds.length, 1)
      const again = await ok('customer_service', 'POST', `/complaints/${lodged.id}/work-orders`, {
        title: 'second try',
        category: 'structure',
      })
      assert.deepEqual(again.workOrderIds, withOrder.workOrderIds, 'one work order per complaint')
      const wo = (await call('resident', 'GET', `/work-orders/${withOrder.workOrderIds[0]}`)).body as {
        source: string
        sourceRef: string
        householdId: string
      }
      assert.equal(wo.source, 'complaint')
      assert.equal(wo.sourceRef, lodged.id)
      assert.equal(wo.householdId, f.ids.household)

      const other = (
        await call('customer_service', 'POST', '/work-orders', {
          title: '走廊灯 corridor light',
          category: 'electrical',
          buildingId: f.ids.building,
        })
      ).body as { id: string }
      const linked = await ok('customer_service', 'POST', `/complaints/${lodged.id}/work-orders`, {
        workOrderId: other.id,
      })
      assert.equal(linked.workOrderIds.length, 2)

      assert.equal(
        (await call('customer_service', 'POST', `/complaints/${lodged.id}/resolve`, {})).status,
        400,
      )
      const resolved = await ok('customer_service', 'POST', `/complaints/${lodged.id}/resolve`, {
        outcome: '已约谈施工方，限定施工时间 contractor limited to daytime',
      })
      assert.equal(resolved.state, 'resolved')
      const rated = await ok('resident', 'POST', `/complaints/${lodged.id}/satisfaction`, { satisfaction: 4 })
      assert.equal(rated.satisfaction, 4)
      assert.equal(
        (await call('resident', 'POST', `/complaints/${lodged.id}/satisfaction`, { satisfaction: 5 })).status,
        409,
      )
      const closed = await ok('community_manager', 'POST', `/complaints/${lodged.id}/close`, {})
      assert.equal(closed.state, 'closed')
      assert.equal(
        (await call('community_manager', 'POST', `/complaints/${lodged.id}/process`, {})).status,
        409,
      )
      assert.equal(
        (
          await call('customer_service', 'POST', `/complaints/${lodged.id}/work-orders`, {
            workOrderId: other.id,
          })
        ).status,
        409,
        'a closed complaint takes no more work orders',
      )
      const [audited] = await f.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE object_type = 'complaint' AND object_id = $1`,
        [lodged.id],
      )
      assert.equal(audited?.n, 8, 'every change audited')
    })

    it('answers every state × every action of the complaint lifecycle (legal → its state, illegal → 409)', async () => {
      const target = await ok('customer_service', 'POST', '/complaints', {
        category: 'service',
        channel: 'phone',
        description: '前台态度 front desk attitude',
        buildingId: f.ids.building,
      })
      const failures: string[] = []
      for (const state of complaintStates) {
        for (const action of complaintActions) {
          await f.db.query(`UPDATE complaints SET state = $2, outcome = 'x' WHERE id = $1`, [
            target.id,
            state,
          ])
          const r = await call('customer_service', 'POST', `/complaints/${target.id}/${action}`, {
            outcome: '已处理 handled',
          })
          const t = complaintTransitions[action]
          const expected = t.from.includes(state) ? t.to : 409
          const got = r.status === 200 ? (r.body as { state: string }).state : r.status
          if (got !== expected) failures.push(`${state} × ${action}: expected ${expected}, got ${got}`)
        }
      }
      assert.deepEqual(failures, [])
    })

    it('places a staff complaint on an open area, labelled by the area', async () => {
      assert.ok(areaId, 'the generated community has open areas')
      const [area] = await f.db.query<{ name: string }>('SELECT name FROM areas WHERE id = $1', [areaId])
      const lodged = await ok('customer_service', 'POST', '/complaints', {
        category: 'hygiene',
        channel: 'phone',
        description: '垃圾未清运 rubbish not collected',
        areaId,
      })
      assert.equal(lodged.areaId, areaId)
      assert.equal(lodged.location, area?.name)
      assert.equal(lodged.communityId, f.ids.community)
      assert.equal(lodged.buildingId, null)
      const listed = (await call('community_manager', 'GET', '/complaints?category=hygiene')).body as {
        items: ComplaintView[]
      }
      assert.ok(listed.items.some((c) => c.id === lodged.id))
    })

    it('refuses out-of-scope (404), unpermitted (403) and bad (400) requests', async () => {
      const neighbour = await ok('customer_service', 'POST', '/complaints', {
        category: 'pets',
        channel: 'counter',
        description: '狗叫 barking dog',
        householdId: f.ids.otherHousehold,
      })
      assert.equal((await call('resident', 'GET', `/complaints/${neighbour.id}`)).status, 404)
      assert.equal(
        (await call('resident', 'POST', `/complaints/${neighbour.id}/satisfaction`, { satisfaction: 1 }))
          .status,
        404,
      )
      const mine = (await call('resident', 'GET', '/complaints')).body as { items: ComplaintView[] }
      assert.ok(mine.items.every((c) => c.householdId === f.ids.household))
      assert.equal(
        (
          await call('customer_service', 'POST', '/complaints', {
            category: 'noise',
            channel: 'phone',
            description: 'far away',
            communityId: f.ids.otherCommunity,
          })
        ).status,
        404,
      )
      assert.equal((await call('repair_staff', 'GET', '/complaints')).status, 403)
      assert.equal((await call('auditor', 'POST', '/complaints', {})).status, 403)
      assert.equal((await call('resident', 'POST', `/complaints/${neighbour.id}/process`, {})).status, 403)
      assert.equal(
        (
          await call('customer_service', 'POST', '/complaints', {
            category: 'noise',
            channel: 'fax',
            description: 'x y',
          })
        ).status,
        400,
      )
      assert.equal(
        (
          await call('resident', 'POST', '/complaints', {
            category: 'noise',
            channel: 'app',
            description: 'loud',
            extra: true,
          })
        ).status,
        400,
      )
      assert.equal(
        (
          await call('customer_service', 'POST', `/complaints/${neighbour.id}/work-orders`, {
            workOrderId: 'wo-nope',
          })
        ).status,
        404,
      )
      assert.equal(
        (
          await call('customer_service', 'POST', `/complaints/${neighbour.id}/satisfaction`, {
            satisfaction: 3,
          })
        ).status,
        403,
      )
      assert.equal((await call('resident', 'POST', `/complaints/${neighbour.id}/close`, {})).status, 403)
      assert.equal(
        (await call('customer_service', 'POST', `/complaints/${neighbour.id}/close`, {})).status,
        409,
      )
    })
  })
}

complaintSuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () =>
  complaintSuite('PostgreSQL server', server.url),
)

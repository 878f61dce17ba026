/**
 * Parking through the API: lots and occupancy, tariffs (a lot's own over the community default), passages entered
 * by hand opening and closing sessions with the tariff's fee, payment, monthly permits making entries free, and
 * the refusals (permission, scope, illegal state, bad input). Runs on PGlite and on the PostgreSQL server.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServer } from '../../data/testing/servers.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'

type Role = keyof Fixture['tokens']
type Body = Record<string, unknown>

function parkingSuite(label: string, url?: string): void {
  describe(`parking: ${label}`, () => {
    let f: Fixture
    let lot: string
    let otherLot: string
    let foreignLot: string
    before(async () => {
      f = await openFixture(await openTestDatabase(url))
      const lots = await f.db.query<{ id: string }>(
        'SELECT id FROM parking_lots WHERE community_id = $1 ORDER BY id',
        [f.ids.community],
      )
      lot = lots[0]?.id ?? ''
      otherLot = lots[1]?.id ?? ''
      foreignLot = 'pl-foreign'
      await f.db.query(
        `INSERT INTO parking_lots (id, community_id, name, kind, polygon, entrance_node_id, level) VALUES ($1, $2, '外部车场', 'surface', '[]', 'n0', 0)`,
        [foreignLot, f.ids.otherCommunity],
      )
    })
    after(() => f.close())
    const as = (role: Role) => async (method: string, path: string, body?: unknown) => {
      const response = await f.request(method, `/api/v1${path}`, { token: f.tokens[role], body })
      return { status: response.status, body: (await response.json()) as Body }
    }
    const guard = as('security_guard')
    const manager = as('community_manager')
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()

    it('lists the lots of the community with their capacity', async () => {
      const lots = (await as('finance')('GET', '/parking/lots')).body.items as Body[]
      assert.ok(lots.length >= 2)
      assert.ok(lots.every((l) => l.communityId === f.ids.community))
      const [spaces] = await f.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM parking_spaces WHERE lot_id = $1',
        [lot],
      )
      assert.equal(lots.find((l) => l.id === lot)?.spaces, spaces?.n)
      assert.ok(!lots.some((l) => l.id === foreignLot))
      assert.equal((await guard('GET', `/parking/lots/${foreignLot}/occupancy`)).status, 404)
    })

    it('charges a temporary stay by the lot’s tariff, and takes payment once', async () => {
      assert.equal(
        (
          await manager('PUT', '/parking/tariffs', {
            communityId: f.ids.community,
            freeMinutes: 30,
            hourlyFen: 500,
            dailyCapFen: 3000,
          })
        ).status,
        200,
      )
      const own = await manager('PUT', '/parking/tariffs', {
        communityId: f.ids.community,
        lotId: lot,
        freeMinutes: 15,
        hourlyFen: 800,
        dailyCapFen: 4000,
      })
      assert.equal(own.status, 200)
      const changed = await manager('PUT', '/parking/tariffs', {
        communityId: f.ids.community,
        lotId: lot,
        freeMinutes: 15,
        hourlyFen: 600,
        dailyCapFen: 4000,
      })
      assert.equal(changed.body.id, own.body.id, 'setting again updates the lot’s tariff')
      assert.equal(((await guard('GET', '/parking/tariffs')).body.items as Body[]).length, 2)

      const entered = await guard('POST', '/parking/events', {
        lotId: lot,
        plate: '苏E 88888',
        direction: 'in',
        at: ago(125),
      })
      assert.equal(entered.status, 200)
      assert.deepEqual(
        [entered.body.status, entered.body.kind, entered.body.plate],
        ['open', 'temporary', '苏E88888'],
      )
      assert.equal(entered.body.feeFen, 1800, 'an open stay shows its fee so far: 3 started hours × 6.00')
      const before = (await guard('GET', `/parking/lots/${lot}/occupancy`)).body
      assert.equal(before.temporaryInside, 1)
      const left = await guard('POST', '/parking/events', {
        lotId: lot,
        plate: '苏E88888',
        direction: 'out',
        at: ago(0),
      })
      assert.deepEqual([left.body.status, left.body.feeFen], ['closed', 1800])
      assert.equal((await guard('GET', `/parking/lots/${lot}/occupancy`)).body.temporaryInside, 0)

      const elsewhere = await guard('POST', '/parking/events', {
        lotId: otherLot,
        plate: '苏E77777',
        direction: 'in',
        at: ago(40),
      })
      const out = await guard('POST', '/parking/events', {
        lotId: otherLot,
        plate: '苏E77777',
        direction: 'out',
      })
      assert.equal(out.body.id, elsewhere.body.id)
      assert.equal(out.body.feeFen, 500, 'the community default: 40 min past 30 free → one hour at 5.00')

      const paid = await guard('POST', `/parking/sessions/${String(left.body.id)}/pay`)
      assert.equal(paid.status, 200)
      assert.ok(paid.body.paidAt)
      const again = await guard('POST', `/parking/sessions/${String(left.body.id)}/pay`)
      assert.deepEqual([again.status, (again.body.error as Body).code], [409, 'already_paid'])
      const actions = await f.db.query<{ action: string }>(
        'SELECT action FROM audit_log WHERE object_id = $1 ORDER BY seq',
        [left.body.id],
      )
      assert.deepEqual(
        actions.map((a) => a.action),
        ['parking.manual_entry', 'parking.manual_exit', 'parking.pay'],
      )
    })

    it('lets monthly permit holders in and out for nothing, and frees a space for one permit at a time', async () => {
      const [vehicle] = await f.db.query<{ plate: string }>('SELECT plate FROM vehicles WHERE id = $1', [
        f.ids.vehicle,
      ])
      const [space] = await f.db.query<{ id: string }>(
        'SELECT id FROM parking_spaces WHERE lot_id = $1 ORDER BY id LIMIT 1',
        [lot],
      )
      const today = new Date().toISOString().slice(0, 10)
      const permit = await manager('POST', '/parking/permits', {
        vehicleId: f.ids.vehicle,
        lotId: lot,
        spaceId: space?.id,
        startsOn: today,
        endsOn: '2099-12-31',
        feeFen: 30000,
      })
      assert.equal(permit.status, 201)
      assert.equal(permit.body.householdId, f.ids.household)
      const taken = await manager('POST', '/parking/permits', {
        vehicleId: f.ids.vehicle,
        lotId: lot,
        spaceId: space?.id,
        startsOn: today,
        endsOn: '2099-12-31',
        feeFen: 30000,
      })
      assert.deepEqual([taken.status, (taken.body.error as Body).code], [409, 'space_taken'])
      const entered = await guard('POST', '/parking/events', {
        lotId: lot,
        plate: vehicle?.plate,
        direction: 'in',
        at: ago(600),
      })
      assert.deepEqual([entered.body.kind, entered.body.permitId], ['monthly', permit.body.id])
      const left = await guard('POST', '/parking/events', {
        lotId: lot,
        plate: vehicle?.plate,
        direction: 'out',
      })
      assert.equal(left.body.feeFen, 0)
      const nothing = await guard('POST', `/parking/sessions/${String(left.body.id)}/pay`)
      assert.deepEqual([nothing.status, (nothing.body.error as Body).code], [409, 'nothing_to_pay'])
      assert.equal(
        (await manager('POST', `/parking/permits/${String(permit.body.id)}/cancel`)).body.status,
        'cancelled',
      )
      assert.equal((await manager('POST', `/parking/permits/${String(permit.body.id)}/cancel`)).status, 409)
      assert.equal(((await guard('GET', `/parking/permits?status=cancelled`)).body.items as Body[]).length, 1)
    })

    it('abandons a session whose exit was missed, and refuses what cannot be', async () => {
      const first = await guard('POST', '/parking/events', {
        lotId: lot,
        plate: '皖A11111',
        direction: 'in',
        at: ago(300),
      })
      const second = await guard('POST', '/parking/events', {
        lotId: lot,
        plate: '皖A11111',
        direction: 'in',
        at: ago(10),
      })
      assert.notEqual(first.body.id, second.body.id)
      assert.equal(
        (await guard('GET', `/parking/sessions/${String(first.body.id)}`)).body.status,
        'abandoned',
      )
      const early = await guard('POST', `/parking/sessions/${String(second.body.id)}/pay`)
      assert.deepEqual([early.status, (early.body.error as Body).code], [409, 'not_closed'])
      const ghost = await guard('POST', '/parking/events', {
        lotId: lot,
        plate: '皖A22222',
        direction: 'out',
      })
      assert.deepEqual([ghost.status, (ghost.body.error as Body).code], [409, 'no_open_session'])

      assert.equal(
        (await guard('POST', '/parking/events', { lotId: foreignLot, plate: '皖A33333', direction: 'in' }))
          .status,
        404,
      )
      assert.equal(
        (await as('finance')('POST', '/parking/events', { lotId: lot, plate: '皖A33333', direction: 'in' }))
          .status,
        403,
      )
      assert.equal((await as('resident')('GET', '/parking/lots')).status, 403)
      assert.equal(
        (await guard('POST', '/parking/events', { lotId: lot, plate: '皖A33333', direction: 'sideways' }))
          .status,
        400,
      )
      assert.equal(
        (
          await manager('PUT', '/parking/tariffs', {
            communityId: f.ids.community,
            freeMinutes: 10,
            hourlyFen: 500,
            dailyCapFen: 100,
          })
        ).status,
        400,
      )
      assert.equal(
        (
          await manager('PUT', '/parking/tariffs', {
            communityId: f.ids.community,
            freeMinutes: 10,
            hourlyFen: 5.5,
            dailyCapFen: 100,
          })
        ).status,
        400,
      )
      assert.equal(
        (
          await manager('PUT', '/parking/tariffs', {
            communityId: f.ids.otherCommunity,
            freeMinutes: 10,
            hourlyFen: 500,
            dailyCapFen: 3000,
          })
        ).status,
        404,
      )
      assert.equal(
        (
          await manager('POST', '/parking/permits', {
            vehicleId: f.ids.otherCommunityVehicle,
            lotId: lot,
            startsOn: '2026-01-01',
            endsOn: '2026-12-31',
            feeFen: 1,
          })
        ).status,
        404,
      )
      assert.equal(
        (
          await manager('POST', '/parking/permits', {
            vehicleId: f.ids.vehicle,
            lotId: lot,
            startsOn: '2026-12-01',
            endsOn: '2026-01-01',
            feeFen: 1,
          })
        ).status,
        400,
      )
      const [foreign] = await f.db.query<{ id: string }>(
        `INSERT INTO parking_sessions (id, community_id, lot_id, plate, kind, entered_at, source) VALUES ('ps-foreign', $1, $2, '浙A1', 'temporary', now(), 'manual') RETURNING id`,
        [f.ids.otherCommunity, foreignLot],
      )
      assert.equal((await guard('GET', `/parking/sessions/${foreign?.id ?? ''}`)).status, 404)
      assert.equal((await guard('POST', `/parking/sessions/${foreign?.id ?? ''}/pay`)).status, 404)
      assert.ok(
        !((await guard('GET', '/parking/sessions?limit=200')).body.items as Body[]).some(
          (s) => s.id === 'ps-foreign',
        ),
      )
    })
  })
}

parkingSuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () =>
  parkingSuite('PostgreSQL server', server.url),
)

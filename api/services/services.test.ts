/**
 * Third-party services through the API: providers registered for a community and listed to its residents, orders
 * placed by a household, moved along the transition table (every illegal step refused), cancelled by the household
 * before work starts, rated once; refusals for permission, scope and bad input. Runs on PGlite and on the
 * PostgreSQL server.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServer } from '../../data/testing/servers.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'
import { mayTransition, orderStatuses, transitions, type Actor } from './transitions.ts'

type Role = keyof Fixture['tokens']
type Body = Record<string, unknown>

describe('service-order transitions', () => {
  it('allows exactly the steps of the table, for the actors it names', () => {
    const allowed: string[] = []
    for (const from of orderStatuses)
      for (const to of orderStatuses)
        for (const actor of ['staff', 'household'] as Actor[])
          if (mayTransition(from, to, actor)) allowed.push(`${from}>${to}:${actor}`)
    assert.deepEqual(allowed.sort(), [
      'accepted>cancelled:household',
      'accepted>cancelled:staff',
      'accepted>in_progress:staff',
      'in_progress>completed:staff',
      'requested>accepted:staff',
      'requested>cancelled:household',
      'requested>cancelled:staff',
    ])
    assert.deepEqual(Object.keys(transitions.completed), [], 'completed is final')
  })
})

function serviceSuite(label: string, url?: string): void {
  describe(`services: ${label}`, () => {
    let f: Fixture
    let provider: string
    before(async () => {
      f = await openFixture(await openTestDatabase(url))
    })
    after(() => f.close())
    const as = (role: Role) => async (method: string, path: string, body?: unknown) => {
      const response = await f.request(method, `/api/v1${path}`, { token: f.tokens[role], body })
      return { status: response.status, body: (await response.json()) as Body }
    }
    const service = as('customer_service')
    const resident = as('resident')
    const soon = () => new Date(Date.now() + 86_400_000).toISOString()

    it('registers providers for a community and lists them to its residents', async () => {
      const created = await service('POST', '/services/providers', {
        name: '安心家政',
        category: 'housekeeping',
        communityIds: [f.ids.community],
        contactPhone: '0571-88886666',
      })
      assert.equal(created.status, 201)
      provider = String(created.body.id)
      assert.equal(
        (
          await service('POST', '/services/providers', {
            name: '安心家政',
            category: 'housekeeping',
            communityIds: [f.ids.community],
            contactPhone: '0571-1',
          })
        ).status,
        409,
      )
      assert.equal(
        (
          await service('POST', '/services/providers', {
            name: '外区养老',
            category: 'elderly_care',
            communityIds: [f.ids.otherCommunity],
            contactPhone: '0571-88880000',
          })
        ).status,
        404,
      )
      assert.equal(
        (
          await service('POST', '/services/providers', {
            name: '全公司快递柜',
            category: 'parcel_locker',
            contactPhone: '0571-88880000',
          })
        ).status,
        400,
        'a company-wide provider needs company scope',
      )
      const admin = await f.platform.db.query(
        `INSERT INTO service_providers (id, company_id, name, category, community_ids, contact_phone, created_by)
         SELECT 'sp-foreign', company_id, '翠湖养老', 'elderly_care', ARRAY[$1], '0571-1', 'x' FROM communities WHERE id = $1 RETURNING id`,
        [f.ids.otherCommunity],
      )
      assert.equal(admin.length, 1)
      const listed = (await resident('GET', '/services/providers')).body.items as Body[]
      assert.deepEqual(
        listed.map((p) => p.id),
        [provider],
        'providers of other communities are not listed',
      )
      assert.equal(
        (
          await resident('POST', '/services/providers', {
            name: 'x1',
            category: 'other',
            communityIds: [f.ids.community],
            contactPhone: '12345',
          })
        ).status,
        403,
      )
      const off = await service('PATCH', `/services/providers/${provider}`, { active: false })
      assert.equal(off.body.active, false)
      assert.equal(((await resident('GET', '/services/providers')).body.items as Body[]).length, 0)
      assert.equal(
        ((await service('GET', '/services/providers?includeInactive=true')).body.items as Body[]).length,
        1,
      )
      const refused = await resident('POST', '/services/orders', {
        providerId: provider,
        description: '深度保洁',
        scheduledAt: soon(),
      })
      assert.deepEqual([refused.status, (refused.body.error as Body).code], [409, 'provider_inactive'])
      await service('PATCH', `/services/providers/${provider}`, { active: true })
      assert.equal((await service('PATCH', '/services/providers/sp-foreign', { active: false })).status, 404)
    })

    it('takes an order from a household through to a rating', async () => {
      const order = await resident('POST', '/services/orders', {
        providerId: provider,
        description: '深度保洁 3 小时',
        scheduledAt: soon(),
      })
      assert.equal(order.status, 201)
      assert.equal(order.body.householdId, f.ids.household)
      const id = String(order.body.id)
      const early = await resident('POST', `/services/orders/${id}/rate`, { rating: 5 })
      assert.deepEqual([early.status, (early.body.error as Body).code], [409, 'not_completed'])
      const skip = await service('POST', `/services/orders/${id}/transition`, { to: 'completed' })
      assert.deepEqual([skip.status, (skip.body.error as Body).code], [409, 'illegal_transition'])
      assert.equal(
        (await resident('POST', `/services/orders/${id}/transition`, { to: 'accepted' })).status,
        409,
        'households do not accept',
      )
      assert.equal(
        (await service('POST', `/services/orders/${id}/transition`, { to: 'accepted', priceFen: 15000 })).body
          .priceFen,
        15000,
      )
      assert.equal(
        (await service('POST', `/services/orders/${id}/transition`, { to: 'in_progress' })).status,
        200,
      )
      assert.equal(
        (await resident('POST', `/services/orders/${id}/transition`, { to: 'cancelled' })).status,
        409,
        'no cancelling once work started',
      )
      assert.equal(
        (await service('POST', `/services/orders/${id}/transition`, { to: 'completed' })).body.status,
        'completed',
      )
      assert.equal(
        (await service('POST', `/services/orders/${id}/rate`, { rating: 5 })).status,
        403,
        'only the household rates',
      )
      const rated = await resident('POST', `/services/orders/${id}/rate`, {
        rating: 4,
        comment: '准时，干净',
      })
      assert.deepEqual([rated.body.rating, rated.body.ratingComment], [4, '准时，干净'])
      assert.equal((await resident('POST', `/services/orders/${id}/rate`, { rating: 5 })).status, 409)
      const actions = await f.db.query<{ action: string }>(
        'SELECT action FROM audit_log WHERE object_id = $1 ORDER BY seq',
        [id],
      )
      assert.deepEqual(
        actions.map((a) => a.action),
        [
          'service_order.create',
          'service_order.accepted',
          'service_order.in_progress',
          'service_order.completed',
          'service_order.rate',
        ],
      )
    })

    it('lets a household cancel before work starts and keeps orders to their household', async () => {
      const order = await service('POST', '/services/orders', {
        providerId: provider,
        householdId: f.ids.otherHousehold,
        description: '家电清洗',
        scheduledAt: soon(),
      })
      assert.equal(order.status, 201)
      assert.equal(
        (await resident('GET', `/services/orders/${String(order.body.id)}`)).status,
        404,
        'a neighbour’s order',
      )
      assert.equal(
        (await resident('POST', `/services/orders/${String(order.body.id)}/transition`, { to: 'cancelled' }))
          .status,
        404,
      )
      assert.ok(
        ((await resident('GET', '/services/orders')).body.items as Body[]).every(
          (o) => o.householdId === f.ids.household,
        ),
      )
      const mine = await resident('POST', '/services/orders', {
        providerId: provider,
        description: '保洁',
        scheduledAt: soon(),
      })
      assert.equal(
        (await resident('POST', `/services/orders/${String(mine.body.id)}/transition`, { to: 'cancelled' }))
          .body.status,
        'cancelled',
      )
      assert.equal(
        (await service('POST', `/services/orders/${String(mine.body.id)}/transition`, { to: 'accepted' }))
          .status,
        409,
      )

      assert.equal(
        (
          await resident('POST', '/services/orders', {
            providerId: provider,
            householdId: f.ids.otherHousehold,
            description: '保洁',
            scheduledAt: soon(),
          })
        ).status,
        404,
      )
      assert.equal(
        (
          await service('POST', '/services/orders', {
            providerId: provider,
            householdId: f.ids.otherCommunityHousehold,
            description: '保洁',
            scheduledAt: soon(),
          })
        ).status,
        404,
      )
      assert.equal(
        (
          await service('POST', '/services/orders', {
            providerId: 'sp-foreign',
            householdId: f.ids.household,
            description: '养老',
            scheduledAt: soon(),
          })
        ).status,
        404,
      )
      assert.equal(
        (
          await resident('POST', '/services/orders', {
            providerId: provider,
            description: '保洁',
            scheduledAt: '2020-01-01T00:00:00Z',
          })
        ).status,
        400,
      )
      assert.equal(
        (
          await resident('POST', '/services/orders', {
            providerId: provider,
            description: '保洁',
            scheduledAt: soon(),
            priceFen: 1.5,
          })
        ).status,
        400,
      )
      assert.equal(
        (
          await resident('POST', '/services/orders', {
            providerId: provider,
            description: '保洁',
            scheduledAt: soon(),
            status: 'completed',
          })
        ).status,
        400,
      )
      assert.equal(
        (await resident('POST', `/services/orders/${String(mine.body.id)}/rate`, { rating: 6 })).status,
        400,
      )
      assert.equal((await as('security_guard')('GET', '/services/orders')).status, 403)
    })
  })
}

serviceSuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () =>
  serviceSuite('PostgreSQL server', server.url),
)

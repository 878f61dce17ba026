/**
 * Notices through the API: drafts, publishing now and later, expiry, withdrawal, targeting by community and
 * building, and the refusals (permission, scope, illegal state, bad input). Runs on PGlite and on the server.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServer } from '../../data/testing/servers.ts'
import { routePolicies } from '../auth/policy.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'

interface Notice {
  id: string
  status: string
  live: boolean
  buildingId: string | null
  publishAt: string | null
}

function noticeSuite(label: string, url?: string): void {
  describe(`notices: ${label}`, () => {
    let f: Fixture
    let neighbourBuilding: string
    before(async () => {
      f = await openFixture(await openTestDatabase(url))
      const [row] = await f.db.query<{ id: string }>(
        'SELECT id FROM buildings WHERE community_id = $1 AND id <> $2 ORDER BY id LIMIT 1',
        [f.ids.community, f.ids.building],
      )
      neighbourBuilding = row?.id ?? ''
    })
    after(() => f.close())
    const as = (role: keyof Fixture['tokens']) => async (method: string, path: string, body?: unknown) => {
      const response = await f.request(method, `/api/v1${path}`, { token: f.tokens[role], body })
      return { status: response.status, body: (await response.json()) as Record<string, unknown> }
    }
    const service = as('customer_service')
    const resident = as('resident')
    const draft = (extra: Record<string, unknown> = {}) => ({
      communityId: f.ids.community,
      category: 'maintenance',
      lang: 'zh',
      title: '停水通知',
      body: '本周六 9:00–12:00 二次供水水箱清洗，届时停水。',
      ...extra,
    })
    const ids = (list: { body: Record<string, unknown> }) => (list.body.items as Notice[]).map((n) => n.id)

    it('drafts, publishes and withdraws a notice, audited; readers see it only while it is live', async () => {
      const created = await service('POST', '/notices', draft())
      assert.equal(created.status, 201)
      const notice = created.body as unknown as Notice
      assert.equal(notice.status, 'draft')
      assert.equal((await resident('GET', `/notices/${notice.id}`)).status, 404, 'a draft is not for readers')
      assert.ok(!ids(await resident('GET', '/notices')).includes(notice.id))
      assert.ok(ids(await service('GET', '/notices')).includes(notice.id), 'managers see drafts')

      const edited = await service('PATCH', `/notices/${notice.id}`, { title: '停水通知（更新）' })
      assert.equal(edited.body.title, '停水通知（更新）')
      const published = await service('POST', `/notices/${notice.id}/publish`, {})
      assert.equal(published.status, 200)
      assert.equal(published.body.live, true)
      const read = await resident('GET', `/notices/${notice.id}`)
      assert.equal(read.status, 200)
      assert.equal(read.body.title, '停水通知（更新）')
      assert.ok(ids(await resident('GET', '/notices')).includes(notice.id))

      assert.equal((await service('POST', `/notices/${notice.id}/withdraw`)).body.status, 'withdrawn')
      assert.equal((await resident('GET', `/notices/${notice.id}`)).status, 404)
      const [audit] = await f.db.query<{ actions: string[] }>(
        'SELECT array_agg(action ORDER BY seq) AS actions FROM audit_log WHERE object_id = $1',
        [notice.id],
      )
      assert.deepEqual(audit?.actions, [
        'notice.create',
        'notice.update',
        'notice.publish',
        'notice.withdraw',
      ])
    })

    it('targets a building: its residents see it, the next building’s do not', async () => {
      const mine = await service(
        'POST',
        '/notices',
        draft({ communityId: undefined, buildingId: f.ids.building, publish: true }),
      )
      const theirs = await service(
        'POST',
        '/notices',
        draft({ communityId: undefined, buildingId: neighbourBuilding, publish: true }),
      )
      assert.equal(mine.status, 201)
      assert.equal(mine.body.communityId, f.ids.community, 'the community comes from the building')
      const seen = ids(await resident('GET', '/notices?category=maintenance'))
      assert.ok(seen.includes(mine.body.id as string))
      assert.ok(!seen.includes(theirs.body.id as string))
      assert.equal((await resident('GET', `/notices/${theirs.body.id as string}`)).status, 404)
      assert.equal((await as('security_guard')('GET', `/notices/${theirs.body.id as string}`)).status, 200)
    })

    it('keeps a scheduled notice back until its time and hides it after expiry', async () => {
      const later = new Date(Date.now() + 3_600_000).toISOString()
      const scheduled = await service('POST', '/notices', draft({ publish: true, publishAt: later }))
      assert.equal(scheduled.body.status, 'published')
      assert.equal(scheduled.body.live, false)
      assert.equal((await resident('GET', `/notices/${scheduled.body.id as string}`)).status, 404)

      const expiring = await service('POST', '/notices', draft({ publish: true }))
      assert.equal((await resident('GET', `/notices/${expiring.body.id as string}`)).status, 200)
      await f.db.query(
        `UPDATE notices SET publish_at = now() - interval '2 days', expires_at = now() - interval '1 day' WHERE id = $1`,
        [expiring.body.id],
      )
      assert.equal((await resident('GET', `/notices/${expiring.body.id as string}`)).status, 404)
      assert.equal((await service('GET', `/notices/${expiring.body.id as string}`)).body.live, false)
    })

    it('refuses other roles, other scopes, illegal transitions and bad input', async () => {
      assert.equal((await resident('POST', '/notices', draft())).status, 403)
      assert.equal((await as('security_guard')('POST', '/notices', draft())).status, 403)
      assert.equal(
        (await service('POST', '/notices', draft({ communityId: f.ids.otherCommunity }))).status,
        404,
      )
      const foreign = await f.platform.db.query<{ id: string }>(
        `INSERT INTO notices (id, community_id, category, lang, title, body, status, publish_at, created_by)
         VALUES ('nt-foreign', $1, 'general', 'zh', '外部', '外部公告', 'published', now(), 'system') RETURNING id`,
        [f.ids.otherCommunity],
      )
      assert.equal((await service('GET', `/notices/${foreign[0]?.id ?? ''}`)).status, 404)
      assert.equal((await service('POST', `/notices/${foreign[0]?.id ?? ''}/withdraw`)).status, 404)
      assert.ok(!ids(await service('GET', '/notices')).includes('nt-foreign'))

      const live = await service('POST', '/notices', draft({ publish: true }))
      const id = live.body.id as string
      assert.equal((await service('PATCH', `/notices/${id}`, { title: 'x' })).status, 409)
      assert.equal((await service('POST', `/notices/${id}/publish`, {})).status, 409)
      const fresh = await service('POST', '/notices', draft())
      assert.equal((await service('POST', `/notices/${fresh.body.id as string}/withdraw`)).status, 409)

      assert.equal(
        (await service('POST', '/notices', { ...draft(), pinned: true })).status,
        400,
        'strict body',
      )
      assert.equal((await service('POST', '/notices', draft({ communityId: undefined }))).status, 400)
      assert.equal(
        (await service('POST', '/notices', draft({ expiresAt: '2020-01-01T00:00:00Z' }))).status,
        400,
      )
      assert.equal((await service('PATCH', `/notices/${fresh.body.id as string}`, {})).status, 400)
      assert.equal((await service('GET', '/notices?limit=0')).status, 400)
    })

    it('declares every operations route (notices, assistant, access, parking, services) in the OpenAPI document', async () => {
      const doc = (await (await f.request('GET', '/api/v1/openapi.json')).json()) as {
        paths: Record<string, Record<string, { 'x-permission'?: string }>>
      }
      const prefixes = ['notices', 'assistant', 'access', 'parking', 'services'].map((p) => `/api/v1/${p}`)
      const mine = (path: string) => prefixes.some((p) => path === p || path.startsWith(`${p}/`))
      const documented = Object.entries(doc.paths)
        .filter(([path]) => mine(path))
        .flatMap(([path, ops]) =>
          Object.entries(ops).map(
            ([method, op]) =>
              `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')} ${op['x-permission'] ?? '-'}`,
          ),
        )
      const registered = routePolicies(f.app)
        .filter((r) => mine(r.path))
        .map((r) => `${r.method} ${r.path} ${r.policy?.kind === 'permission' ? r.policy.permission : '-'}`)
      assert.ok(registered.length >= 40, `${registered.length} routes`)
      assert.deepEqual(documented.sort(), registered.sort())
      assert.equal(doc.paths['/api/v1/notices/{id}/publish']?.post?.['x-permission'], 'notice:manage')
    })
  })
}

noticeSuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () =>
  noticeSuite('PostgreSQL server', server.url),
)

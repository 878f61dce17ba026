/**
 * Personal data (PIPL), end to end through the API: masked in every response, unmasked only with `pii:unmask`
 * and audited, exact search through the lookup hash, consent before face enrolment, the resident's export and
 * deletion, no personal data in logs or on the wall-screen routes, and none in plaintext anywhere in the database.
 * Runs on PGlite and on the PostgreSQL server.
 */
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { createLogger, generateCommunity } from '../../data/index.ts'
import { testServer } from '../../data/testing/servers.ts'
import { createApp } from '../app.ts'
import { dumpPostgres, PLAINTEXT_PII } from '../testing/dump.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'

const PHONE = '13912345678'
const ID_NUMBER = '11010519491231002X'

function privacySuite(label: string, url?: string): void {
  describe(`personal data: ${label}`, () => {
    let f: Fixture
    let created: { id: string; phone: string; idNumber: string }
    const logged: string[] = []
    let logApp: ReturnType<typeof createApp>

    before(async () => {
      f = await openFixture(await openTestDatabase(url))
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          logged.push(chunk.toString())
          done()
        },
      })
      logApp = createApp({
        stores: {
          ...f.platform,
          postgres: f.db,
          clickhouse: undefined as never,
          influx: null,
          close: () => Promise.resolve(),
        },
        log: createLogger({ level: 'debug' }, sink),
        config: f.config,
        platform: f.platform,
      })
      const response = await logApp.request('/api/v1/residents', {
        method: 'POST',
        headers: { authorization: `Bearer ${f.tokens.customer_service}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          householdId: f.ids.household,
          name: '周敏',
          gender: 'F',
          birthDate: '1949-12-31',
          idNumber: ID_NUMBER,
          phone: PHONE,
          relation: 'parent',
          ageGroup: 'elderly',
        }),
      })
      assert.equal(response.status, 201)
      created = (await response.json()) as typeof created
    })
    after(() => f.close())

    it('masks ID and phone numbers in every response, for every role', async () => {
      assert.equal(created.phone, '139****5678')
      assert.equal(created.idNumber, '110105********002X')
      for (const token of Object.values(f.tokens)) {
        for (const path of ['/api/v1/residents?limit=200', `/api/v1/residents/${created.id}`]) {
          const text = await (await f.request('GET', path, { token })).text()
          assert.doesNotMatch(text, PLAINTEXT_PII, path)
        }
      }
    })

    it('unmasks only for pii:unmask, with a reason, and audits each unmask', async () => {
      const body = { fields: ['phone', 'idNumber'], reason: 'calling back about a leak' }
      const denied = await f.request('POST', `/api/v1/residents/${created.id}/unmask`, {
        token: f.tokens.security_guard,
        body,
      })
      assert.equal(denied.status, 403)
      const [before] = await f.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'pii.unmask%'",
      )
      const shown = await f.request('POST', `/api/v1/residents/${created.id}/unmask`, {
        token: f.tokens.customer_service,
        body,
      })
      assert.equal(shown.status, 200)
      assert.deepEqual(await shown.json(), { id: created.id, phone: PHONE, idNumber: ID_NUMBER })
      const entries = await f.db.query<{ action: string; actor_role: string; object_id: string }>(
        "SELECT action, actor_role, object_id FROM audit_log WHERE action LIKE 'pii.unmask%' ORDER BY seq",
      )
      assert.equal(entries.length, (before?.n ?? 0) + 1)
      assert.deepEqual(entries.at(-1), {
        action: 'pii.unmask:idNumber,phone',
        actor_role: 'customer_service',
        object_id: created.id,
      })
      const outside = await f.request('POST', `/api/v1/residents/${f.ids.otherCommunityResident}/unmask`, {
        token: f.tokens.customer_service,
        body,
      })
      assert.equal(outside.status, 404, 'out of scope reads as missing')
    })

    it('finds a resident by exact phone or ID number without storing or logging the number', async () => {
      const byPhone = await f.request('POST', '/api/v1/residents/search', {
        token: f.tokens.community_manager,
        body: { phone: PHONE },
      })
      const found = (await byPhone.json()) as { items: { id: string }[] }
      assert.deepEqual(
        found.items.map((r) => r.id),
        [created.id],
      )
      const byId = await f.request('POST', '/api/v1/residents/search', {
        token: f.tokens.community_manager,
        body: { idNumber: ID_NUMBER.toLowerCase() },
      })
      assert.deepEqual(
        ((await byId.json()) as { items: { id: string }[] }).items.map((r) => r.id),
        [created.id],
      )
      const elsewhere = await f.request('POST', '/api/v1/residents/search', {
        token: f.tokens.community_manager,
        body: { phone: '13900001234' },
      })
      assert.deepEqual(
        ((await elsewhere.json()) as { items: unknown[] }).items,
        [],
        'another community’s resident is not found',
      )
    })

    it('enrols a face only with consent, revokes it on withdrawal, and every gate takes a non-face credential', async () => {
      const base = `/api/v1/residents/${created.id}`
      const token = f.tokens.customer_service
      const noConsent = await f.request('POST', `${base}/credentials`, { token, body: { kind: 'face' } })
      assert.equal(noConsent.status, 409)
      assert.equal(((await noConsent.json()) as { error: { code: string } }).error.code, 'consent_required')
      assert.equal(
        (await f.request('POST', `${base}/credentials`, { token, body: { kind: 'card' } })).status,
        201,
      )
      assert.equal(
        (
          await f.request('POST', `${base}/face-consent`, {
            token,
            body: { purpose: '门禁人脸识别', method: 'paper' },
          })
        ).status,
        201,
      )
      assert.equal(
        (await f.request('POST', `${base}/credentials`, { token, body: { kind: 'face' } })).status,
        201,
      )
      assert.equal((await f.request('POST', `${base}/face-consent/withdraw`, { token })).status, 200)
      const state = (await (await f.request('GET', `${base}/face`, { token })).json()) as {
        credentials: { kind: string; revokedAt: string | null }[]
      }
      assert.ok(state.credentials.find((c) => c.kind === 'face')?.revokedAt, 'face credential revoked')
      assert.equal(state.credentials.find((c) => c.kind === 'card')?.revokedAt, null, 'the card still works')
      await assert.rejects(
        f.db.query("UPDATE gates SET credential_kinds = '{face}'"),
        /gates_non_face_credential/,
      )
      await assert.rejects(
        f.db.query("INSERT INTO access_credentials (id, resident_id, kind) VALUES ('x', $1, 'face')", [
          created.id,
        ]),
        /check/,
      )
    })

    it('lets a resident export their own data, audited, and nobody else’s', async () => {
      const response = await f.request('GET', '/api/v1/me/data', { token: f.tokens.resident })
      assert.equal(response.status, 200)
      const data = (await response.json()) as {
        resident: { id: string; phone: string | null; idNumber: string }
      }
      assert.equal(data.resident.id, f.ids.resident)
      assert.match(data.resident.idNumber, /^\d{17}[\dX]$/, 'their own data in full')
      assert.equal(
        (await f.request('GET', '/api/v1/me/data', { token: f.tokens.community_manager })).status,
        403,
      )
      const [entry] = await f.db.query<{ object_id: string }>(
        "SELECT object_id FROM audit_log WHERE action = 'pii.export' ORDER BY seq DESC LIMIT 1",
      )
      assert.equal(entry?.object_id, f.ids.resident)
    })

    it('erases a resident’s data on a completed deletion request and closes their account', async () => {
      const asked = await f.request('POST', '/api/v1/me/deletion-request', { token: f.tokens.resident })
      assert.equal(asked.status, 201)
      const { id } = (await asked.json()) as { id: string }
      assert.equal(
        (await f.request('POST', '/api/v1/me/deletion-request', { token: f.tokens.resident })).status,
        409,
      )
      const listed = (await (
        await f.request('GET', '/api/v1/data-requests', { token: f.tokens.community_manager })
      ).json()) as {
        items: { id: string }[]
      }
      assert.ok(listed.items.some((r) => r.id === id))
      // A card with its number (encrypted, hashed, masked), and one already revoked that still holds its secret.
      for (const [credential, revoked] of [
        ['cr-erase-live', null],
        ['cr-erase-old', new Date('2026-01-01T00:00:00Z')],
      ] as const)
        await f.db.query(
          `INSERT INTO access_credentials (id, resident_id, kind, secret_enc, secret_hash, secret_masked, revoked_at)
           VALUES ($1, $2, 'card', '\\x0102', '\\x0304', '****5678', $3)`,
          [credential, f.ids.resident, revoked],
        )
      const done = await f.request('POST', `/api/v1/data-requests/${id}/complete`, {
        token: f.tokens.community_manager,
      })
      assert.equal(done.status, 200)
      const [row] = await f.db.query<Record<string, unknown>>(
        'SELECT name, id_number_enc, id_number_hash, id_number_masked, phone_enc, phone_masked, erased_at FROM residents WHERE id = $1',
        [f.ids.resident],
      )
      assert.equal(row?.name, '已删除')
      assert.equal(row?.id_number_enc, null)
      assert.equal(row?.phone_enc, null)
      assert.ok(row?.erased_at)
      const credentials = await f.db.query<Record<string, unknown>>(
        'SELECT id, secret_enc, secret_hash, secret_masked, revoked_at FROM access_credentials WHERE resident_id = $1',
        [f.ids.resident],
      )
      assert.ok(credentials.length >= 2)
      for (const c of credentials) {
        assert.deepEqual(
          [c.secret_enc, c.secret_hash, c.secret_masked],
          [null, null, null],
          `${String(c.id)}: secret erased`,
        )
        assert.ok(c.revoked_at, `${String(c.id)}: revoked`)
      }
      assert.equal(
        (await f.request('GET', '/api/v1/me', { token: f.tokens.resident })).status,
        401,
        'account closed',
      )
    })

    it('serves the wall screen without personal data', async () => {
      const list = (await (
        await f.request('GET', '/api/v1/twin/communities', { token: f.tokens.wall_screen })
      ).json()) as {
        communities: { id: string }[]
      }
      for (const community of list.communities) {
        const text = await (
          await f.request('GET', `/api/v1/twin/communities/${community.id}/scene`, {
            token: f.tokens.wall_screen,
          })
        ).text()
        assert.doesNotMatch(text, PLAINTEXT_PII)
        assert.doesNotMatch(text, /"(householdId|residentId|idNumber|phone|birthDate)"/)
      }
      assert.equal((await f.request('GET', '/api/v1/residents', { token: f.tokens.wall_screen })).status, 403)
    })

    it('writes no personal data to the logs', () => {
      const text = logged.join('')
      assert.ok(text.includes('"requestId"'), 'request ids are logged')
      assert.doesNotMatch(text, PLAINTEXT_PII)
      assert.ok(!text.includes(PHONE) && !text.includes(ID_NUMBER))
    })

    it('keeps no plaintext ID or phone number anywhere in the database', async () => {
      const dump = await dumpPostgres(f.db)
      assert.ok(dump.length > 10_000)
      const match = PLAINTEXT_PII.exec(dump)
      assert.equal(
        match,
        null,
        `plaintext found: ${match ? dump.slice(Math.max(0, match.index - 80), match.index + 20) : ''}`,
      )
      // And none of the generated residents' actual numbers, whatever the surrounding characters.
      const set = generateCommunity({ profile: 'small', seed: 20261125 })
      for (const resident of set.communities.flatMap((c) => c.residents)) {
        assert.ok(!dump.includes(resident.idNumber), resident.id)
        if (resident.phone) assert.ok(!dump.includes(resident.phone), resident.id)
      }
      assert.ok(!dump.includes(PHONE) && !dump.includes(ID_NUMBER))
    })
  })
}

privacySuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () =>
  privacySuite('PostgreSQL server', server.url),
)

/**
 * Access and visitors through the API: credentials (masked, encrypted, face only with consent), visitor passes
 * (QR token once, verified at a gate: valid, used up, revoked, expired, not yet valid, unknown, blocklisted),
 * deliveries with pickup codes, the blocklist, and gate events from the ingest (stored once per message, barrier
 * passages opening and closing parking sessions). Refusals: permission, scope, illegal state, bad input. Runs on
 * PGlite and on the PostgreSQL server.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServer } from '../../data/testing/servers.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'
import { gateEventFeed } from './feed.ts'
import { GateEventFeed, GateEventService } from './gate-events.ts'
import { applyBarrier } from '../parking/sessions.ts'
import { passState } from './passes.ts'

type Role = keyof Fixture['tokens']
type Body = Record<string, unknown>

function accessSuite(label: string, url?: string): void {
  describe(`access: ${label}`, () => {
    let f: Fixture
    let gate: string
    let foreignGate: string
    before(async () => {
      f = await openFixture(await openTestDatabase(url))
      const [row] = await f.db.query<{ id: string }>(
        'SELECT id FROM gates WHERE community_id = $1 ORDER BY id LIMIT 1',
        [f.ids.community],
      )
      gate = row?.id ?? ''
      foreignGate = 'gate-foreign'
      await f.db.query(
        `INSERT INTO gates (id, community_id, name, kind, position, node_id, lanes) VALUES ($1, $2, '北门', 'pedestrian', '[0,0]', 'n0', 2)`,
        [foreignGate, f.ids.otherCommunity],
      )
    })
    after(() => f.close())
    const as = (role: Role) => async (method: string, path: string, body?: unknown) => {
      const response = await f.request(method, `/api/v1${path}`, { token: f.tokens[role], body })
      return { status: response.status, body: (await response.json()) as Body }
    }
    const guard = as('security_guard')
    const resident = as('resident')
    const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString()

    it('issues and revokes credentials, secrets encrypted and masked, face only with consent', async () => {
      const card = await guard('POST', '/access/credentials', {
        residentId: f.ids.resident,
        kind: 'card',
        cardNumber: '0412345678',
      })
      assert.equal(card.status, 201)
      assert.equal(card.body.masked, '****5678')
      assert.equal(card.body.secret, null)
      const [stored] = await f.db.query<{ secret_enc: Uint8Array; household_id: string }>(
        'SELECT secret_enc, household_id FROM access_credentials WHERE id = $1',
        [card.body.id],
      )
      assert.ok(
        !Buffer.from(stored?.secret_enc ?? [])
          .toString('latin1')
          .includes('0412345678'),
        'encrypted at rest',
      )
      assert.equal(stored?.household_id, f.ids.household, 'scope ids derived from the resident')
      assert.equal(
        (
          await guard('POST', '/access/credentials', {
            residentId: f.ids.otherResident,
            kind: 'card',
            cardNumber: '0412345678',
          })
        ).status,
        409,
        'one card number, one holder',
      )
      const qr = await guard('POST', '/access/credentials', { residentId: f.ids.resident, kind: 'qr' })
      assert.match(String(qr.body.secret), /^ac_/)

      const face = {
        residentId: f.ids.resident,
        kind: 'face',
        faceTemplate: Buffer.from('template-bytes').toString('base64'),
      }
      const refused = await guard('POST', '/access/credentials', face)
      assert.equal(refused.status, 409)
      assert.equal((refused.body.error as Body).code, 'consent_required')
      const consent = await as('customer_service')('POST', `/residents/${f.ids.resident}/face-consent`, {
        purpose: '门禁人脸识别',
        method: 'paper',
      })
      assert.equal(consent.status, 201)
      assert.equal((await guard('POST', '/access/credentials', face)).status, 201)

      const mine = await resident('GET', '/access/credentials')
      const ids = (mine.body.items as Body[]).map((c) => c.id)
      assert.ok(ids.includes(card.body.id))
      assert.ok((mine.body.items as Body[]).every((c) => c.householdId === f.ids.household))

      const revoked = await guard('POST', `/access/credentials/${String(card.body.id)}/revoke`, {
        reason: '卡片遗失',
      })
      assert.equal(revoked.status, 200)
      assert.ok(revoked.body.revokedAt)
      assert.equal(
        (await guard('POST', `/access/credentials/${String(card.body.id)}/revoke`, { reason: '卡片遗失' }))
          .status,
        409,
      )
      const audit = await f.db.query<{ action: string }>(
        'SELECT action FROM audit_log WHERE object_id = $1 ORDER BY seq',
        [card.body.id],
      )
      assert.deepEqual(
        audit.map((a) => a.action),
        ['credential.issue:card', 'credential.revoke'],
      )
    })

    it('refuses credentials out of scope, without permission and with bad input', async () => {
      assert.equal(
        (await guard('POST', '/access/credentials', { residentId: f.ids.otherCommunityResident, kind: 'qr' }))
          .status,
        404,
      )
      assert.equal(
        (await resident('POST', '/access/credentials', { residentId: f.ids.resident, kind: 'qr' })).status,
        403,
      )
      assert.equal(
        (await guard('POST', '/access/credentials', { residentId: f.ids.resident, kind: 'card' })).status,
        400,
      )
      assert.equal(
        (
          await guard('POST', '/access/credentials', {
            residentId: f.ids.resident,
            kind: 'pin',
            pin: '123456',
            cardNumber: '0412345678',
          })
        ).status,
        400,
      )
      assert.equal(
        (await guard('POST', '/access/credentials', { residentId: f.ids.resident, kind: 'pin', pin: '12ab' }))
          .status,
        400,
      )
      assert.equal(
        (await guard('POST', '/access/credentials', { residentId: f.ids.resident, kind: 'qr', admin: true }))
          .status,
        400,
      )
      const foreign = await f.db.query<{ id: string }>(
        `INSERT INTO access_credentials (id, resident_id, kind) VALUES ('ac-foreign', $1, 'card') RETURNING id`,
        [f.ids.otherCommunityResident],
      )
      assert.equal(
        (await guard('POST', `/access/credentials/${foreign[0]?.id ?? ''}/revoke`, { reason: '测试' }))
          .status,
        404,
      )
      assert.equal(
        (await resident('GET', `/access/credentials?residentId=${f.ids.otherResident}`)).body.items instanceof
          Array,
        true,
      )
      assert.equal(
        (
          (await resident('GET', `/access/credentials?residentId=${f.ids.otherResident}`)).body
            .items as Body[]
        ).length,
        0,
      )
    })

    it('lets a resident invite a visitor and the gate admit them once', async () => {
      const created = await resident('POST', '/access/passes', {
        visitorName: '王小明',
        phone: '13800001111',
        purpose: '探亲',
        validUntil: inHours(4),
      })
      assert.equal(created.status, 201)
      assert.equal(created.body.householdId, f.ids.household)
      assert.equal(created.body.visitorName, '王**')
      assert.equal(created.body.phone, '138****1111')
      const token = String(created.body.token)
      const [row] = await f.db.query<{ phone_enc: Uint8Array; token_hash: Uint8Array }>(
        'SELECT phone_enc, token_hash FROM visitor_passes WHERE id = $1',
        [created.body.id],
      )
      assert.ok(
        !Buffer.from(row?.phone_enc ?? [])
          .toString('latin1')
          .includes('13800001111'),
      )
      assert.ok(
        !Buffer.from(row?.token_hash ?? [])
          .toString('latin1')
          .includes(token),
      )
      assert.equal(
        (await resident('GET', `/access/passes/${String(created.body.id)}`)).body.token,
        undefined,
        'the token is shown once',
      )

      const first = await guard('POST', '/access/passes/verify', { token, gateId: gate })
      assert.equal(first.body.granted, true)
      assert.equal((first.body.pass as Body).entries, 1)
      const again = await guard('POST', '/access/passes/verify', { token, gateId: gate })
      assert.deepEqual([again.body.granted, again.body.reason], [false, 'used_up'])
      const out = await guard('POST', '/access/passes/verify', { token, gateId: gate, direction: 'out' })
      assert.equal(out.body.granted, true, 'leaving does not need an entry left')
      const unknown = await guard('POST', '/access/passes/verify', {
        token: 'vp_not-a-real-token-at-all',
        gateId: gate,
      })
      assert.deepEqual([unknown.body.granted, unknown.body.reason], [false, 'unknown'])
      assert.equal((await guard('POST', '/access/passes/verify', { token, gateId: foreignGate })).status, 404)

      const events = await guard('GET', `/access/events?type=visitor.verify&gateId=${gate}`)
      const results = (events.body.items as Body[]).map((e) => `${String(e.result)}:${String(e.reason)}`)
      assert.deepEqual(results.slice(0, 4), [
        'denied:unknown',
        'granted:null',
        'denied:used_up',
        'granted:null',
      ])
    })

    it('refuses revoked, expired and early passes, and passes for other homes', async () => {
      const make = async (extra: Body = {}) =>
        (
          await guard('POST', '/access/passes', {
            householdId: f.ids.household,
            visitorName: '李四',
            purpose: '送货',
            validUntil: inHours(2),
            ...extra,
          })
        ).body
      const revoked = await make()
      assert.equal((await resident('POST', `/access/passes/${String(revoked.id)}/revoke`)).status, 200)
      assert.equal((await resident('POST', `/access/passes/${String(revoked.id)}/revoke`)).status, 409)
      assert.equal(
        (await guard('POST', '/access/passes/verify', { token: revoked.token, gateId: gate })).body.reason,
        'revoked',
      )
      const early = await make({ validFrom: inHours(1) })
      assert.equal(early.state, 'not_yet_valid')
      assert.equal(
        (await guard('POST', '/access/passes/verify', { token: early.token, gateId: gate })).body.reason,
        'not_yet_valid',
      )
      const expired = await make()
      await f.db.query(
        `UPDATE visitor_passes SET valid_from = now() - interval '3 hours', valid_until = now() - interval '1 hour' WHERE id = $1`,
        [expired.id],
      )
      assert.equal(
        (await guard('POST', '/access/passes/verify', { token: expired.token, gateId: gate })).body.reason,
        'expired',
      )

      const body = { visitorName: '赵六', purpose: '拜访', validUntil: inHours(2) }
      assert.equal(
        (await resident('POST', '/access/passes', { ...body, householdId: f.ids.otherHousehold })).status,
        404,
      )
      assert.equal(
        (await guard('POST', '/access/passes', { ...body, householdId: f.ids.otherCommunityHousehold }))
          .status,
        404,
      )
      assert.equal((await guard('POST', '/access/passes', body)).status, 400, 'staff name the household')
      assert.equal(
        (await resident('POST', '/access/passes', { ...body, validUntil: inHours(24 * 8) })).status,
        400,
      )
      assert.equal(
        (await resident('POST', '/access/passes', { ...body, validUntil: inHours(-1) })).status,
        400,
      )
      assert.equal(
        (await resident('POST', '/access/passes/verify', { token: String(early.token), gateId: gate }))
          .status,
        403,
      )
      assert.equal((await as('finance')('POST', '/access/passes', body)).status, 403)
      const [foreign] = await f.db.query<{ id: string }>(
        `INSERT INTO visitor_passes (id, community_id, building_id, household_id, visitor_name, purpose, token_hash,
           valid_from, valid_until, max_entries, created_by)
         SELECT 'vp-foreign', community_id, building_id, id, '外', '外', '\\x00', now(), now() + interval '1 hour', 1, 'x'
         FROM households WHERE id = $1 RETURNING id`,
        [f.ids.otherCommunityHousehold],
      )
      assert.equal((await guard('GET', `/access/passes/${foreign?.id ?? ''}`)).status, 404)
      assert.equal((await resident('GET', `/access/passes/${foreign?.id ?? ''}`)).status, 404)
    })

    it('keeps blocked people and vehicles out', async () => {
      const block = await guard('POST', '/access/blocklist', {
        communityId: f.ids.community,
        kind: 'person',
        name: '张三',
        phone: '13912345678',
        reason: '多次滋扰',
      })
      assert.equal(block.status, 201)
      assert.equal(block.body.phone, '139****5678')
      assert.equal(
        (
          await guard('POST', '/access/blocklist', {
            communityId: f.ids.community,
            kind: 'person',
            phone: '13912345678',
            reason: '重复',
          })
        ).status,
        409,
      )
      const refused = await resident('POST', '/access/passes', {
        visitorName: '张三',
        phone: '13912345678',
        purpose: '拜访',
        validUntil: inHours(2),
      })
      assert.equal(refused.status, 409)
      assert.equal((refused.body.error as Body).code, 'blocklisted')
      assert.equal(
        (
          await guard('POST', '/access/blocklist', {
            communityId: f.ids.otherCommunity,
            kind: 'vehicle',
            plate: '浙A00001',
            reason: '欠费',
          })
        ).status,
        404,
      )
      assert.equal(
        (
          await guard('POST', '/access/blocklist', {
            communityId: f.ids.community,
            kind: 'person',
            reason: '无号码',
          })
        ).status,
        400,
      )
      assert.equal(
        (
          await resident('POST', '/access/blocklist', {
            communityId: f.ids.community,
            kind: 'vehicle',
            plate: '浙A00001',
            reason: 'x1',
          })
        ).status,
        403,
      )
      assert.equal((await guard('POST', `/access/blocklist/${String(block.body.id)}/lift`)).status, 200)
      assert.equal((await guard('POST', `/access/blocklist/${String(block.body.id)}/lift`)).status, 409)
      assert.equal(
        (
          await resident('POST', '/access/passes', {
            visitorName: '张三',
            phone: '13912345678',
            purpose: '拜访',
            validUntil: inHours(2),
          })
        ).status,
        201,
      )
      const listed = await guard('GET', '/access/blocklist?includeLifted=true')
      assert.ok((listed.body.items as Body[]).some((e) => e.id === block.body.id && e.liftedAt))
      assert.equal(
        ((await resident('GET', '/access/blocklist')).body.items as Body[]).length,
        0,
        'community objects are not a household’s',
      )
    })

    it('holds deliveries: the household sees its pickup code, the gatehouse checks it', async () => {
      const parcel = await guard('POST', '/access/deliveries', {
        householdId: f.ids.household,
        carrier: '顺丰',
        parcels: 2,
      })
      assert.equal(parcel.status, 201)
      const code = String(parcel.body.pickupCode)
      assert.match(code, /^\d{6}$/)
      const seen = (await resident('GET', '/access/deliveries?status=waiting')).body.items as Body[]
      assert.equal(seen.find((d) => d.id === parcel.body.id)?.pickupCode, code)
      const staffView = (await guard('GET', '/access/deliveries')).body.items as Body[]
      assert.equal(staffView.find((d) => d.id === parcel.body.id)?.pickupCode, '******')
      const wrong = code === '000000' ? '000001' : '000000'
      const refused = await guard('POST', `/access/deliveries/${String(parcel.body.id)}/collect`, {
        pickupCode: wrong,
      })
      assert.deepEqual([refused.status, (refused.body.error as Body).code], [400, 'wrong_code'])
      assert.equal(
        (await guard('POST', `/access/deliveries/${String(parcel.body.id)}/collect`, { pickupCode: code }))
          .body.status,
        'collected',
      )
      assert.equal((await guard('POST', `/access/deliveries/${String(parcel.body.id)}/return`)).status, 409)
      assert.equal(
        (
          await guard('POST', '/access/deliveries', {
            householdId: f.ids.otherCommunityHousehold,
            carrier: '京东',
          })
        ).status,
        404,
      )
      assert.equal(
        (await resident('POST', '/access/deliveries', { householdId: f.ids.household, carrier: '京东' }))
          .status,
        403,
      )
    })

    it('stores gate events from the ingest once per message and runs barrier passages into parking', async () => {
      const [lane] = await f.db.query<{ id: string }>(
        `SELECT id FROM devices WHERE community_id = $1 AND kind = 'access_gate' ORDER BY id LIMIT 1`,
        [f.ids.community],
      )
      const [barrier] = await f.db.query<{ id: string; lot_id: string }>(
        `SELECT id, lot_id FROM devices WHERE community_id = $1 AND kind = 'parking_barrier' AND lot_id IS NOT NULL ORDER BY id LIMIT 1`,
        [f.ids.community],
      )
      assert.ok(lane && barrier, 'the small community has gate lanes and barriers')
      await f.db.query(
        `INSERT INTO parking_tariffs (id, community_id, free_minutes, hourly_fen, daily_cap_fen, updated_by) VALUES ('pt-a', $1, 15, 300, 2000, 'x')`,
        [f.ids.community],
      )
      const t0 = Date.now() - 3 * 3_600_000
      const feed = gateEventFeed(f.platform)
      feed.event({ id: lane.id, kind: 'access_gate' }, 0, t0, 'access.pass', {
        ts: t0,
        seq: 1,
        type: 'access.pass',
        direction: 'in',
        method: 'card',
        person: 'resident',
      })
      feed.event({ id: barrier.id, kind: 'parking_barrier' }, 0, t0, 'vehicle.entry', {
        ts: t0,
        seq: 7,
        type: 'vehicle.entry',
        plate: '沪a 12345',
        energy: 'fuel',
        person: 'visitor',
      })
      feed.event({ id: barrier.id, kind: 'parking_barrier' }, 0, t0, 'telemetry.noise', { ts: t0, seq: 8 })
      await feed.flush()
      const service = new GateEventService(f.db, applyBarrier)
      const exit = {
        deviceId: barrier.id,
        seq: 9,
        ts: t0 + 2 * 3_600_000 + 60_000,
        type: 'vehicle.exit',
        fields: { plate: '沪A12345' },
      }
      assert.deepEqual(await service.ingest([exit]), { stored: 1, duplicates: 0, skipped: 0 })
      assert.deepEqual(
        await service.ingest([exit]),
        { stored: 0, duplicates: 1, skipped: 0 },
        'a redelivered message is stored once',
      )

      const events = (await guard('GET', `/access/events?lotId=${barrier.lot_id}`)).body.items as Body[]
      assert.deepEqual(
        events.map((e) => e.type),
        ['vehicle.exit', 'vehicle.entry'],
      )
      assert.equal(events[1]?.plate, '沪A12345', 'plates are normalised')
      const sessions = (await guard('GET', `/parking/sessions?plate=${encodeURIComponent('沪A12345')}`)).body
        .items as Body[]
      assert.equal(sessions.length, 1)
      assert.equal(sessions[0]?.status, 'closed')
      assert.equal(sessions[0]?.feeFen, 900, '2 h 1 min → three started hours at 3.00 yuan')
      assert.equal(
        ((await resident('GET', '/access/events')).body.items as Body[]).length,
        0,
        'gate events are not a household’s',
      )

      await guard('POST', '/access/blocklist', {
        communityId: f.ids.community,
        kind: 'vehicle',
        plate: '沪B99999',
        reason: '欠费',
      })
      await service.ingest([
        {
          deviceId: barrier.id,
          seq: 10,
          ts: Date.now(),
          type: 'vehicle.entry',
          fields: { plate: '沪B99999' },
        },
      ])
      const denied = (await guard('GET', '/access/events?type=vehicle.entry&limit=1')).body.items as Body[]
      assert.deepEqual([denied[0]?.result, denied[0]?.reason], ['denied', 'blocklisted'])
      assert.equal(
        (
          (await guard('GET', `/parking/sessions?plate=${encodeURIComponent('沪B99999')}`)).body
            .items as Body[]
        ).length,
        0,
      )
    })
  })
}

describe('GateEventFeed', () => {
  it('keeps a failed batch for the next attempt and drops the oldest beyond its backlog', async () => {
    let fail = true
    const written: number[] = []
    const service = {
      ingest: (events: readonly { seq: number }[]) => {
        if (fail) return Promise.reject(new Error('database down'))
        written.push(...events.map((e) => e.seq))
        return Promise.resolve({ stored: events.length, duplicates: 0, skipped: 0 })
      },
    } as unknown as GateEventService
    const errors: unknown[] = []
    const feed = new GateEventFeed(service, { maxBacklog: 3, onError: (e) => errors.push(e) })
    const lane = { id: 'lane-1', kind: 'access_gate' }
    for (let seq = 1; seq <= 5; seq++) feed.event(lane, 0, seq, 'access.pass', { seq })
    feed.event(lane, 0, 6, 'telemetry', { seq: 6 })
    await feed.flush()
    assert.equal(errors.length, 1)
    assert.equal(feed.dropped, 2)
    fail = false
    await feed.stop()
    assert.deepEqual(written, [3, 4, 5], 'the newest three, in order; not the non-gate message')
  })
})

describe('passState', () => {
  const now = new Date('2026-11-25T10:00:00Z')
  const pass = {
    status: 'active',
    validFrom: new Date('2026-11-25T09:00:00Z'),
    validUntil: new Date('2026-11-25T11:00:00Z'),
    entries: 0,
    maxEntries: 1,
  }
  it('is valid inside its window with entries left', () => assert.equal(passState(pass, now), 'valid'))
  it('ends exactly at validUntil and starts exactly at validFrom', () => {
    assert.equal(passState(pass, pass.validUntil), 'expired')
    assert.equal(passState(pass, pass.validFrom), 'valid')
    assert.equal(passState(pass, new Date(pass.validFrom.getTime() - 1)), 'not_yet_valid')
  })
  it('counts entries going in only, and revocation wins', () => {
    assert.equal(passState({ ...pass, entries: 1 }, now), 'used_up')
    assert.equal(passState({ ...pass, entries: 1 }, now, 'out'), 'valid')
    assert.equal(passState({ ...pass, status: 'revoked' }, now), 'revoked')
  })
})

accessSuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () =>
  accessSuite('PostgreSQL server', server.url),
)

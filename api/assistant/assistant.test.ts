/**
 * The assistant through the API: the thirty questions of questions.fixture.json, each answered with the right
 * source first (notices, FAQ, the household's bill and repair, fee items, the parking tariff) or with "I don't
 * know" and the phone number; answers never cite what the caller may not see; refusals. Runs on PGlite and on
 * the PostgreSQL server.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { testServer } from '../../data/testing/servers.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'
import { intentOf } from './intents.ts'
import { tokenize } from './tokenize.ts'

interface Expected {
  type: string
  key?: string
  id?: string
}
const fixture = JSON.parse(readFileSync(new URL('./questions.fixture.json', import.meta.url), 'utf8')) as {
  questions: { q: string; intent: string; expect: Expected | null }[]
}

interface Answer {
  answered: boolean
  lang: string
  intent: string
  answer: string
  sources: { type: string; id: string; title: string }[]
  phone: string
}

const notices = {
  water: {
    category: 'maintenance',
    lang: 'zh',
    title: '停水通知',
    body: '因二次供水水箱清洗，本周六 9:00–12:00 全小区停水，请提前储水。',
  },
  elevator: {
    category: 'maintenance',
    lang: 'zh',
    title: '电梯维保通知 Elevator maintenance',
    body: '本楼电梯将于 11 月 28 日 9:00–11:00 进行例行维护保养，期间暂停使用，请走楼梯。The lifts of this building are out of service for maintenance on 28 November, 9:00–11:00.',
  },
  power: {
    category: 'maintenance',
    lang: 'zh',
    title: '停电检修通知',
    body: '配电房设备检修，12 月 2 日 13:00–15:00 全小区停电，请提前做好准备。',
  },
  'fire-drill': {
    category: 'safety',
    lang: 'zh',
    title: '消防演练通知',
    body: '12 月 5 日上午 10 点在中心广场举行消防演练，欢迎业主参加。',
  },
  pool: {
    category: 'general',
    lang: 'en',
    title: 'Swimming pool closed for cleaning',
    body: 'The community swimming pool is closed from 1 to 3 December for cleaning and reopens on 4 December.',
  },
} as const

function assistantSuite(label: string, url?: string): void {
  describe(`assistant: ${label}`, () => {
    let f: Fixture
    const keys = new Map<string, string>()
    const hidden = new Set<string>()
    before(async () => {
      f = await openFixture(await openTestDatabase(url))
      const service = f.tokens.customer_service
      const post = async (body: Record<string, unknown>) => {
        const response = await f.request('POST', '/api/v1/notices', {
          token: service,
          body: { ...body, publish: true },
        })
        assert.equal(response.status, 201)
        return ((await response.json()) as { id: string }).id
      }
      for (const [key, notice] of Object.entries(notices)) {
        const target = key === 'elevator' ? { buildingId: f.ids.building } : { communityId: f.ids.community }
        keys.set(key, await post({ ...notice, ...target }))
      }
      // Notices the resident may not see: the next building's, another community's.
      const [neighbour] = await f.db.query<{ id: string }>(
        'SELECT id FROM buildings WHERE community_id = $1 AND id <> $2 ORDER BY id LIMIT 1',
        [f.ids.community, f.ids.building],
      )
      hidden.add(
        await post({ ...notices.elevator, title: '电梯维保通知（邻楼）', buildingId: neighbour?.id }),
      )
      const [foreign] = await f.db.query<{ id: string }>(
        `INSERT INTO notices (id, community_id, category, lang, title, body, status, publish_at, created_by)
         VALUES ('nt-foreign', $1, 'maintenance', 'zh', '停水通知', '本周六全天停水，水箱清洗。', 'published', now(), 'system')
         RETURNING id`,
        [f.ids.otherCommunity],
      )
      hidden.add(foreign?.id ?? '')

      const [home] = await f.db.query<{ unit_id: string; company_id: string }>(
        `SELECT h.unit_id, c.company_id FROM households h JOIN communities c ON c.id = h.community_id WHERE h.id = $1`,
        [f.ids.household],
      )
      await f.db.query(
        `INSERT INTO fee_items (id, community_id, name, kind, unit_price, amount_fen, created_by) VALUES
         ('fi-a', $1, '物业服务费', 'area', 250, NULL, 'system'), ('fi-b', $1, '生活垃圾清运费', 'fixed', NULL, 1000, 'system')`,
        [f.ids.community],
      )
      keys.set('service-fee', 'fi-a')
      await f.db.query(
        `INSERT INTO billing_cycles (id, community_id, period, due_date, status, created_by)
         VALUES ('bc-1', $1, '2026-10-01', '2026-11-15', 'billed', 'system')`,
        [f.ids.community],
      )
      await f.db.query(
        `INSERT INTO fee_bills (id, cycle_id, community_id, building_id, unit_id, household_id, period, due_date,
           amount_due, amount_paid) VALUES ('fb-open', 'bc-1', $1, $2, $3, $4, '2026-10-01', '2026-11-15', 32500, 10000)`,
        [f.ids.community, f.ids.building, home?.unit_id, f.ids.household],
      )
      keys.set('open-bill', 'fb-open')
      await f.db.query(
        `INSERT INTO work_orders (id, company_id, community_id, building_id, household_id, source, category, skill,
           title, priority, state, created_at, updated_at, sla_started_at, respond_due_at, due_at)
         VALUES ('wo-leak', $1, $2, $3, $4, 'resident', 'plumbing', 'plumbing', '卫生间漏水', 'normal', 'in_progress',
           now(), now(), now(), now() + interval '1 hour', now() + interval '1 day')`,
        [home?.company_id, f.ids.community, f.ids.building, f.ids.household],
      )
      keys.set('leak', 'wo-leak')
      await f.db.query(
        `INSERT INTO parking_tariffs (id, community_id, free_minutes, hourly_fen, daily_cap_fen, updated_by)
         VALUES ('pt-1', $1, 30, 500, 3000, 'system')`,
        [f.ids.community],
      )
      keys.set('tariff', 'pt-1')
    })
    after(() => f.close())
    const ask = async (question: string, role: keyof Fixture['tokens'] = 'resident', extra = {}) => {
      const response = await f.request('POST', '/api/v1/assistant/ask', {
        token: f.tokens[role],
        body: { question, ...extra },
      })
      return { status: response.status, body: (await response.json()) as Answer }
    }

    it('answers the thirty fixture questions with the right source first', async () => {
      assert.equal(fixture.questions.length, 30)
      const wrong: string[] = []
      for (const item of fixture.questions) {
        const { status, body } = await ask(item.q)
        assert.equal(status, 200, item.q)
        const first = body.sources[0]
        const expectedId = item.expect && (item.expect.id ?? keys.get(item.expect.key ?? ''))
        const ok =
          item.expect === null
            ? !body.answered && body.sources.length === 0 && body.answer.includes(body.phone)
            : body.answered && first?.type === item.expect.type && first.id === expectedId
        if (!ok || body.intent !== item.intent)
          wrong.push(`${item.q} → ${body.intent} ${JSON.stringify(body.sources)} ${body.answer.slice(0, 60)}`)
        for (const source of body.sources)
          assert.ok(!hidden.has(source.id), `${item.q} cites a hidden notice`)
        assert.equal(body.lang, /\p{Script=Han}/u.test(item.q) ? 'zh' : 'en')
      }
      assert.deepEqual(wrong, [])
    })

    it('answers elevator questions from the maintenance plans the caller may see, citing the notice too', async () => {
      const lifts = await f.db.query<{ id: string; building_id: string; company_id: string }>(
        `SELECT d.id, d.building_id, c.company_id FROM devices d JOIN communities c ON c.id = d.community_id
         WHERE d.community_id = $1 AND d.kind = 'elevator' ORDER BY d.id`,
        [f.ids.community],
      )
      const lift = lifts[0]
      assert.ok(lift, 'the community has elevators')
      await f.db.query(
        `INSERT INTO maintenance_plans (id, company_id, community_id, building_id, device_id, device_kind, name,
           interval_days, next_due_at, created_by, created_at, updated_at)
         VALUES ('mp-lift', $1, $2, $3, $4, 'elevator', '1号电梯半月保养', 15, '2026-12-03T01:00:00Z', 'x', now(), now())`,
        [lift.company_id, f.ids.community, lift.building_id, lift.id],
      )
      const staff = await ask('电梯什么时候维保？', 'customer_service')
      assert.equal(staff.body.sources[0]?.id, 'mp-lift', 'community-wide staff see every building’s plans')
      assert.match(staff.body.answer, /2026-12-03/)
      const mine = await ask('电梯什么时候维保？')
      const expected =
        lift.building_id === f.ids.building
          ? ['mp-lift', keys.get('elevator')]
          : [keys.get('elevator'), 'faq-elevator-maintenance']
      assert.deepEqual(
        mine.body.sources.map((s) => s.id),
        expected,
        'a resident sees their own building’s plans only',
      )
    })

    it('fills answers from the records: amounts in yuan, the repair state, the tariff', async () => {
      const bill = await ask('我的账单还欠多少')
      assert.match(bill.body.answer, /225\.00 元/, '325.00 due − 100.00 paid')
      const repair = await ask('What is the status of my repair?')
      assert.match(repair.body.answer, /in progress/)
      const tariff = await ask('临时停车怎么收费')
      assert.match(tariff.body.answer, /30 分钟内免费.*5\.00 元.*30\.00 元/)
      const entries = await f.db.query<{ action: string }>(
        "SELECT action FROM audit_log WHERE action LIKE 'assistant.answer:%' AND object_id = $1",
        [f.ids.household],
      )
      assert.ok(
        entries.some((e) => e.action === 'assistant.answer:my_bill'),
        'personal answers are audited',
      )
    })

    it('keeps personal answers to the asker’s household and answers in the language asked', async () => {
      const staff = await ask('我的账单还欠多少', 'customer_service')
      assert.equal(staff.status, 200)
      assert.equal(staff.body.sources.length, 0, 'staff have no household of their own')
      const english = await ask('停水', 'resident', { lang: 'en' })
      assert.equal(english.body.lang, 'en')
      assert.match(english.body.answer, /^From the notice/)
    })

    it('refuses callers without the permission and bad input', async () => {
      assert.equal((await ask('电梯什么时候维保', 'security_guard')).status, 403)
      assert.equal((await ask('电梯什么时候维保', 'repair_staff')).status, 403)
      assert.equal((await ask('   ')).status, 400)
      assert.equal((await ask('x'.repeat(501))).status, 400)
      assert.equal((await ask('停水', 'resident', { householdId: f.ids.otherHousehold })).status, 400)
      const anonymous = await f.request('POST', '/api/v1/assistant/ask', { body: { question: '停水' } })
      assert.equal(anonymous.status, 401)
    })
  })
}

describe('assistant intents and tokens', () => {
  it('segments Chinese with Intl.Segmenter and adds bigrams inside runs', () => {
    const terms = tokenize('电梯维保计划')
    assert.ok(terms.includes('电梯'))
    assert.ok(terms.includes('维保'), 'a bigram joins a word the segmenter split')
    assert.ok(!tokenize('我的账单是什么').includes('什么'), 'question words are dropped')
    assert.deepEqual(tokenize('Repairs of the bills'), ['repair', 'bill'])
  })
  it('needs a personal marker for questions about one’s own records', () => {
    assert.equal(intentOf('怎么缴纳物业费'), 'general')
    assert.equal(intentOf('我家还欠多少物业费'), 'my_bill')
    assert.equal(intentOf('How do I report a repair?'), 'general')
    assert.equal(intentOf('Has my repair been fixed? Any update?'), 'my_repair')
  })
})

assistantSuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () =>
  assistantSuite('PostgreSQL server', server.url),
)

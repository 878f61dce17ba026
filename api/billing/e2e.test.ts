/**
 * The end-to-end month of billing on the default community (about 2,000 households, 4,000+ meters), through the
 * API on PGlite: meter telemetry in chDB, readings collected at cycle close, a month's bills generated, some paid
 * at the counter and some online through the sandbox gateway (a share of the callbacks delivered twice), a
 * resident paying their own bill, reminders to everyone still owing, and the collection rate the API reports
 * equal to the one computed from the ledger (bill lines, payments and refunds).
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import {
  configFrom,
  createLogger,
  generateCommunity,
  loadCommunitySet,
  migrate,
  openPostgres,
  PiiCipher,
  totpCode,
  totpStep,
  type ClickHouse,
  type Postgres,
} from '../../data/index.ts'
import { tempDir } from '../../data/testing/temp-dir.ts'
import { createPlatform } from '../platform.ts'
import { ensureDemoAccounts } from '../users/demo-accounts.ts'
import { cycleBounds } from './cycles.ts'
import type {
  BillView,
  CallbackAckView,
  CollectionView,
  CollectView,
  CycleView,
  GenerateView,
  OrderView,
  RemindView,
} from './schemas.ts'
import { appWithTelemetry, openTelemetryStore, seedMeterTelemetry } from './testing.ts'

const silent = createLogger({ level: 'silent' })

describe('billing end to end: a month of the default community', () => {
  const dir = tempDir('billing-e2e-')
  let db: Postgres
  let store: ClickHouse
  let api: ReturnType<typeof appWithTelemetry>
  const tokens: Record<string, string> = {}
  let communityId = ''
  let household = ''

  before(async () => {
    db = await openPostgres({ kind: 'pglite', dir: 'memory://' })
    await migrate(db)
    const pii = new PiiCipher(randomBytes(32))
    await loadCommunitySet(db, pii, generateCommunity({ profile: 'default', seed: 20261125 }))
    const config = configFrom({ DATA_DIR: dir.path, AUTH_SCRYPT_LOG_N: '10', LOG_LEVEL: 'error' })
    const stores = {
      postgres: db,
      pii,
      clickhouse: undefined as never,
      influx: null,
      close: () => db.close(),
    }
    const platform = createPlatform(config, stores, silent)
    const accounts = (await ensureDemoAccounts(platform, silent, () => undefined)) ?? []
    store = await openTelemetryStore(`${dir.path}/chdb`)
    api = appWithTelemetry({ db, platform, config }, store)
    for (const account of accounts) {
      if (!['finance', 'resident', 'administrator'].includes(account.role)) continue
      const totp = account.totpSecret ? { totp: totpCode(account.totpSecret, totpStep(Date.now())) } : {}
      const signedIn = await api.call<{ accessToken: string }>('POST', '/auth/login', {
        body: { username: account.username, password: account.password, ...totp },
      })
      assert.equal(signedIn.status, 200)
      tokens[account.role] = signedIn.body.accessToken
    }
    const [me] = await db.query<{ community_id: string; household_id: string }>(
      `SELECT r.community_id, r.household_id FROM users u JOIN residents r ON r.id = u.resident_id
       WHERE u.role = 'resident' LIMIT 1`,
    )
    communityId = me?.community_id ?? ''
    household = me?.household_id ?? ''
  })
  after(async () => {
    await store.close()
    await db.close()
    dir.remove()
  })

  it('generates, collects online and at the counter, reminds, and reports the collection rate of the ledger', async () => {
    const finance = tokens.finance
    const { start, end } = await cycleBounds(db, '2026-09', 'Asia/Shanghai')
    const meters = await seedMeterTelemetry(store, db, {
      communityId,
      start,
      end,
      plan: (m) => {
        const open = 1000 + m.index
        const use = m.public
          ? 200 + (m.index % 100)
          : m.kind === 'electricity_meter'
            ? 80 + (m.index % 90)
            : 3 + (m.index % 6)
        return { open, close: open + use }
      },
    })
    assert.ok(meters.length > 4000)

    for (const body of [
      { name: '物业费', kind: 'area', unitPrice: 280 },
      { name: '垃圾清运', kind: 'fixed', amountFen: 1200 },
      { name: '电费', kind: 'meter', meterKind: 'electricity_meter', unitPrice: 53.8, sharedSplit: 'area' },
      { name: '水费', kind: 'meter', meterKind: 'water_meter', unitPrice: 345, sharedSplit: 'usage' },
    ]) {
      const created = await api.call('POST', '/fees/items', {
        token: finance,
        body: { communityId, ...body },
      })
      assert.equal(created.status, 201)
    }
    const cycle = await api.call<CycleView>('POST', '/fees/cycles', {
      token: finance,
      body: { communityId, period: '2026-09', dueDate: '2026-10-15' },
    })
    assert.equal(cycle.status, 201)
    const collected = await api.call<CollectView>('POST', `/fees/cycles/${cycle.body.id}/readings/collect`, {
      token: finance,
    })
    assert.deepEqual(collected.body.flagged, { negative: 0, jump: 0, stuck: 0, missing: 0 })
    const generated = await api.call<GenerateView>('POST', `/fees/cycles/${cycle.body.id}/generate`, {
      token: finance,
    })
    assert.equal(generated.status, 200)
    const [units] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM units WHERE community_id = $1 AND archived_at IS NULL',
      [communityId],
    )
    assert.equal(generated.body.bills, units?.n)
    assert.ok(generated.body.bills > 2000)

    // Pay some: every 12th bill online (every 5th of those with a repeated callback), every 20th at the counter.
    const bills = await db.query<{ id: string; due: number; household: string | null }>(
      'SELECT id, amount_due AS due, household_id AS household FROM fee_bills WHERE cycle_id = $1 ORDER BY id',
      [cycle.body.id],
    )
    let online = 0
    let repeats = 0
    let counter = 0
    for (const [i, bill] of bills.entries()) {
      if (bill.household === household) continue
      if (i % 12 === 0) {
        const order = await api.call<OrderView>('POST', `/fees/bills/${bill.id}/orders`, {
          token: tokens.administrator,
          body: { gateway: 'sandbox' },
        })
        assert.equal(order.status, 201)
        const callback = api.billing.sandbox.complete({
          orderId: order.body.orderId,
          amountFen: order.body.amountFen,
        })
        const times = online % 5 === 0 ? 2 : 1
        for (let k = 0; k < times; k++) {
          const ack = await api.call<CallbackAckView>('POST', '/fees/gateways/sandbox/callback', {
            raw: callback.body,
            headers: callback.headers,
          })
          assert.equal(ack.status, 200)
          assert.equal(ack.body.duplicate, k > 0)
        }
        online++
        repeats += times - 1
      } else if (i % 20 === 0) {
        // Half pay in full, half pay part.
        const amountFen = counter % 2 ? bill.due : Math.ceil(bill.due / 2)
        const paid = await api.call('POST', `/fees/bills/${bill.id}/payments`, {
          token: finance,
          body: { amountFen, method: 'cash' },
        })
        assert.equal(paid.status, 201)
        counter++
      }
    }
    assert.ok(online > 150 && repeats > 30 && counter > 50)

    // The resident pays their own bill online; the gateway calls back twice.
    const mine = await api.call<{ items: BillView[] }>('GET', '/fees/bills?outstanding=true', {
      token: tokens.resident,
    })
    assert.equal(mine.body.items.length, 1)
    const order = await api.call<OrderView>('POST', `/fees/bills/${mine.body.items[0]?.id ?? ''}/orders`, {
      token: tokens.resident,
      body: { gateway: 'sandbox' },
    })
    const callback = api.billing.sandbox.complete({
      orderId: order.body.orderId,
      amountFen: order.body.amountFen,
    })
    for (let k = 0; k < 2; k++) {
      await api.call('POST', '/fees/gateways/sandbox/callback', {
        raw: callback.body,
        headers: callback.headers,
      })
    }
    const [payments] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM payments WHERE channel = 'online'",
    )
    assert.equal(payments?.n, online + 1, 'one payment per order, however often the gateway called back')

    // Remind the rest.
    const [owing] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM fee_bills WHERE cycle_id = $1 AND amount_outstanding > 0
         AND household_id IS NOT NULL`,
      [cycle.body.id],
    )
    const reminded = await api.call<RemindView>('POST', '/fees/reminders', {
      token: finance,
      body: { communityId, channel: 'wechat', cycleId: cycle.body.id },
    })
    assert.equal(reminded.status, 200)
    assert.equal(reminded.body.reminded, owing?.n)
    assert.ok((owing?.n ?? 0) > 1500)
    const [outbox] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM notification_outbox')
    assert.equal(outbox?.n, owing?.n)

    // The collection rate the API reports is the ledger's.
    const [ledger] = await db.query<{ billed: number; paid: number }>(
      `SELECT (SELECT sum(l.amount)::int8 FROM fee_bill_lines l JOIN fee_bills b ON b.id = l.bill_id
               WHERE b.community_id = $1) AS billed,
              (SELECT sum(amount - refunded)::int8 FROM payments WHERE community_id = $1) AS paid`,
      [communityId],
    )
    const billed = ledger?.billed ?? 0
    const paid = ledger?.paid ?? 0
    const total = await api.call<{ rows: CollectionView[] }>(
      'GET',
      `/fees/collection?communityId=${communityId}`,
      { token: finance },
    )
    assert.deepEqual(
      [total.body.rows[0]?.billedFen, total.body.rows[0]?.paidFen, total.body.rows[0]?.rate],
      [billed, paid, Math.round((paid / billed) * 1e4) / 1e4],
    )
    const byBuilding = await api.call<{ rows: CollectionView[] }>(
      'GET',
      `/fees/collection?communityId=${communityId}&groupBy=building`,
      {
        token: finance,
      },
    )
    const sum = (key: 'billedFen' | 'paidFen') => byBuilding.body.rows.reduce((s, r) => s + r[key], 0)
    assert.deepEqual([sum('billedFen'), sum('paidFen')], [billed, paid])
    assert.ok(byBuilding.body.rows.length > 10)
  })
})

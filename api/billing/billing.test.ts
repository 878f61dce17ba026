/**
 * Fees and billing through the API: fee items, a cycle, meter readings collected from telemetry in chDB (with
 * implausible ones flagged and resolved), bill generation with shared public use, counter and online payments
 * (sandbox gateway: forged callbacks refused, repeated callbacks recorded once), receipts that prove their audit
 * entry, refunds, waivers, reminders through the outbox, and the collection rate against the ledger. Every bill
 * balances after random sequences of money movements (a property). Runs on PGlite and on the PostgreSQL server.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { entryLeafHash, stateHash, verifyInclusion, type ClickHouse } from '../../data/index.ts'
import { testServer } from '../../data/testing/servers.ts'
import { tempDir } from '../../data/testing/temp-dir.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'
import { cycleBounds } from './cycles.ts'
import type {
  BillDetailView,
  BillView,
  CallbackAckView,
  CollectionView,
  CollectView,
  CycleView,
  FeeItemView,
  GenerateView,
  OrderView,
  PaymentView,
  ReadingView,
  ReceiptView,
  RefundView,
  RemindView,
} from './schemas.ts'
import { appWithTelemetry, openTelemetryStore, seedMeterTelemetry, type Meter } from './testing.ts'

const PERIOD = '2026-09'
const TZ = 'Asia/Shanghai'
const ELECTRICITY_PRICE = 53.8
const WATER_PRICE = 350

// chDB holds one engine per process: one store for both suites, seeded once (both load the same community).
const dir = tempDir('billing-chdb-')
let store: Promise<ClickHouse> | null = null
let seeded: Promise<Meter[]> | null = null
after(async () => {
  if (store) await (await store).close()
  dir.remove()
})

/** Counters per meter: unit meters use 100–139 kWh / 5–8 m³, public meters 300 kWh / 30 m³. */
function plan(m: Meter, anomalies: Map<string, 'negative' | 'jump' | 'missing'>) {
  const open = m.kind === 'electricity_meter' ? 1000 + m.index : 50 + m.index
  const use = m.public
    ? m.kind === 'electricity_meter'
      ? 300
      : 30
    : m.kind === 'electricity_meter'
      ? 100 + (m.index % 40)
      : 5 + (m.index % 4)
  switch (anomalies.get(m.id)) {
    case 'negative':
      return { open, close: open - 10 }
    case 'jump':
      return { open, close: open + 5000 }
    case 'missing':
      return { open, close: null }
    case undefined:
      return { open, close: open + use }
  }
}

function billingSuite(label: string, url?: string): void {
  describe(`billing: ${label}`, () => {
    let f: Fixture
    let api: ReturnType<typeof appWithTelemetry>
    let meters: Meter[]
    const anomalies = new Map<string, 'negative' | 'jump' | 'missing'>()
    let cycleId = ''
    const items: Record<string, string> = {}

    const count = async (sql: string, params: unknown[] = []) =>
      (await f.db.query<{ n: number }>(sql, params))[0]?.n ?? 0

    before(async () => {
      f = await openFixture(await openTestDatabase(url))
      store ??= openTelemetryStore(dir.path)
      const telemetry = await store
      api = appWithTelemetry(f, telemetry)
      const { start, end } = await cycleBounds(f.db, PERIOD, TZ)
      const own = await f.db.query<{ id: string; kind: string }>(
        `SELECT id, kind FROM devices WHERE community_id = $1 AND unit_id IS NOT NULL
           AND kind IN ('electricity_meter', 'water_meter') ORDER BY id`,
        [f.ids.community],
      )
      const elec = own.filter((d) => d.kind === 'electricity_meter')
      const water = own.filter((d) => d.kind === 'water_meter')
      anomalies.set(elec[0]?.id ?? '', 'negative')
      anomalies.set(elec[1]?.id ?? '', 'jump')
      anomalies.set(water[0]?.id ?? '', 'missing')
      seeded ??= seedMeterTelemetry(telemetry, f.db, {
        communityId: f.ids.community,
        start,
        end,
        plan: (m) => plan(m, anomalies),
      })
      meters = await seeded
    })
    after(() => f.close())

    const finance = () => f.tokens.finance

    it('creates fee items, refusing bad input, other roles and other communities', async () => {
      const create = (body: unknown, token = finance()) =>
        api.call<FeeItemView>('POST', '/fees/items', { token, body })
      const base = { communityId: f.ids.community }
      const made = [
        await create({ ...base, name: '物业费 property fee', kind: 'area', unitPrice: 250 }),
        await create({ ...base, name: '垃圾清运 waste', kind: 'fixed', amountFen: 1500 }),
        await create({
          ...base,
          name: '电费 electricity',
          kind: 'meter',
          meterKind: 'electricity_meter',
          unitPrice: ELECTRICITY_PRICE,
          sharedSplit: 'area',
        }),
        await create({
          ...base,
          name: '水费 water',
          kind: 'meter',
          meterKind: 'water_meter',
          unitPrice: WATER_PRICE,
          sharedSplit: 'usage',
        }),
        await create({
          ...base,
          buildingId: f.ids.building,
          name: '电梯维修分摊 lift repair levy',
          kind: 'one_off',
          amountFen: 2000,
          oncePeriod: PERIOD,
        }),
      ]
      for (const r of made) assert.equal(r.status, 201, JSON.stringify(r.body))
      ;['area', 'fixed', 'electricity', 'water', 'levy'].forEach((name, i) => {
        items[name] = made[i]?.body.id ?? ''
      })
      assert.equal((await create({ ...base, name: 'x', kind: 'area', amountFen: 5 })).status, 400)
      assert.equal((await create({ ...base, name: 'x', kind: 'fixed', amountFen: 5, extra: 1 })).status, 400)
      assert.equal(
        (await create({ ...base, name: 'x', kind: 'fixed', amountFen: 5 }, f.tokens.resident)).status,
        403,
      )
      assert.equal(
        (await create({ communityId: f.ids.otherCommunity, name: 'x', kind: 'fixed', amountFen: 5 })).status,
        404,
        'a community out of scope reads as missing',
      )
      const listed = await api.call<{ items: FeeItemView[] }>(
        'GET',
        `/fees/items?communityId=${f.ids.community}`,
        { token: finance() },
      )
      assert.equal(listed.body.items.length, 5)
      assert.equal(
        await count("SELECT count(*)::int AS n FROM audit_log WHERE action = 'fee_item.create'"),
        5,
      )
    })

    it('collects readings from telemetry, flags implausible ones and bills only once they are resolved', async () => {
      const opened = await api.call<CycleView>('POST', '/fees/cycles', {
        token: finance(),
        body: { communityId: f.ids.community, period: PERIOD, dueDate: '2026-10-15' },
      })
      assert.equal(opened.status, 201)
      cycleId = opened.body.id
      const again = await api.call<CycleView>('POST', '/fees/cycles', {
        token: finance(),
        body: { communityId: f.ids.community, period: PERIOD },
      })
      assert.equal(again.status, 409)

      const collected = await api.call<CollectView>('POST', `/fees/cycles/${cycleId}/readings/collect`, {
        token: finance(),
      })
      assert.equal(collected.status, 200)
      const billable = meters.filter((m) => m.unitId !== null || (m.public && m.buildingId !== null))
      assert.equal(collected.body.meters, billable.length)
      assert.deepEqual(collected.body.flagged, { negative: 1, jump: 1, stuck: 0, missing: 1 })

      const blocked = await api.call<GenerateView>('POST', `/fees/cycles/${cycleId}/generate`, {
        token: finance(),
      })
      assert.equal(blocked.status, 409)
      assert.equal(blocked.body.error?.code, 'readings_flagged')

      const flagged = await api.call<{ items: ReadingView[] }>(
        'GET',
        `/fees/cycles/${cycleId}/readings?flagged=true`,
        {
          token: finance(),
        },
      )
      const byFlag = new Map(flagged.body.items.map((r) => [r.flag, r]))
      const negative = byFlag.get('negative')
      const jump = byFlag.get('jump')
      const missing = byFlag.get('missing')
      assert.ok(negative && jump && missing)
      assert.equal(anomalies.get(negative.deviceId), 'negative')
      assert.equal(anomalies.get(jump.deviceId), 'jump')
      assert.equal(anomalies.get(missing.deviceId), 'missing')

      const accept = (id: number) => api.call('POST', `/fees/readings/${id}/accept`, { token: finance() })
      assert.equal((await accept(negative.id)).status, 409, 'a negative use cannot be accepted as read')
      const enter = (deviceId: string, body: unknown) =>
        api.call<ReadingView>('PUT', `/fees/cycles/${cycleId}/readings/${deviceId}`, {
          token: finance(),
          body,
        })
      assert.equal((await enter(negative.deviceId, { value: (negative.previousValue ?? 0) - 1 })).status, 400)
      const fixed = await enter(negative.deviceId, { value: (negative.previousValue ?? 0) + 80 })
      assert.equal(fixed.status, 200)
      assert.equal(fixed.body.usage, 80)
      assert.equal(fixed.body.flag, null)
      assert.equal((await enter(missing.deviceId, { value: (missing.previousValue ?? 0) + 6 })).status, 200)
      assert.equal((await accept(jump.id)).status, 200)
      assert.equal(
        (await api.call('POST', `/fees/readings/${jump.id}/accept`, { token: f.tokens.resident })).status,
        403,
      )

      const generated = await api.call<GenerateView>('POST', `/fees/cycles/${cycleId}/generate`, {
        token: finance(),
      })
      assert.equal(generated.status, 200, JSON.stringify(generated.body))
      const units = await count(
        'SELECT count(*)::int AS n FROM units WHERE community_id = $1 AND archived_at IS NULL',
        [f.ids.community],
      )
      assert.equal(generated.body.bills, units)
      assert.equal(
        (await api.call<GenerateView>('POST', `/fees/cycles/${cycleId}/generate`, { token: finance() }))
          .status,
        409,
        'a cycle is billed once',
      )
      const [sums] = await f.db.query<{ due: number; lines: number }>(
        `SELECT (SELECT sum(amount_due)::int8 FROM fee_bills WHERE cycle_id = $1) AS due,
                (SELECT sum(l.amount)::int8 FROM fee_bill_lines l JOIN fee_bills b ON b.id = l.bill_id
                 WHERE b.cycle_id = $1) AS lines`,
        [cycleId],
      )
      assert.equal(sums?.due, sums?.lines)
      assert.equal(sums?.due, generated.body.totalFen)
    })

    it('charges area × price, fixed and one-off amounts, own use and shares of public use to the fen', async () => {
      const bills = await f.db.query<{ id: string; unitId: string; buildingId: string; area: string }>(
        `SELECT b.id, b.unit_id AS "unitId", b.building_id AS "buildingId", u.area::text AS area
         FROM fee_bills b JOIN units u ON u.id = b.unit_id WHERE b.cycle_id = $1 ORDER BY b.id`,
        [cycleId],
      )
      const lines = await f.db.query<{ billId: string; item: string; line: string; amount: number }>(
        `SELECT l.bill_id AS "billId", l.fee_item_id AS item, l.line, l.amount FROM fee_bill_lines l
         JOIN fee_bills b ON b.id = l.bill_id WHERE b.cycle_id = $1`,
        [cycleId],
      )
      const lineOf = (billId: string, item: string | undefined, line: string) =>
        lines.find((l) => l.billId === billId && l.item === item && l.line === line)?.amount
      const ownMeter = new Map(meters.filter((m) => m.unitId).map((m) => [`${m.unitId}/${m.kind}`, m]))
      let checked = 0
      for (const b of bills) {
        const centi = Math.round(Number(b.area) * 100)
        assert.equal(
          lineOf(b.id, items.area, 'charge'),
          Math.round((centi * 250) / 100),
          `area line of ${b.id}`,
        )
        assert.equal(lineOf(b.id, items.fixed, 'charge'), 1500)
        assert.equal(lineOf(b.id, items.levy, 'charge'), b.buildingId === f.ids.building ? 2000 : undefined)
        const meter = ownMeter.get(`${b.unitId}/electricity_meter`)
        if (meter && !anomalies.has(meter.id)) {
          const use = 100 + (meter.index % 40)
          assert.equal(lineOf(b.id, items.electricity, 'own'), Math.round((use * 538) / 10))
          checked++
        }
      }
      assert.ok(checked > 100)
      // Each building's public use costs round(use × price); its units' shares add up to exactly that.
      for (const [item, kind, price] of [
        [items.electricity, 'electricity_meter', ELECTRICITY_PRICE],
        [items.water, 'water_meter', WATER_PRICE],
      ] as const) {
        const buildings = new Set(bills.map((b) => b.buildingId))
        for (const building of buildings) {
          const publicUse = meters.filter(
            (m) => m.public && m.kind === kind && m.buildingId === building,
          ).length
          const perMeter = kind === 'electricity_meter' ? 300 : 30
          const shares = lines
            .filter((l) => l.item === item && l.line === 'shared')
            .filter((l) => bills.find((b) => b.id === l.billId)?.buildingId === building)
            .reduce((sum, l) => sum + l.amount, 0)
          assert.equal(shares, Math.round(publicUse * perMeter * price), `${kind} shares of ${building}`)
        }
      }
    })

    it("shows a resident only their household's bills, and staff only their scope", async () => {
      const mine = await api.call<{ items: BillView[] }>('GET', '/fees/bills', { token: f.tokens.resident })
      assert.equal(mine.status, 200)
      assert.ok(mine.body.items.length >= 1)
      for (const b of mine.body.items) assert.equal(b.householdId, f.ids.household)
      const [other] = await f.db.query<{ id: string }>(
        'SELECT id FROM fee_bills WHERE cycle_id = $1 AND household_id = $2',
        [cycleId, f.ids.otherHousehold],
      )
      assert.ok(other)
      const peek = await api.call('GET', `/fees/bills/${other.id}`, { token: f.tokens.resident })
      const missing = await api.call('GET', '/fees/bills/fb-nosuchbill', { token: f.tokens.resident })
      assert.equal(peek.status, 404)
      assert.deepEqual(
        { ...peek.body.error, requestId: undefined },
        { ...missing.body.error, requestId: undefined },
        "another household's bill reads exactly like a missing one",
      )
      assert.equal((await api.call('GET', `/fees/bills/${other.id}`, { token: finance() })).status, 200)
      assert.equal((await api.call('GET', '/fees/bills', { token: f.tokens.planner })).status, 403)
      const orderForOther = await api.call('POST', `/fees/bills/${other.id}/orders`, {
        token: f.tokens.resident,
        body: { gateway: 'sandbox' },
      })
      assert.equal(orderForOther.status, 404)
      assert.equal(
        (
          await api.call('POST', `/fees/bills/${other.id}/payments`, {
            token: f.tokens.resident,
            body: { amountFen: 1, method: 'cash' },
          })
        ).status,
        403,
      )
    })

    it('takes payments at the counter and online; callbacks are verified and recorded once', async () => {
      const [bill] = await f.db.query<{ id: string; due: number }>(
        'SELECT id, amount_due AS due FROM fee_bills WHERE cycle_id = $1 AND household_id = $2',
        [cycleId, f.ids.household],
      )
      assert.ok(bill)
      const counter = await api.call<PaymentView>('POST', `/fees/bills/${bill.id}/payments`, {
        token: finance(),
        body: { amountFen: 1000, method: 'cash' },
      })
      assert.equal(counter.status, 201)
      assert.match(counter.body.receiptNo, /^R\d{8}\d{8}$/)
      const over = await api.call('POST', `/fees/bills/${bill.id}/payments`, {
        token: finance(),
        body: { amountFen: bill.due, method: 'cash' },
      })
      assert.equal(over.status, 409, 'more than is owed')

      const order = await api.call<OrderView>('POST', `/fees/bills/${bill.id}/orders`, {
        token: f.tokens.resident,
        body: { gateway: 'sandbox' },
      })
      assert.equal(order.status, 201)
      assert.equal(order.body.amountFen, bill.due - 1000)
      const signed = api.billing.sandbox.complete({
        orderId: order.body.orderId,
        amountFen: order.body.amountFen,
      })
      const post = (raw: string, headers: Record<string, string>) =>
        api.call<CallbackAckView>('POST', '/fees/gateways/sandbox/callback', { raw, headers })
      const forged = await post(signed.body.replace(/"amountFen":\d+/, '"amountFen":1'), signed.headers)
      assert.equal(forged.status, 401)
      const unsigned = await post(signed.body, { 'content-type': 'application/json' })
      assert.equal(unsigned.status, 401)
      assert.equal(
        await count('SELECT count(*)::int AS n FROM payments WHERE order_id = $1', [order.body.orderId]),
        0,
      )

      const first = await post(signed.body, signed.headers)
      assert.equal(first.status, 200, JSON.stringify(first.body))
      assert.equal(first.body.duplicate, false)
      const repeat = await post(signed.body, signed.headers)
      assert.equal(repeat.status, 200)
      assert.equal(repeat.body.duplicate, true)
      assert.equal(repeat.body.paymentId, first.body.paymentId)
      assert.equal(
        await count('SELECT count(*)::int AS n FROM payments WHERE order_id = $1', [order.body.orderId]),
        1,
      )

      const settled = await api.call<BillDetailView>('GET', `/fees/bills/${bill.id}`, {
        token: f.tokens.resident,
      })
      assert.equal(settled.body.status, 'paid')
      assert.equal(settled.body.amountPaid, bill.due)
      assert.equal(settled.body.payments.length, 2)

      // The receipt proves its payment's audit entry is in the log.
      const receipt = await api.call<ReceiptView>('GET', `/fees/payments/${first.body.paymentId}/receipt`, {
        token: f.tokens.resident,
      })
      assert.equal(receipt.status, 200)
      const { entry, leafHash, treeSize, rootHash, path } = receipt.body.audit
      assert.equal(entry.objectId, first.body.paymentId)
      assert.equal(entry.afterHash, stateHash(receipt.body.payment)?.toString('hex'))
      const leaf = entryLeafHash({
        ...entry,
        ts: new Date(entry.ts),
        beforeHash: entry.beforeHash ? Buffer.from(entry.beforeHash, 'hex') : null,
        afterHash: entry.afterHash ? Buffer.from(entry.afterHash, 'hex') : null,
      })
      assert.equal(leaf.toString('hex'), leafHash)
      const hexes = path.map((h) => Buffer.from(h, 'hex'))
      assert.ok(verifyInclusion(entry.seq, treeSize, leaf, hexes, Buffer.from(rootHash, 'hex')))
      assert.ok(!verifyInclusion(entry.seq, treeSize, Buffer.alloc(32), hexes, Buffer.from(rootHash, 'hex')))
      const head = await api.call<{ treeSize: number }>('GET', '/audit/tree-head', {
        token: f.tokens.auditor,
      })
      assert.ok(head.body.treeSize >= treeSize)
      assert.equal(
        (await api.call('GET', `/fees/payments/${counter.body.id}/receipt`, { token: f.tokens.planner }))
          .status,
        403,
      )

      // An order paid after the bill was settled at the counter is refunded at once.
      const [next] = await f.db.query<{ id: string; due: number }>(
        `SELECT id, amount_due AS due FROM fee_bills WHERE cycle_id = $1 AND household_id IS NOT NULL
           AND household_id <> $2 ORDER BY id LIMIT 1`,
        [cycleId, f.ids.household],
      )
      assert.ok(next)
      const late = await api.call('POST', `/fees/bills/${next.id}/orders`, {
        token: finance(),
        body: { gateway: 'sandbox' },
      })
      assert.equal(late.status, 403, 'finance pays at the counter, not online')
      const adminOrder = await api.call<OrderView>('POST', `/fees/bills/${next.id}/orders`, {
        token: f.tokens.administrator,
        body: { gateway: 'sandbox' },
      })
      assert.equal(adminOrder.status, 201)
      await api.call('POST', `/fees/bills/${next.id}/payments`, {
        token: finance(),
        body: { amountFen: next.due, method: 'card' },
      })
      const lateCallback = api.billing.sandbox.complete({
        orderId: adminOrder.body.orderId,
        amountFen: next.due,
      })
      const lateResult = await post(lateCallback.body, lateCallback.headers)
      assert.equal(lateResult.status, 200)
      assert.equal(lateResult.body.refundedFen, next.due)
      const nextBill = await api.call<BillView>('GET', `/fees/bills/${next.id}`, { token: finance() })
      assert.equal(nextBill.body.amountPaid, next.due, 'paid once, not twice')
    })

    it('refunds (with and without a waiver) and waives, keeping every bill balanced', async () => {
      const [bill] = await f.db.query<{ id: string; due: number }>(
        `SELECT id, amount_due AS due FROM fee_bills WHERE cycle_id = $1 AND amount_paid = 0 ORDER BY id LIMIT 1`,
        [cycleId],
      )
      assert.ok(bill)
      const paid = await api.call<PaymentView>('POST', `/fees/bills/${bill.id}/payments`, {
        token: finance(),
        body: { amountFen: bill.due, method: 'transfer' },
      })
      const refund = (body: unknown) =>
        api.call<RefundView>('POST', `/fees/payments/${paid.body.id}/refunds`, { token: finance(), body })
      const overcharge = await refund({ amountFen: 500, reason: 'overcharged', waive: true })
      assert.equal(overcharge.status, 201)
      assert.deepEqual(
        [overcharge.body.bill.amountPaid, overcharge.body.bill.amountWaived, overcharge.body.bill.status],
        [bill.due - 500, 500, 'paid'],
      )
      const back = await refund({ amountFen: 700, reason: 'paid by mistake' })
      assert.equal(back.body.bill.amountOutstanding, 700)
      assert.equal((await refund({ amountFen: bill.due, reason: 'too much' })).status, 409)
      const waived = await api.call<BillView>('POST', `/fees/bills/${bill.id}/waivers`, {
        token: finance(),
        body: { amountFen: 700, reason: 'hardship' },
      })
      assert.equal(waived.status, 201)
      assert.equal(waived.body.amountOutstanding, 0)
      assert.equal(
        (
          await api.call('POST', `/fees/bills/${bill.id}/waivers`, {
            token: finance(),
            body: { amountFen: 1, reason: 'x' },
          })
        ).status,
        409,
      )
      const unbalanced = await count(
        `SELECT count(*)::int AS n FROM fee_bills b WHERE b.cycle_id = $1 AND (
           b.amount_due <> b.amount_paid + b.amount_waived + b.amount_outstanding OR b.amount_outstanding < 0
           OR b.amount_paid <> coalesce((SELECT sum(amount - refunded) FROM payments p WHERE p.bill_id = b.id), 0)
           OR b.amount_waived <> coalesce((SELECT sum(amount) FROM fee_waivers w WHERE w.bill_id = b.id), 0))`,
        [cycleId],
      )
      assert.equal(unbalanced, 0)
    })

    it('every bill balances after any sequence of payments, waivers and refunds (property)', async () => {
      const bills = await f.db.query<{ id: string }>(
        'SELECT id FROM fee_bills WHERE cycle_id = $1 AND amount_paid = 0 AND amount_waived = 0 ORDER BY id LIMIT 6',
        [cycleId],
      )
      const op = fc.record({
        kind: fc.constantFrom('pay', 'waive', 'refund', 'refundWaive', 'online'),
        bill: fc.nat({ max: bills.length - 1 }),
        fraction: fc.double({ min: 0, max: 1.2, noNaN: true }),
      })
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
          for (const o of ops) {
            const billId = bills[o.bill]?.id ?? ''
            const [b] = await f.db.query<{ outstanding: number; paid: number }>(
              'SELECT amount_outstanding AS outstanding, amount_paid AS paid FROM fee_bills WHERE id = $1',
              [billId],
            )
            const base =
              o.kind === 'refund' || o.kind === 'refundWaive' ? (b?.paid ?? 0) : (b?.outstanding ?? 0)
            const amountFen = Math.max(1, Math.round(base * o.fraction))
            let status: number
            if (o.kind === 'pay') {
              status = (
                await api.call('POST', `/fees/bills/${billId}/payments`, {
                  token: finance(),
                  body: { amountFen, method: 'cash' },
                })
              ).status
            } else if (o.kind === 'waive') {
              status = (
                await api.call('POST', `/fees/bills/${billId}/waivers`, {
                  token: finance(),
                  body: { amountFen, reason: 'property test' },
                })
              ).status
            } else if (o.kind === 'online') {
              const order = await api.call<OrderView>('POST', `/fees/bills/${billId}/orders`, {
                token: f.tokens.administrator,
                body: { gateway: 'sandbox', amountFen },
              })
              status = order.status
              if (status === 201) {
                const cb = api.billing.sandbox.complete({ orderId: order.body.orderId, amountFen })
                for (let k = 0; k < 2; k++) {
                  const r = await api.call('POST', '/fees/gateways/sandbox/callback', {
                    raw: cb.body,
                    headers: cb.headers,
                  })
                  assert.equal(r.status, 200)
                }
              }
            } else {
              const [p] = await f.db.query<{ id: string; left: number }>(
                'SELECT id, amount - refunded AS left FROM payments WHERE bill_id = $1 AND amount > refunded ORDER BY id LIMIT 1',
                [billId],
              )
              if (!p) continue
              status = (
                await api.call('POST', `/fees/payments/${p.id}/refunds`, {
                  token: finance(),
                  body: {
                    amountFen: Math.min(amountFen, p.left + (o.fraction > 1 ? 1 : 0)),
                    reason: 'test',
                    waive: o.kind === 'refundWaive',
                  },
                })
              ).status
            }
            // Within what is owed (or paid) it succeeds; beyond it, it is refused — never a server error.
            assert.ok([200, 201, 409].includes(status), `${o.kind} → ${status}`)
          }
          const broken = await count(
            `SELECT count(*)::int AS n FROM fee_bills b WHERE b.id = ANY($1::text[]) AND (
               b.amount_due <> b.amount_paid + b.amount_waived + b.amount_outstanding OR b.amount_outstanding < 0
               OR b.amount_due <> (SELECT sum(amount) FROM fee_bill_lines l WHERE l.bill_id = b.id)
               OR b.amount_paid <> coalesce((SELECT sum(amount - refunded) FROM payments p WHERE p.bill_id = b.id), 0)
               OR b.amount_waived <> coalesce((SELECT sum(amount) FROM fee_waivers w WHERE w.bill_id = b.id), 0))`,
            [bills.map((b) => b.id)],
          )
          assert.equal(broken, 0)
        }),
        { numRuns: 12, seed: 20261125 },
      )
    })

    it('reminds households in arrears through SMS and WeChat, and reports the collection rate as the ledger has it', async () => {
      const arrears = await api.call<{ items: unknown[] }>(
        'GET',
        `/fees/arrears?communityId=${f.ids.community}&limit=5000`,
        {
          token: finance(),
        },
      )
      assert.equal(arrears.status, 200)
      const owing = await count(
        `SELECT count(*)::int AS n FROM fee_bills WHERE cycle_id = $1 AND amount_outstanding > 0
           AND household_id IS NOT NULL`,
        [cycleId],
      )
      const sms = await api.call<RemindView>('POST', '/fees/reminders', {
        token: finance(),
        body: { communityId: f.ids.community, channel: 'sms', cycleId },
      })
      assert.equal(sms.status, 200)
      assert.equal(sms.body.reminded, owing)
      assert.ok(arrears.body.items.length >= owing)
      const wechat = await api.call<RemindView>('POST', '/fees/reminders', {
        token: finance(),
        body: { communityId: f.ids.community, channel: 'wechat', cycleId },
      })
      assert.equal(wechat.body.reminded, owing)
      assert.equal(
        await count("SELECT count(*)::int AS n FROM notification_outbox WHERE channel = 'sms'"),
        owing,
      )
      assert.equal(
        await count("SELECT count(*)::int AS n FROM notification_outbox WHERE channel = 'wechat'"),
        owing,
      )
      assert.equal(
        await count(
          `SELECT count(*)::int AS n FROM fee_reminders r JOIN fee_bills b ON b.id = r.bill_id
           WHERE r.outstanding <> b.amount_outstanding`,
        ),
        0,
        'each reminder states what its bill owes',
      )
      assert.equal(
        (
          await api.call('POST', '/fees/reminders', {
            token: finance(),
            body: { communityId: f.ids.community, channel: 'fax' },
          })
        ).status,
        400,
      )
      const mine = await api.call('POST', '/fees/reminders', {
        token: f.tokens.resident,
        body: { communityId: f.ids.community, channel: 'sms' },
      })
      assert.equal(mine.status, 403)

      const rate = await api.call<{ rows: CollectionView[] }>(
        'GET',
        `/fees/collection?communityId=${f.ids.community}`,
        {
          token: finance(),
        },
      )
      const [ledger] = await f.db.query<{ billed: number; paid: number }>(
        `SELECT (SELECT sum(l.amount)::int8 FROM fee_bill_lines l JOIN fee_bills b ON b.id = l.bill_id
                 WHERE b.community_id = $1) AS billed,
                (SELECT sum(amount - refunded)::int8 FROM payments WHERE community_id = $1) AS paid`,
        [f.ids.community],
      )
      const [total] = rate.body.rows
      assert.equal(total?.billedFen, ledger?.billed)
      assert.equal(total?.paidFen, ledger?.paid)
      assert.equal(total?.rate, Math.round(((ledger?.paid ?? 0) / (ledger?.billed ?? 1)) * 1e4) / 1e4)
      const byBuilding = await api.call<{ rows: CollectionView[] }>(
        'GET',
        `/fees/collection?communityId=${f.ids.community}&groupBy=building`,
        {
          token: finance(),
        },
      )
      assert.equal(
        byBuilding.body.rows.reduce((sum, r) => sum + r.paidFen, 0),
        ledger?.paid,
      )
      const byMonth = await api.call<{ rows: CollectionView[] }>(
        'GET',
        `/fees/collection?communityId=${f.ids.community}&groupBy=month`,
        {
          token: finance(),
        },
      )
      assert.deepEqual(
        byMonth.body.rows.map((r) => r.key),
        [PERIOD],
      )
      for (const path of ['/fees/collection', '/fees/arrears']) {
        const elsewhere = await api.call('GET', `${path}?communityId=${f.ids.otherCommunity}`, {
          token: finance(),
        })
        assert.equal(elsewhere.status, 404, `${path} of a community out of scope`)
      }
      // The command-center KPI reads the same table.
      const kpi = await f.db.query<{ paid: number }>(
        'SELECT sum(amount_paid)::int8 AS paid FROM fee_bills WHERE community_id = $1',
        [f.ids.community],
      )
      assert.equal(kpi[0]?.paid, ledger?.paid)
    })

    it('lists the billing routes in the OpenAPI document with their permissions', async () => {
      const doc = await api.call<{ paths: Record<string, Record<string, { 'x-permission'?: string }>> }>(
        'GET',
        '/openapi.json',
      )
      const paths = doc.body.paths
      assert.equal(paths['/api/v1/fees/bills']?.get?.['x-permission'], 'fee:read')
      assert.equal(paths['/api/v1/fees/cycles/{id}/generate']?.post?.['x-permission'], 'fee:manage')
      assert.equal(paths['/api/v1/fees/bills/{id}/orders']?.post?.['x-permission'], 'fee:pay')
      assert.ok(paths['/api/v1/fees/gateways/{gateway}/callback']?.post)
    })
  })
}

billingSuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('billing on the PostgreSQL server', { skip: server.skip }, () => {
  billingSuite('PostgreSQL server', server.url)
})

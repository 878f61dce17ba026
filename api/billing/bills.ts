/**
 * Bills: the scoped list and one bill with its lines, payments, refunds and waivers, plus the ledger steps every
 * money movement goes through (lock the bill, move paid/waived within what is due). The table keeps each bill
 * balanced — due = paid + waived + outstanding, outstanding never negative — and these steps refuse anything that
 * would break it before the database has to.
 */
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { scopeCondition } from '../auth/scope.ts'
import { conflict, notFound } from '../http/errors.ts'
import { newId, requireInScope } from './access.ts'

export interface Bill {
  readonly id: string
  readonly cycleId: string
  readonly communityId: string
  readonly buildingId: string
  readonly unitId: string
  readonly householdId: string | null
  /** 'YYYY-MM' */
  readonly period: string
  readonly dueDate: string
  readonly amountDue: number
  readonly amountPaid: number
  readonly amountWaived: number
  readonly amountOutstanding: number
  readonly status: 'unpaid' | 'partial' | 'paid'
}

export interface BillLine {
  readonly feeItemId: string
  readonly name: string
  readonly line: 'charge' | 'own' | 'shared'
  readonly quantity: number
  readonly unitPrice: number
  readonly amount: number
}

export const BILL_COLUMNS = `b.id, b.cycle_id AS "cycleId", b.community_id AS "communityId",
  b.building_id AS "buildingId", b.unit_id AS "unitId", b.household_id AS "householdId",
  to_char(b.period, 'YYYY-MM') AS period, to_char(b.due_date, 'YYYY-MM-DD') AS "dueDate",
  b.amount_due AS "amountDue", b.amount_paid AS "amountPaid", b.amount_waived AS "amountWaived",
  b.amount_outstanding AS "amountOutstanding",
  CASE WHEN b.amount_outstanding = 0 THEN 'paid' WHEN b.amount_paid + b.amount_waived > 0 THEN 'partial'
       ELSE 'unpaid' END AS status`
const GET = `SELECT ${BILL_COLUMNS} FROM fee_bills b WHERE b.id = $1`
const LINES = `SELECT l.fee_item_id AS "feeItemId", i.name, l.line, l.quantity::float8 AS quantity,
  l.unit_price::float8 AS "unitPrice", l.amount
  FROM fee_bill_lines l JOIN fee_items i ON i.id = l.fee_item_id WHERE l.bill_id = $1 ORDER BY i.name, l.line`
const PAYMENTS = `SELECT id, receipt_no AS "receiptNo", amount AS "amountFen", refunded AS "refundedFen", channel,
  method, received_at AS "receivedAt" FROM payments WHERE bill_id = $1 ORDER BY received_at, id`
const WAIVERS = `SELECT id, amount AS "amountFen", reason, created_at AS "createdAt" FROM fee_waivers
  WHERE bill_id = $1 ORDER BY created_at, id`
const ADD = `UPDATE fee_bills SET amount_paid = amount_paid + $2, amount_waived = amount_waived + $3,
  updated_at = now() WHERE id = $1`
const INSERT_WAIVER = `INSERT INTO fee_waivers (id, bill_id, community_id, amount, reason, refund_id, created_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`

/** Reads and locks a bill for a money movement (no scope check). */
export async function lockBill(tx: Sql, id: string): Promise<Bill | null> {
  const [bill] = await tx.query<Bill>(`${GET} FOR UPDATE OF b`, [id])
  return bill ?? null
}

/** Reads a bill (no scope check). */
export async function readBill(sql: Sql, id: string): Promise<Bill | null> {
  const [bill] = await sql.query<Bill>(GET, [id])
  return bill ?? null
}

/**
 * Moves a locked bill's paid and waived amounts by `paid` and `waived` fen (negative for a refund); refuses a
 * movement that would leave it owing less than nothing or paid below zero.
 */
export async function moveBill(tx: Sql, bill: Bill, paid: number, waived: number): Promise<void> {
  if (bill.amountPaid + paid < 0 || bill.amountWaived + waived < 0) {
    throw conflict('the bill has not been paid that much', 'ledger')
  }
  if (paid + waived > bill.amountOutstanding) {
    throw conflict(`the bill has ${bill.amountOutstanding} fen outstanding`, 'overpayment')
  }
  await tx.query(ADD, [bill.id, paid, waived])
}

/** Records a waiver of `amount` fen on a locked bill (optionally tied to a refund). */
export async function waiveOn(
  tx: Sql,
  bill: Bill,
  amount: number,
  reason: string,
  by: string,
  refundId: string | null = null,
): Promise<string> {
  const id = newId('wv')
  await moveBill(tx, bill, 0, amount)
  await tx.query(INSERT_WAIVER, [id, bill.id, bill.communityId, amount, reason, refundId, by])
  return id
}

const location = (b: Bill) => ({
  communityId: b.communityId,
  buildingId: b.buildingId,
  householdId: b.householdId,
})

/** Throws 404 unless the bill is in the caller's scope. */
export function requireBill(auth: AuthContext, bill: Bill | null): asserts bill is Bill {
  if (!bill) throw notFound('bill')
  requireInScope(auth, location(bill), 'bill')
}

export interface BillQuery {
  readonly communityId?: string
  readonly cycleId?: string
  readonly buildingId?: string
  readonly householdId?: string
  readonly period?: string
  readonly outstanding?: boolean
  readonly after?: string
  readonly limit: number
}

export class BillService {
  constructor(private readonly deps: { readonly db: Postgres; readonly auditor: Auditor }) {}

  /** A page of bills in the caller's scope, by id. */
  async list(auth: AuthContext, q: BillQuery): Promise<{ items: Bill[]; next: string | null }> {
    const params: unknown[] = []
    const where = [
      scopeCondition(
        auth.scope,
        { community: 'b.community_id', building: 'b.building_id', household: 'b.household_id' },
        params,
      ),
    ]
    const eq = (column: string, value: string | undefined) => {
      if (value === undefined) return
      params.push(value)
      where.push(`${column} = $${params.length}`)
    }
    eq('b.community_id', q.communityId)
    eq('b.cycle_id', q.cycleId)
    eq('b.building_id', q.buildingId)
    eq('b.household_id', q.householdId)
    if (q.period !== undefined) {
      params.push(q.period)
      where.push(`b.period = ($${params.length} || '-01')::date`)
    }
    if (q.outstanding !== undefined)
      where.push(q.outstanding ? 'b.amount_outstanding > 0' : 'b.amount_outstanding = 0')
    if (q.after !== undefined) {
      params.push(q.after)
      where.push(`b.id > $${params.length}`)
    }
    params.push(q.limit)
    const items = await this.deps.db.query<Bill>(
      `SELECT ${BILL_COLUMNS} FROM fee_bills b WHERE ${where.join(' AND ')} ORDER BY b.id LIMIT $${params.length}`,
      params,
    )
    return { items, next: items.length === q.limit ? (items.at(-1)?.id ?? null) : null }
  }

  /** One bill in scope with its lines, payments and waivers. */
  async get(auth: AuthContext, id: string) {
    const bill = await readBill(this.deps.db, id)
    requireBill(auth, bill)
    const [lines, payments, waivers] = await Promise.all([
      this.deps.db.query<BillLine>(LINES, [id]),
      this.deps.db.query<{
        id: string
        receiptNo: string
        amountFen: number
        refundedFen: number
        channel: string
        method: string
        receivedAt: Date
      }>(PAYMENTS, [id]),
      this.deps.db.query<{ id: string; amountFen: number; reason: string; createdAt: Date }>(WAIVERS, [id]),
    ])
    return {
      ...bill,
      lines,
      payments: payments.map((p) => ({ ...p, receivedAt: p.receivedAt.toISOString() })),
      waivers: waivers.map((w) => ({ ...w, createdAt: w.createdAt.toISOString() })),
    }
  }

  /** Waives part of what a bill still owes. */
  async waive(
    auth: AuthContext,
    id: string,
    input: { amountFen: number; reason: string },
    requestId: string | null,
  ): Promise<Bill> {
    return this.deps.db.transaction(async (tx) => {
      const bill = await lockBill(tx, id)
      requireBill(auth, bill)
      const waiverId = await waiveOn(tx, bill, input.amountFen, input.reason, auth.userId)
      const after = await readBill(tx, id)
      if (!after) throw notFound('bill')
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'fee_waiver.create',
        object: { type: 'fee_bill', id, communityId: bill.communityId },
        before: bill,
        after: { ...after, waiverId, reason: input.reason },
        requestId,
      })
      return after
    })
  }
}

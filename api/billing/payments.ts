/**
 * Payments: at the counter (a clerk takes cash, a card or a transfer), and online (the payer's household opens an
 * order, the gateway calls back once paid). A gateway callback is verified before anything is read from it, and
 * recorded once however often it arrives: the (gateway, transaction) pair is unique, and a repeated callback
 * answers with the payment it already made. Money the bill no longer owes (it was settled at the counter while the
 * payer was paying online) is refunded through the gateway at once, so a bill never shows more paid than due.
 * Every payment's audit entry is what its receipt proves (receipts.ts).
 */
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Actor, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { ApiError, badRequest, conflict, notFound } from '../http/errors.ts'
import { newId } from './access.ts'
import { lockBill, moveBill, readBill, requireBill, type Bill } from './bills.ts'
import { GatewaySignatureError, type PaymentGateway } from './gateway.ts'

/** A payment as recorded and as its audit entry hashes it (the receipt's subject). */
export interface Payment {
  readonly id: string
  readonly receiptNo: string
  readonly billId: string
  readonly communityId: string
  readonly buildingId: string
  readonly householdId: string | null
  readonly amountFen: number
  readonly channel: 'counter' | 'online'
  readonly method: string
  readonly orderId: string | null
  readonly gateway: string | null
  readonly gatewayTxn: string | null
  readonly receivedBy: string
  readonly receivedAt: string
}

export const PAYMENT_COLUMNS = `id, receipt_no AS "receiptNo", bill_id AS "billId", community_id AS "communityId",
  building_id AS "buildingId", household_id AS "householdId", amount AS "amountFen", channel, method,
  order_id AS "orderId", gateway, gateway_txn AS "gatewayTxn", received_by AS "receivedBy",
  received_at AS "receivedAt"`
const GET = `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE id = $1`
const BY_TXN = `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE gateway = $1 AND gateway_txn = $2`
const INSERT = `INSERT INTO payments (id, receipt_no, bill_id, community_id, building_id, household_id, amount,
    channel, method, order_id, gateway, gateway_txn, received_by, received_at)
  VALUES ($1, 'R' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD') || lpad(nextval('receipt_numbers')::text, 8, '0'),
    $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, date_trunc('milliseconds', now()))`
const INSERT_ORDER = `INSERT INTO payment_orders (id, bill_id, community_id, building_id, household_id, gateway, amount,
  created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
const LOCK_ORDER = `SELECT id, bill_id AS "billId", gateway, amount, status FROM payment_orders WHERE id = $1
  FOR UPDATE`
const ORDER_PAID = `UPDATE payment_orders SET status = 'paid', paid_at = now() WHERE id = $1`
const COMPANY = 'SELECT company_id FROM communities WHERE id = $1'
const SET_REFUNDED = 'UPDATE payments SET refunded = refunded + $2 WHERE id = $1'
const INSERT_REFUND = `INSERT INTO refunds (id, payment_id, bill_id, community_id, amount, reason, waive, gateway_ref,
  created_by) VALUES ($1, $2, $3, $4, $5, $6, false, $7, $8)`

type Row = Omit<Payment, 'receivedAt'> & { receivedAt: Date }
const view = (r: Row): Payment => ({ ...r, receivedAt: r.receivedAt.toISOString() })

export async function readPayment(sql: Sql, id: string): Promise<Payment | null> {
  const [row] = await sql.query<Row>(GET, [id])
  return row ? view(row) : null
}

interface NewPayment {
  readonly amountFen: number
  readonly channel: 'counter' | 'online'
  readonly method: string
  readonly orderId?: string
  readonly gateway?: string
  readonly gatewayTxn?: string
}

export interface OnlineOrder {
  readonly orderId: string
  readonly billId: string
  readonly gateway: string
  readonly amountFen: number
  readonly payUrl: string
}

export interface CallbackResult {
  readonly paymentId: string
  readonly receiptNo: string
  /** The callback was a repeat: nothing new was recorded. */
  readonly duplicate: boolean
  /** Fen returned to the payer because the bill no longer owed them. */
  readonly refundedFen: number
}

export interface PaymentDeps {
  readonly db: Postgres
  readonly auditor: Auditor
  readonly gateways: ReadonlyMap<string, PaymentGateway>
}

export class PaymentService {
  constructor(private readonly deps: PaymentDeps) {}

  /** Inserts a payment on a locked bill, moves the bill, and writes the audit entry; returns the payment. */
  private async record(
    tx: Sql,
    actor: Actor,
    bill: Bill,
    p: NewPayment,
    requestId: string | null,
    applied = p.amountFen,
  ): Promise<Payment> {
    await moveBill(tx, bill, applied, 0)
    const id = newId('pay')
    await tx.query(INSERT, [
      id,
      bill.id,
      bill.communityId,
      bill.buildingId,
      bill.householdId,
      p.amountFen,
      p.channel,
      p.method,
      p.orderId ?? null,
      p.gateway ?? null,
      p.gatewayTxn ?? null,
      actor.id,
    ])
    const payment = await readPayment(tx, id)
    if (!payment) throw new Error('payment not stored')
    await this.deps.auditor.record(tx, {
      actor,
      action: 'payment.record',
      object: { type: 'payment', id, communityId: bill.communityId },
      after: payment,
      requestId,
    })
    return payment
  }

  /** A payment taken at the counter. */
  async payAtCounter(
    auth: AuthContext,
    billId: string,
    input: { amountFen: number; method: string },
    requestId: string | null,
  ): Promise<Payment> {
    return this.deps.db.transaction(async (tx) => {
      const bill = await lockBill(tx, billId)
      requireBill(auth, bill)
      return this.record(tx, actorOf(auth), bill, { ...input, channel: 'counter' }, requestId)
    })
  }

  /** Opens an online order for (part of) what a bill owes and asks the gateway how the payer pays it. */
  async createOrder(
    auth: AuthContext,
    billId: string,
    input: { gateway: string; amountFen?: number },
    requestId: string | null,
  ): Promise<OnlineOrder> {
    const gateway = this.deps.gateways.get(input.gateway)
    if (!gateway) throw badRequest(`gateway: no gateway named ${input.gateway}`)
    const order = await this.deps.db.transaction(async (tx) => {
      const bill = await readBill(tx, billId)
      requireBill(auth, bill)
      const amountFen = input.amountFen ?? bill.amountOutstanding
      if (amountFen <= 0) throw conflict('the bill is settled', 'settled')
      if (amountFen > bill.amountOutstanding) {
        throw conflict(`the bill has ${bill.amountOutstanding} fen outstanding`, 'overpayment')
      }
      const orderId = newId('ord')
      await tx.query(INSERT_ORDER, [
        orderId,
        bill.id,
        bill.communityId,
        bill.buildingId,
        bill.householdId,
        gateway.name,
        amountFen,
        auth.userId,
      ])
      const created = { orderId, billId: bill.id, gateway: gateway.name, amountFen }
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'payment_order.create',
        object: { type: 'payment_order', id: orderId, communityId: bill.communityId },
        after: created,
        requestId,
      })
      return created
    })
    const { payUrl } = await gateway.prepare({
      orderId: order.orderId,
      amountFen: order.amountFen,
      description: `bill ${billId}`,
    })
    return { ...order, payUrl }
  }

  /**
   * Handles a gateway's payment callback: verifies it (401 and nothing recorded when it is not authentic), then
   * records the payment once.
   */
  async handleCallback(
    gatewayName: string,
    rawBody: string,
    header: (name: string) => string | undefined,
    requestId: string | null,
  ): Promise<CallbackResult> {
    const gateway = this.deps.gateways.get(gatewayName)
    if (!gateway) throw notFound('gateway')
    let notice
    try {
      notice = gateway.verifyCallback(rawBody, header, Date.now())
    } catch (error) {
      if (error instanceof GatewaySignatureError) {
        throw new ApiError(401, 'bad_signature', `the callback is not authentic: ${error.message}`)
      }
      throw error
    }
    const refunds: { paymentId: string; refundId: string; txnId: string; amount: number }[] = []
    const result = await this.deps.db.transaction(async (tx): Promise<CallbackResult> => {
      const order = (
        await tx.query<{ id: string; billId: string; gateway: string; amount: number; status: string }>(
          LOCK_ORDER,
          [notice.orderId],
        )
      )[0]
      if (!order || order.gateway !== gateway.name) throw notFound('order')
      // Under the order's lock: a repeated callback finds the payment the first one recorded.
      const [known] = await tx.query<Row>(BY_TXN, [gateway.name, notice.txnId])
      if (known) return { paymentId: known.id, receiptNo: known.receiptNo, duplicate: true, refundedFen: 0 }
      if (order.status !== 'pending')
        throw conflict('the order was paid by another transaction', 'order_paid')
      if (notice.amountFen !== order.amount) throw badRequest('amountFen: not the amount of the order')
      const bill = await lockBill(tx, order.billId)
      if (!bill) throw notFound('bill')
      const [company] = await tx.query<{ company_id: string }>(COMPANY, [bill.communityId])
      const actor: Actor = {
        id: `gateway:${gateway.name}`,
        role: 'gateway',
        companyId: company?.company_id ?? null,
      }
      const applied = Math.min(notice.amountFen, bill.amountOutstanding)
      const payment = await this.record(
        tx,
        actor,
        bill,
        {
          amountFen: notice.amountFen,
          channel: 'online',
          method: gateway.name,
          orderId: order.id,
          gateway: gateway.name,
          gatewayTxn: notice.txnId,
        },
        requestId,
        applied,
      )
      await tx.query(ORDER_PAID, [order.id])
      const excess = notice.amountFen - applied
      if (excess > 0) {
        const refundId = newId('rf')
        await tx.query(SET_REFUNDED, [payment.id, excess])
        await tx.query(INSERT_REFUND, [
          refundId,
          payment.id,
          bill.id,
          bill.communityId,
          excess,
          'overpayment: the bill was settled before this payment arrived',
          null,
          actor.id,
        ])
        await this.deps.auditor.record(tx, {
          actor,
          action: 'refund.create',
          object: { type: 'refund', id: refundId, communityId: bill.communityId },
          after: { refundId, paymentId: payment.id, amountFen: excess, reason: 'overpayment' },
          requestId,
        })
        refunds.push({ paymentId: payment.id, refundId, txnId: notice.txnId, amount: excess })
      }
      return { paymentId: payment.id, receiptNo: payment.receiptNo, duplicate: false, refundedFen: excess }
    })
    // The money goes back once the refund is on the books; a gateway failure here is retried by staff.
    for (const r of refunds) {
      await gateway.refund({ txnId: r.txnId, refundId: r.refundId, amountFen: r.amount })
    }
    return result
  }
}

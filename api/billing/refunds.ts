/**
 * Refunds of a payment, in part or in full: the bill's paid amount goes down by the refund, so it owes that much
 * again — unless the refund is for an overcharge (`waive`), when the same amount is waived and the bill stays
 * settled. An online payment is refunded through its gateway after the refund is on the books.
 */
import type { Postgres } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { conflict, notFound } from '../http/errors.ts'
import { newId } from './access.ts'
import { lockBill, moveBill, readBill, requireBill, waiveOn, type Bill } from './bills.ts'
import type { PaymentGateway } from './gateway.ts'

export interface Refund {
  readonly id: string
  readonly paymentId: string
  readonly billId: string
  readonly amountFen: number
  readonly reason: string
  readonly waive: boolean
  readonly gatewayRef: string | null
  readonly bill: Bill
}

const LOCK_PAYMENT = `SELECT id, bill_id AS "billId", amount, refunded, gateway, gateway_txn AS "gatewayTxn"
  FROM payments WHERE id = $1 FOR UPDATE`
const SET_REFUNDED = 'UPDATE payments SET refunded = refunded + $2 WHERE id = $1'
const INSERT = `INSERT INTO refunds (id, payment_id, bill_id, community_id, amount, reason, waive, created_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
const SET_REF = 'UPDATE refunds SET gateway_ref = $2 WHERE id = $1'

export class RefundService {
  constructor(
    private readonly deps: {
      readonly db: Postgres
      readonly auditor: Auditor
      readonly gateways: ReadonlyMap<string, PaymentGateway>
    },
  ) {}

  async refund(
    auth: AuthContext,
    paymentId: string,
    input: { amountFen: number; reason: string; waive: boolean },
    requestId: string | null,
  ): Promise<Refund> {
    const id = newId('rf')
    const done = await this.deps.db.transaction(async (tx) => {
      const [payment] = await tx.query<{
        id: string
        billId: string
        amount: number
        refunded: number
        gateway: string | null
        gatewayTxn: string | null
      }>(LOCK_PAYMENT, [paymentId])
      if (!payment) throw notFound('payment')
      const bill = await lockBill(tx, payment.billId)
      if (!bill) throw notFound('payment')
      requireBill(auth, bill)
      if (input.amountFen > payment.amount - payment.refunded) {
        throw conflict(
          `${payment.amount - payment.refunded} fen of the payment can still be refunded`,
          'refund',
        )
      }
      await moveBill(tx, bill, -input.amountFen, 0)
      await tx.query(SET_REFUNDED, [payment.id, input.amountFen])
      await tx.query(INSERT, [
        id,
        payment.id,
        bill.id,
        bill.communityId,
        input.amountFen,
        input.reason,
        input.waive,
        auth.userId,
      ])
      if (input.waive) {
        const moved = await lockBill(tx, bill.id)
        if (!moved) throw notFound('bill')
        await waiveOn(tx, moved, input.amountFen, `refund ${id}: ${input.reason}`, auth.userId, id)
      }
      const after = await readBill(tx, bill.id)
      if (!after) throw notFound('bill')
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'refund.create',
        object: { type: 'refund', id, communityId: bill.communityId },
        before: bill,
        after: { refundId: id, paymentId: payment.id, ...input, bill: after },
        requestId,
      })
      return { payment, bill: after }
    })
    let gatewayRef: string | null = null
    const { payment } = done
    const gateway = payment.gateway ? this.deps.gateways.get(payment.gateway) : undefined
    if (gateway && payment.gatewayTxn) {
      gatewayRef = await gateway.refund({
        txnId: payment.gatewayTxn,
        refundId: id,
        amountFen: input.amountFen,
      })
      await this.deps.db.query(SET_REF, [id, gatewayRef])
    }
    return {
      id,
      paymentId: payment.id,
      billId: done.bill.id,
      amountFen: input.amountFen,
      reason: input.reason,
      waive: input.waive,
      gatewayRef,
      bill: done.bill,
    }
  }
}

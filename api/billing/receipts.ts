/**
 * Receipts: a payment as recorded, with the proof that its record is in the audit log — the payment's audit entry
 * (whose after-hash is the SHA-256 of the payment as shown), its leaf hash, and the RFC 6962 inclusion proof of
 * that leaf in the log's current tree, with the tree's root. Anyone holding a signed tree head of that size (GET
 * /audit/tree-head) can check the receipt without trusting this server: recompute the leaf from the entry, walk
 * the path to the root, compare with the signed root.
 */
import { ENTRY_COLUMNS, type AuditEntry, type AuditLog, type Postgres } from '../../data/index.ts'
import type { AuthContext } from '../auth/context.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { readBill, requireBill } from './bills.ts'
import { readPayment, type Payment } from './payments.ts'

export interface Receipt {
  readonly receiptNo: string
  readonly payment: Payment
  readonly refundedFen: number
  readonly audit: {
    readonly entry: {
      readonly seq: number
      readonly ts: string
      readonly companyId: string | null
      readonly communityId: string | null
      readonly actorId: string
      readonly actorRole: string
      readonly action: string
      readonly objectType: string
      readonly objectId: string
      readonly beforeHash: string | null
      readonly afterHash: string | null
      readonly requestId: string | null
    }
    readonly leafHash: string
    readonly treeSize: number
    readonly rootHash: string
    /** Audit path from the leaf to the root (RFC 6962 §2.1.1), hex. */
    readonly path: string[]
  }
}

const ENTRY = `SELECT ${ENTRY_COLUMNS} FROM audit_log
  WHERE object_type = 'payment' AND object_id = $1 AND action = 'payment.record' ORDER BY seq LIMIT 1`
const REFUNDED = 'SELECT refunded FROM payments WHERE id = $1'
const hex = (bytes: Uint8Array | null) => (bytes ? Buffer.from(bytes).toString('hex') : null)

export class ReceiptService {
  constructor(private readonly deps: { readonly db: Postgres; readonly auditLog: AuditLog }) {}

  async receipt(auth: AuthContext, paymentId: string): Promise<Receipt> {
    const { db } = this.deps
    const payment = await readPayment(db, paymentId)
    if (!payment) throw notFound('payment')
    const bill = await readBill(db, payment.billId)
    try {
      requireBill(auth, bill)
    } catch {
      throw notFound('payment')
    }
    const [entry] = await db.query<AuditEntry & { leafHash: Uint8Array }>(ENTRY, [paymentId])
    if (!entry) throw new ApiError(409, 'audit_missing', 'the payment has no audit entry')
    const tree = await this.deps.auditLog.current()
    const size = tree.size
    if (entry.seq >= size)
      throw new ApiError(409, 'audit_missing', 'the audit log does not hold the entry yet')
    const [refunded] = await db.query<{ refunded: number }>(REFUNDED, [paymentId])
    return {
      receiptNo: payment.receiptNo,
      payment,
      refundedFen: refunded?.refunded ?? 0,
      audit: {
        entry: {
          seq: entry.seq,
          ts: entry.ts.toISOString(),
          companyId: entry.companyId,
          communityId: entry.communityId,
          actorId: entry.actorId,
          actorRole: entry.actorRole,
          action: entry.action,
          objectType: entry.objectType,
          objectId: entry.objectId,
          beforeHash: hex(entry.beforeHash),
          afterHash: hex(entry.afterHash),
          requestId: entry.requestId,
        },
        leafHash: hex(entry.leafHash) ?? '',
        treeSize: size,
        rootHash: tree.root(size).toString('hex'),
        path: tree.inclusionProof(entry.seq, size).map((h) => h.toString('hex')),
      },
    }
  }
}

/**
 * The sandbox gateway: a stand-in for an online payment provider that behaves like one where it matters — it signs
 * every callback (HMAC-SHA-256 over `timestamp.body` with a key shared only with us, like WeChat Pay's and Stripe's
 * schemes), refuses stale timestamps, and refunds. `complete()` plays the payer: it produces the signed callback
 * the provider would send once the payer has paid, which a test (or a demo) posts to the callback route.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import {
  GatewaySignatureError,
  type GatewayNotice,
  type GatewayOrder,
  type PaymentGateway,
} from './gateway.ts'

export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature'
export const SANDBOX_TIMESTAMP_HEADER = 'x-sandbox-timestamp'

const noticeSchema = z.strictObject({
  event: z.literal('payment.succeeded'),
  orderId: z.string().min(1).max(64),
  txnId: z.string().min(1).max(64),
  amountFen: z.number().int().positive(),
  paidAt: z.number().int().positive(),
})

export interface SignedCallback {
  readonly body: string
  readonly headers: Record<string, string>
}

export class SandboxGateway implements PaymentGateway {
  readonly name = 'sandbox'
  /** Refunds made, for inspection (a real gateway has its own records). */
  readonly refunds: { txnId: string; refundId: string; amountFen: number }[] = []

  constructor(
    private readonly key: Buffer,
    /** How far a callback's timestamp may be from now. */
    private readonly maxSkewMs = 5 * 60_000,
  ) {}

  prepare(order: GatewayOrder): Promise<{ payUrl: string }> {
    return Promise.resolve({
      payUrl: `sandbox://pay/${encodeURIComponent(order.orderId)}?fen=${order.amountFen}`,
    })
  }

  /** The signature of a callback body sent at `timestamp` (epoch seconds). */
  sign(body: string, timestamp: number): string {
    return createHmac('sha256', this.key).update(`${timestamp}.${body}`).digest('hex')
  }

  /** The callback the sandbox sends when the payer pays `order` (a fresh transaction id unless given). */
  complete(
    order: { orderId: string; amountFen: number },
    options: { txnId?: string; now?: number } = {},
  ): SignedCallback {
    const now = options.now ?? Date.now()
    const body = JSON.stringify({
      event: 'payment.succeeded',
      orderId: order.orderId,
      txnId: options.txnId ?? `sbx-${randomBytes(8).toString('hex')}`,
      amountFen: order.amountFen,
      paidAt: now,
    })
    const timestamp = Math.floor(now / 1000)
    return {
      body,
      headers: {
        'content-type': 'application/json',
        [SANDBOX_TIMESTAMP_HEADER]: String(timestamp),
        [SANDBOX_SIGNATURE_HEADER]: this.sign(body, timestamp),
      },
    }
  }

  verifyCallback(rawBody: string, header: (name: string) => string | undefined, now: number): GatewayNotice {
    const timestamp = Number(header(SANDBOX_TIMESTAMP_HEADER))
    const given = header(SANDBOX_SIGNATURE_HEADER) ?? ''
    if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(given)) {
      throw new GatewaySignatureError('missing or malformed signature')
    }
    const expected = Buffer.from(this.sign(rawBody, timestamp), 'hex')
    if (!timingSafeEqual(expected, Buffer.from(given, 'hex')))
      throw new GatewaySignatureError('bad signature')
    if (Math.abs(now - timestamp * 1000) > this.maxSkewMs) throw new GatewaySignatureError('stale timestamp')
    let parsed: unknown
    try {
      parsed = JSON.parse(rawBody)
    } catch {
      throw new GatewaySignatureError('body is not JSON')
    }
    const notice = noticeSchema.safeParse(parsed)
    if (!notice.success) throw new GatewaySignatureError('body is not a payment notice')
    const { orderId, txnId, amountFen, paidAt } = notice.data
    return { orderId, txnId, amountFen, paidAt }
  }

  refund(r: { txnId: string; refundId: string; amountFen: number }): Promise<string> {
    this.refunds.push({ ...r })
    return Promise.resolve(`sbx-refund-${r.refundId}`)
  }
}

/**
 * The payment gateway interface: what billing needs from WeChat Pay, Alipay, a bank's aggregator or the sandbox —
 * prepare an order for the payer, verify and parse the gateway's payment callback, and refund. Each gateway signs
 * its callbacks its own way; `verifyCallback` is the only place that knows how, and a callback it does not accept
 * records nothing.
 */

/** An order the payer is asked to pay. */
export interface GatewayOrder {
  readonly orderId: string
  readonly amountFen: number
  readonly description: string
}

/** What a verified callback says: the order was paid by gateway transaction `txnId`. */
export interface GatewayNotice {
  readonly orderId: string
  readonly txnId: string
  readonly amountFen: number
  /** Epoch ms. */
  readonly paidAt: number
}

/** A callback that is not authentic (bad or missing signature, stale timestamp, malformed body). */
export class GatewaySignatureError extends Error {
  override readonly name = 'GatewaySignatureError'
}

export interface PaymentGateway {
  readonly name: string
  /** What the payer's app needs to pay the order (here a URL; a real gateway returns its app parameters). */
  prepare(order: GatewayOrder): Promise<{ readonly payUrl: string }>
  /**
   * Verifies the callback's signature over its exact bytes and parses it. Throws GatewaySignatureError when it is
   * not authentic.
   */
  verifyCallback(rawBody: string, header: (name: string) => string | undefined, now: number): GatewayNotice
  /** Returns money of a paid transaction to the payer; resolves to the gateway's refund reference. */
  refund(r: {
    readonly txnId: string
    readonly refundId: string
    readonly amountFen: number
  }): Promise<string>
}

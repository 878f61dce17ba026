/**
 * The sandbox gateway's callback signatures: its own signed callbacks verify; a changed body, a wrong key, a
 * missing or malformed signature, a stale timestamp and a body that is not a payment notice do not.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { GatewaySignatureError } from './gateway.ts'
import { SANDBOX_SIGNATURE_HEADER, SANDBOX_TIMESTAMP_HEADER, SandboxGateway } from './sandbox-gateway.ts'

describe('SandboxGateway', () => {
  const key = randomBytes(32)
  const gateway = new SandboxGateway(key)
  const now = Date.UTC(2026, 10, 25, 12)
  const signed = gateway.complete({ orderId: 'ord-1', amountFen: 12345 }, { txnId: 'tx-1', now })
  const header = (headers: Record<string, string>) => (name: string) => headers[name]

  it('verifies its own callbacks and reads the notice', () => {
    assert.deepEqual(gateway.verifyCallback(signed.body, header(signed.headers), now), {
      orderId: 'ord-1',
      txnId: 'tx-1',
      amountFen: 12345,
      paidAt: now,
    })
  })

  const refused: [string, () => unknown][] = [
    [
      'a changed body',
      () => gateway.verifyCallback(signed.body.replace('12345', '12346'), header(signed.headers), now),
    ],
    [
      'another key',
      () => new SandboxGateway(randomBytes(32)).verifyCallback(signed.body, header(signed.headers), now),
    ],
    [
      'no signature',
      () =>
        gateway.verifyCallback(signed.body, header({ [SANDBOX_TIMESTAMP_HEADER]: String(now / 1000) }), now),
    ],
    [
      'a malformed signature',
      () =>
        gateway.verifyCallback(
          signed.body,
          header({ ...signed.headers, [SANDBOX_SIGNATURE_HEADER]: 'zz' }),
          now,
        ),
    ],
    [
      'a stale timestamp',
      () => gateway.verifyCallback(signed.body, header(signed.headers), now + 10 * 60_000),
    ],
    [
      'a signed body that is not a payment notice',
      () => {
        const body = JSON.stringify({ event: 'refund.succeeded' })
        const ts = Math.floor(now / 1000)
        return gateway.verifyCallback(
          body,
          header({
            [SANDBOX_TIMESTAMP_HEADER]: String(ts),
            [SANDBOX_SIGNATURE_HEADER]: gateway.sign(body, ts),
          }),
          now,
        )
      },
    ],
  ]
  for (const [name, call] of refused) {
    it(`refuses ${name}`, () => assert.throws(call, GatewaySignatureError))
  }
})

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generatePassword, hashPassword, needsRehash, passwordProblem, verifyPassword } from './password.ts'
import { base32Decode, base32Encode, otpauthUri, totpCode, verifyTotp } from './totp.ts'

describe('hashPassword', () => {
  it('verifies the right password and refuses a wrong one or a malformed hash', async () => {
    const hash = await hashPassword('Correct-horse-1', 10)
    assert.match(hash, /^\$scrypt\$ln=10,r=8,p=1\$/)
    assert.equal(await verifyPassword('Correct-horse-1', hash), true)
    assert.equal(await verifyPassword('correct-horse-1', hash), false)
    assert.equal(await verifyPassword('Correct-horse-1', 'plain'), false)
    assert.notEqual(await hashPassword('Correct-horse-1', 10), hash, 'a fresh salt each time')
  })

  it('asks for a rehash when the cost was raised', async () => {
    const hash = await hashPassword('Correct-horse-1', 10)
    assert.equal(needsRehash(hash, 10), false)
    assert.equal(needsRehash(hash, 15), true)
  })

  it('enforces a minimum policy, which generated passwords pass', () => {
    assert.match(passwordProblem('short') ?? '', /10 characters/)
    assert.match(passwordProblem('alllowercaseletters') ?? '', /three/)
    assert.equal(passwordProblem('Longer-pass-1'), null)
    for (let i = 0; i < 20; i++) assert.equal(passwordProblem(generatePassword()), null)
  })
})

describe('TOTP', () => {
  // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", 8 digits; we use 6 (the last six).
  const secret = base32Encode(Buffer.from('12345678901234567890'))
  const vectors: [number, string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
  ]
  for (const [seconds, code] of vectors) {
    it(`matches RFC 6238 at T=${seconds}`, () => {
      assert.equal(totpCode(secret, Math.floor(seconds / 30)), code.slice(2))
    })
  }

  it('round-trips base32', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 17, 99])
    assert.deepEqual(base32Decode(base32Encode(bytes)), bytes)
    assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI')
  })

  it('accepts the current step ±1 once, and refuses replays and other codes', () => {
    const now = 1_700_000_000_000
    const step = Math.floor(now / 30_000)
    const code = totpCode(secret, step)
    assert.equal(verifyTotp(secret, code, now, null), step)
    assert.equal(verifyTotp(secret, code, now, step), null, 'replay refused')
    assert.equal(verifyTotp(secret, totpCode(secret, step - 1), now, null), step - 1)
    assert.equal(verifyTotp(secret, totpCode(secret, step - 3), now, null), null)
    assert.equal(verifyTotp(secret, 'abcdef', now, null), null)
  })

  it('builds an otpauth URI without personal data', () => {
    assert.match(
      otpauthUri(secret, 'admin', 'Twin'),
      /^otpauth:\/\/totp\/Twin%3Aadmin\?secret=[A-Z2-7]+&issuer=Twin/,
    )
  })
})

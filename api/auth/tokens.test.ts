/**
 * Sign-in and token security, tested the way an attacker would: a table of forged and stale tokens that must all
 * be refused with 401, refresh-token rotation with reuse detection, lockout and rate limits, the second factor,
 * disabling a user, and key rotation with its grace period. Runs on PGlite and on the PostgreSQL server.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { SignJWT } from 'jose'
import { testServer } from '../../data/testing/servers.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'
import { AccessTokens } from './access-tokens.ts'
import { SigningKeys } from './signing-keys.ts'

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

function tokenSuite(label: string, url?: string): void {
  describe(`tokens and sign-in: ${label}`, () => {
    let f: Fixture
    let iss: string
    let aud: string
    before(async () => {
      f = await openFixture(await openTestDatabase(url), { TRUST_PROXY: '1' })
      iss = f.config.api.issuer
      aud = f.config.api.audience
    })
    after(() => f.close())

    const me = (token: string) => f.request('GET', '/api/v1/me', { token })
    const fromAddress = (address: string) => ({ 'x-forwarded-for': address })

    /** A token signed with the real current key, with claims and header overridable. */
    async function mint(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
      const { kid, privateKey } = await f.platform.keys.signingKey()
      const [session] = await f.db.query<{ id: string; user_id: string }>(
        "SELECT s.id, s.user_id FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'manager' AND s.revoked_at IS NULL LIMIT 1",
      )
      const now = Math.floor(Date.now() / 1000)
      const payload = {
        sid: session?.id,
        sub: session?.user_id,
        iss,
        aud,
        iat: now,
        nbf: now,
        exp: now + 300,
        jti: 'x',
        ...claims,
      }
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt', ...header })
        .sign(privateKey)
    }

    it('accepts a genuine token (the control case)', async () => {
      assert.equal((await me(await mint())).status, 200)
      assert.equal((await me(f.tokens.community_manager)).status, 200)
    })

    const forged: [string, () => Promise<string>][] = [
      ['no token at all', () => Promise.resolve('')],
      ['a malformed token', () => Promise.resolve('not.a.jwt')],
      [
        'alg: none',
        async () => {
          const { kid } = await f.platform.keys.signingKey()
          const real = (await mint()).split('.')[1]
          return `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${real}.`
        },
      ],
      [
        'HS256 keyed with the public key (HS/RS confusion)',
        async () => {
          const { kid, privateKey } = await f.platform.keys.signingKey()
          const { createPublicKey } = await import('node:crypto')
          const publicDer = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
          const now = Math.floor(Date.now() / 1000)
          return new SignJWT({ sid: 's', sub: 'u', iss, aud, iat: now, nbf: now, exp: now + 300, jti: 'x' })
            .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
            .sign(new Uint8Array(publicDer))
        },
      ],
      [
        'RS256 signed with an attacker key',
        async () => {
          const { kid } = await f.platform.keys.signingKey()
          const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
          const now = Math.floor(Date.now() / 1000)
          return new SignJWT({ sid: 's', sub: 'u', iss, aud, iat: now, nbf: now, exp: now + 300, jti: 'x' })
            .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' })
            .sign(privateKey)
        },
      ],
      [
        'EdDSA signed with the wrong key under our kid',
        async () => {
          const { kid } = await f.platform.keys.signingKey()
          const { privateKey } = generateKeyPairSync('ed25519')
          const genuine = await mint()
          const payload = JSON.parse(
            Buffer.from(genuine.split('.')[1] ?? '', 'base64url').toString(),
          ) as Record<string, unknown>
          return new SignJWT(payload)
            .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
            .sign(privateKey)
        },
      ],
      ['a signature that was tampered with', async () => (await mint()).slice(0, -3) + 'AAA'],
      [
        'a payload changed after signing (another user)',
        async () => {
          const [h, p, s] = (await mint()).split('.') as [string, string, string]
          const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>
          return `${h}.${b64({ ...payload, sub: 'someone-else' })}.${s}`
        },
      ],
      [
        'an expired token',
        () => mint({ exp: Math.floor(Date.now() / 1000) - 60, iat: Math.floor(Date.now() / 1000) - 400 }),
      ],
      ['a token not yet valid', () => mint({ nbf: Math.floor(Date.now() / 1000) + 3600 })],
      ['a token for another audience', () => mint({ aud: 'some-other-api' })],
      ['a token from another issuer', () => mint({ iss: 'https://evil.example' })],
      ['an unknown kid', () => mint({}, { kid: 'no-such-key' })],
      ['a token without kid', () => mint({}, { kid: undefined })],
      ['a token of the wrong type (typ: JWT)', () => mint({}, { typ: 'JWT' })],
      ['a token without exp', () => mint({ exp: undefined })],
      ['a token without a session', () => mint({ sid: undefined })],
      ['a token for a session that does not exist', () => mint({ sid: 's_forged' })],
      [
        'a token that lives longer than the policy allows',
        () => mint({ iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) + 60 }),
      ],
      [
        'a refresh token used as an access token',
        async () => {
          const r = await f.login(f.accounts.planner.username, f.accounts.planner.password)
          return ((await r.json()) as { refreshToken: string }).refreshToken
        },
      ],
    ]
    for (const [what, make] of forged) {
      it(`refuses ${what} with 401`, async () => {
        const token = await make()
        const response = await f.request('GET', '/api/v1/me', token ? { token } : {})
        assert.equal(response.status, 401)
        const body = (await response.json()) as { error: { code: string } }
        assert.equal(body.error.code, 'unauthorized')
      })
    }

    it('rotates refresh tokens, and a reused one revokes the whole family', async () => {
      const first = (await (
        await f.login(f.accounts.finance.username, f.accounts.finance.password)
      ).json()) as {
        accessToken: string
        refreshToken: string
      }
      const refresh = (token: string) =>
        f.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: token } })
      const second = await refresh(first.refreshToken)
      assert.equal(second.status, 200)
      const pair = (await second.json()) as { accessToken: string; refreshToken: string }
      assert.notEqual(pair.refreshToken, first.refreshToken)
      assert.equal((await me(pair.accessToken)).status, 200)
      // The thief replays the first token: refused, and the family dies with it.
      assert.equal((await refresh(first.refreshToken)).status, 401)
      assert.equal((await refresh(pair.refreshToken)).status, 401, 'the successor is revoked too')
      assert.equal((await me(pair.accessToken)).status, 401, 'and so are the access tokens of that sign-in')
      assert.equal((await me(first.accessToken)).status, 401)
      const [entry] = await f.db.query<{ action: string }>(
        "SELECT action FROM audit_log WHERE action = 'auth.refresh_reuse' ORDER BY seq DESC LIMIT 1",
      )
      assert.equal(entry?.action, 'auth.refresh_reuse')
    })

    it('refuses a token of a user disabled after it was issued, and their refresh token', async () => {
      const signIn = (await (
        await f.login(f.accounts.security_guard.username, f.accounts.security_guard.password)
      ).json()) as {
        accessToken: string
        refreshToken: string
      }
      assert.equal((await me(signIn.accessToken)).status, 200)
      const [user] = await f.db.query<{ id: string }>("SELECT id FROM users WHERE username = 'guard'")
      const disable = await f.request('POST', `/api/v1/users/${user?.id}/disable`, {
        token: f.tokens.administrator,
      })
      assert.equal(disable.status, 200)
      assert.equal((await me(signIn.accessToken)).status, 401)
      assert.equal((await me(f.tokens.security_guard)).status, 401)
      const refreshed = await f.request('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: signIn.refreshToken },
      })
      assert.equal(refreshed.status, 401)
      const again = await f.login(f.accounts.security_guard.username, f.accounts.security_guard.password)
      assert.equal(again.status, 401, 'a disabled user cannot sign in')
      await f.request('POST', `/api/v1/users/${user?.id}/enable`, { token: f.tokens.administrator })
    })

    it('signs out: the session ends at once', async () => {
      const signIn = (await (
        await f.login(f.accounts.planner.username, f.accounts.planner.password)
      ).json()) as {
        accessToken: string
      }
      assert.equal(
        (await f.request('POST', '/api/v1/auth/logout', { token: signIn.accessToken })).status,
        204,
      )
      assert.equal((await me(signIn.accessToken)).status, 401)
    })

    it('requires a TOTP code for administrators, and refuses a wrong or replayed one', async () => {
      const admin = f.accounts.administrator
      const missing = await f.login(admin.username, admin.password)
      assert.equal(missing.status, 401)
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'mfa_required')
      assert.equal((await f.login(admin.username, admin.password, '000000')).status, 401)
      const code = f.totp(admin, 1)
      assert.equal((await f.login(admin.username, admin.password, code)).status, 200)
      assert.equal((await f.login(admin.username, admin.password, code)).status, 401, 'a code works once')
    })

    it('locks an account after repeated failures, even for the right password, without revealing it', async () => {
      const headers = fromAddress('10.0.0.7')
      const attempt = (password: string) =>
        f.request('POST', '/api/v1/auth/login', { body: { username: 'auditor', password }, headers })
      for (let i = 0; i < f.config.api.lockoutThreshold; i++)
        assert.equal((await attempt('wrong-Password-1')).status, 401)
      const locked = await attempt(f.accounts.auditor.password)
      assert.equal(locked.status, 429)
      // An unknown name is "locked" the same way, so the answer does not tell which names exist.
      const ghost = (password: string) =>
        f.request('POST', '/api/v1/auth/login', {
          body: { username: 'nobody-here', password },
          headers: fromAddress('10.0.0.8'),
        })
      for (let i = 0; i < f.config.api.lockoutThreshold; i++)
        assert.equal((await ghost('wrong-Password-1')).status, 401)
      assert.equal((await ghost('wrong-Password-1')).status, 429)
      await f.db.query("UPDATE users SET locked_until = NULL, failed_logins = 0 WHERE username = 'auditor'")
    })

    it('rate-limits an address with too many failed sign-ins (429 with Retry-After)', async () => {
      const headers = fromAddress('10.0.0.9')
      let last: Response | undefined
      for (let i = 0; i <= f.config.api.loginRatePerMinute; i++) {
        last = await f.request('POST', '/api/v1/auth/login', {
          body: { username: `ghost-${i}`, password: 'wrong-Password-1' },
          headers,
        })
      }
      assert.equal(last?.status, 429)
      assert.ok(Number(last?.headers.get('retry-after')) >= 1 || last?.headers.get('retry-after') === null)
    })

    it('keeps accepting tokens of a retired key during the grace period only', async () => {
      const old = await mint()
      const before = (await f.platform.keys.signingKey()).kid
      const rotated = await f.platform.keys.rotate()
      assert.notEqual(rotated, before)
      assert.equal((await me(old)).status, 200, 'within the grace period')
      const fresh = await mint()
      const header = JSON.parse(Buffer.from(fresh.split('.')[0] ?? '', 'base64url').toString()) as {
        kid: string
      }
      assert.equal(header.kid, rotated)
      // An hour and more later (past the grace period), a verifier refuses the retired key.
      const later = () => Date.now() + (f.config.api.keyGraceSeconds + 60) * 1000
      const keys = new SigningKeys(f.db, f.platform.secrets, {
        rotationSeconds: 1e9,
        graceSeconds: f.config.api.keyGraceSeconds,
        now: later,
      })
      const { privateKey } = await f.platform.keys.signingKey()
      const stale = await new SignJWT({
        sid: 's',
        sub: 'u',
        iss,
        aud,
        jti: 'x',
        iat: Math.floor(later() / 1000),
        nbf: Math.floor(later() / 1000),
        exp: Math.floor(later() / 1000) + 60,
      })
        .setProtectedHeader({ alg: 'EdDSA', kid: before, typ: 'at+jwt' })
        .sign(privateKey)
      const verifier = new AccessTokens(keys, { issuer: iss, audience: aud, ttlSeconds: 900, now: later })
      assert.equal(await verifier.verify(stale), null)
      const current = await new SignJWT({
        sid: 's',
        sub: 'u',
        iss,
        aud,
        jti: 'x',
        iat: Math.floor(later() / 1000),
        nbf: Math.floor(later() / 1000),
        exp: Math.floor(later() / 1000) + 60,
      })
        .setProtectedHeader({ alg: 'EdDSA', kid: rotated, typ: 'at+jwt' })
        .sign(privateKey)
      assert.notEqual(await verifier.verify(current), null, 'the current key still verifies')
    })

    it('stores refresh tokens only as hashes and private keys only encrypted', async () => {
      const pair = (await (
        await f.login(f.accounts.repair_staff.username, f.accounts.repair_staff.password)
      ).json()) as {
        refreshToken: string
      }
      const dump = JSON.stringify(await f.db.query("SELECT encode(token_hash, 'base64') FROM refresh_tokens"))
      assert.ok(!dump.includes(pair.refreshToken.slice(3)))
      const keys = await f.db.query<{ private_key_enc: Uint8Array }>(
        'SELECT private_key_enc FROM auth_signing_keys',
      )
      assert.ok(
        keys.every((k) => k.private_key_enc[0] === 0x01),
        'AES-GCM ciphertexts',
      )
      assert.ok(randomBytes(1))
    })
  })
}

tokenSuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () => tokenSuite('PostgreSQL server', server.url))

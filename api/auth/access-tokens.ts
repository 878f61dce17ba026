/**
 * Short-lived JWT access tokens (RFC 9068 profile): EdDSA only, `typ: at+jwt`, and `iss`, `aud`, `exp`, `nbf`,
 * `iat`, `sub`, `jti` and `sid` all required. Anything else — `alg: none`, an HMAC or RSA token, another key, an
 * unknown or expired `kid`, a refresh token — fails verification.
 *
 * A verified token is remembered until it expires, so a busy client costs one signature check per token rather
 * than per request; the user's state (disabled, signed out) is still checked on every request by the caller.
 */
import { randomBytes } from 'node:crypto'
import { jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose'
import type { SigningKeys } from './signing-keys.ts'

export interface AccessTokenOptions {
  readonly issuer: string
  readonly audience: string
  readonly ttlSeconds: number
  readonly now?: () => number
}

/** What a valid access token says. */
export interface AccessClaims {
  readonly userId: string
  readonly sessionId: string
  /** Seconds since the epoch. */
  readonly exp: number
  readonly nbf: number
}

const TYP = 'at+jwt'
const CLOCK_TOLERANCE_SECONDS = 5
const CACHE_LIMIT = 20_000

export class AccessTokens {
  private readonly verified = new Map<string, AccessClaims>()
  private readonly now: () => number

  constructor(
    private readonly keys: SigningKeys,
    private readonly options: AccessTokenOptions,
  ) {
    this.now = options.now ?? Date.now
  }

  /** Issues a token for a user's session; returns it with its lifetime in seconds. */
  async issue(
    userId: string,
    sessionId: string,
    role: string,
  ): Promise<{ token: string; expiresIn: number }> {
    const { kid, privateKey } = await this.keys.signingKey()
    const now = Math.floor(this.now() / 1000)
    const token = await new SignJWT({ sid: sessionId, role })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: TYP })
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setSubject(userId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + this.options.ttlSeconds)
      .setJti(randomBytes(12).toString('base64url'))
      .sign(privateKey)
    return { token, expiresIn: this.options.ttlSeconds }
  }

  /** The claims of a valid token, or null for anything that is not one. Never throws. */
  async verify(token: string): Promise<AccessClaims | null> {
    const nowSeconds = this.now() / 1000
    const cached = this.verified.get(token)
    if (cached) {
      if (
        nowSeconds < cached.exp + CLOCK_TOLERANCE_SECONDS &&
        nowSeconds >= cached.nbf - CLOCK_TOLERANCE_SECONDS
      )
        return cached
      if (nowSeconds >= cached.exp + CLOCK_TOLERANCE_SECONDS) this.verified.delete(token)
      return null
    }
    if (token.length > 4096) return null
    try {
      const { payload } = await jwtVerify(
        token,
        async (header: JWTHeaderParameters) => {
          const key = header.kid ? await this.keys.verificationKey(header.kid) : null
          if (!key) throw new Error('unknown kid')
          return key
        },
        {
          algorithms: ['EdDSA'],
          issuer: this.options.issuer,
          audience: this.options.audience,
          typ: TYP,
          requiredClaims: ['exp', 'nbf', 'iat', 'sub', 'jti', 'sid'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(this.now()),
          maxTokenAge: this.options.ttlSeconds + CLOCK_TOLERANCE_SECONDS,
        },
      )
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null
      const claims: AccessClaims = {
        userId: payload.sub,
        sessionId: payload.sid,
        exp: payload.exp ?? 0,
        nbf: payload.nbf ?? 0,
      }
      if (this.verified.size >= CACHE_LIMIT) this.verified.clear()
      this.verified.set(token, claims)
      return claims
    } catch {
      return null
    }
  }

  /** Forgets verified tokens (after a key is revoked by an operator). */
  forget(): void {
    this.verified.clear()
  }
}

/**
 * Sign-in, refresh and sign-out. Passwords are checked with scrypt; after AUTH_LOCKOUT_THRESHOLD failures an
 * account is locked for AUTH_LOCKOUT_MINUTES, and a client address with too many failures is refused (429) for a
 * minute. Names that do not exist are counted and locked the same way and cost the same scrypt time, so neither the
 * answers nor their timing tell which accounts exist. Roles that need a second factor must send a TOTP code.
 */
import type { ApiPlatformConfig, PiiCipher, Postgres } from '../../data/index.ts'
import { hashPassword, needsRehash, verifyPassword, verifyTotp } from '../../data/index.ts'
import type { Auditor } from '../audit/auditor.ts'
import { ApiError } from '../http/errors.ts'
import { RateLimiter } from '../http/rate-limit.ts'
import type { AccessTokens } from './access-tokens.ts'
import type { AuthStates } from './auth-state.ts'
import { isRole, matrix } from './permissions.ts'
import type { Sessions } from './sessions.ts'

export interface Credentials {
  readonly username: string
  readonly password: string
  readonly totp?: string | undefined
}

/** What a successful sign-in or refresh returns. */
export interface TokenPair {
  readonly accessToken: string
  readonly tokenType: 'Bearer'
  readonly expiresIn: number
  readonly refreshToken: string
  readonly refreshExpiresAt: string
}

export interface LoginDeps {
  readonly db: Postgres
  readonly tokens: AccessTokens
  readonly sessions: Sessions
  readonly states: AuthStates
  readonly auditor: Auditor
  /** Decrypts TOTP secrets. */
  readonly secrets: PiiCipher
  readonly options: ApiPlatformConfig
}

interface UserRow {
  id: string
  company_id: string
  role: string
  password_hash: string
  totp_secret_enc: Uint8Array | null
  totp_last_step: number | null
  failed_logins: number
  locked_until: Date | null
  disabled_at: Date | null
}

const FIND = `SELECT id, company_id, role, password_hash, totp_secret_enc, totp_last_step, failed_logins, locked_until,
  disabled_at FROM users WHERE username = $1`
const FAIL = `UPDATE users SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
    locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE locked_until END
  WHERE id = $1 RETURNING locked_until > now() AS locked`
const SUCCEED = 'UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1'
/** Takes the TOTP step atomically: a second sign-in racing with the same code finds it used. */
const USE_STEP = `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND coalesce(totp_last_step, -1) < $2
  RETURNING id`
const REHASH = 'UPDATE users SET password_hash = $2 WHERE id = $1'

const invalid = () => new ApiError(401, 'invalid_credentials', 'user name, password or code is wrong')
const locked = (seconds: number) =>
  new ApiError(429, 'locked', `too many failed sign-ins; try again in ${Math.ceil(seconds / 60)} minutes`)

export class LoginService {
  private readonly failuresByAddress: RateLimiter
  private readonly failuresByUnknownName: RateLimiter
  private dummyHash: Promise<string> | null = null

  constructor(private readonly deps: LoginDeps) {
    const o = deps.options
    this.failuresByAddress = new RateLimiter(o.loginRatePerMinute, 60_000)
    this.failuresByUnknownName = new RateLimiter(o.lockoutThreshold, o.lockoutSeconds * 1000)
  }

  /** Signs in; throws 401 (wrong credentials), 401 `mfa_required`, or 429 (locked or too many failures). */
  async login(credentials: Credentials, clientIp: string, requestId: string | null): Promise<TokenPair> {
    const { db, options } = this.deps
    if (this.failuresByAddress.count(clientIp) >= options.loginRatePerMinute) {
      throw new ApiError(
        429,
        'rate_limited',
        'too many failed sign-ins from this address; try again in a minute',
      )
    }
    const username = credentials.username.trim().toLowerCase()
    const [user] = await db.query<UserRow>(FIND, [username])
    if (!user) {
      this.dummyHash ??= hashPassword('not a password', options.scryptLogN)
      await verifyPassword(credentials.password, await this.dummyHash)
      this.failuresByAddress.hit(clientIp)
      const count = this.failuresByUnknownName.hit(username)
      throw count.allowed ? invalid() : locked(options.lockoutSeconds)
    }
    if (user.locked_until && user.locked_until.getTime() > Date.now()) {
      throw locked((user.locked_until.getTime() - Date.now()) / 1000)
    }
    const passwordOk = await verifyPassword(credentials.password, user.password_hash)
    const role = isRole(user.role) ? user.role : null
    let totpStep: number | null = null
    if (passwordOk && role && matrix[role].mfa) {
      if (!credentials.totp)
        throw new ApiError(401, 'mfa_required', 'this account needs a code from its authenticator app')
      totpStep =
        user.totp_secret_enc === null
          ? null
          : verifyTotp(
              this.deps.secrets.decrypt(user.totp_secret_enc),
              credentials.totp,
              Date.now(),
              user.totp_last_step,
            )
    }
    const ok = passwordOk && role !== null && (!matrix[role].mfa || totpStep !== null)
    if (!ok) {
      this.failuresByAddress.hit(clientIp)
      await db.transaction(async (tx) => {
        const [row] = await tx.query<{ locked: boolean }>(FAIL, [
          user.id,
          options.lockoutThreshold,
          options.lockoutSeconds,
        ])
        if (row?.locked) {
          await this.deps.auditor.record(tx, {
            actor: { id: user.id, role: user.role, companyId: user.company_id },
            action: 'auth.lockout',
            object: { type: 'user', id: user.id },
            requestId,
          })
        }
      })
      throw invalid()
    }
    // A disabled account is refused only after the password check, with the same answer as a wrong password.
    if (user.disabled_at) throw invalid()
    if (needsRehash(user.password_hash, options.scryptLogN)) {
      await db.query(REHASH, [user.id, await hashPassword(credentials.password, options.scryptLogN)])
    }
    const issued = await db.transaction(async (tx) => {
      if (totpStep !== null && (await tx.query(USE_STEP, [user.id, totpStep])).length === 0) throw invalid()
      await tx.query(SUCCEED, [user.id])
      const refresh = await this.deps.sessions.start(tx, user.id)
      await this.deps.auditor.record(tx, {
        actor: { id: user.id, role: user.role, companyId: user.company_id },
        action: 'auth.login',
        object: { type: 'session', id: refresh.sessionId },
        requestId,
      })
      return refresh
    })
    const access = await this.deps.tokens.issue(user.id, issued.sessionId, user.role)
    return pair(access, issued)
  }

  /** Exchanges a refresh token; a reused token revokes its family (audited) and answers 401. */
  async refresh(refreshToken: string, requestId: string | null): Promise<TokenPair> {
    const result = await this.deps.sessions.rotate(refreshToken)
    if (result.kind === 'reused') {
      this.deps.states.forgetUser(result.userId)
      await this.deps.db.transaction((tx) =>
        this.deps.auditor.record(tx, {
          actor: { id: result.userId, role: result.role, companyId: result.companyId },
          action: 'auth.refresh_reuse',
          object: { type: 'session', id: result.sessionId },
          requestId,
        }),
      )
      throw new ApiError(401, 'unauthorized', 'the refresh token is not valid')
    }
    const access = await this.deps.tokens.issue(result.userId, result.issued.sessionId, result.role)
    return pair(access, result.issued)
  }

  /** Ends the caller's session (its refresh tokens and access tokens). */
  async logout(
    actor: { id: string; role: string; companyId: string },
    sessionId: string,
    requestId: string | null,
  ): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      const userId = await this.deps.sessions.revoke(tx, sessionId, 'signed out')
      if (userId) {
        await this.deps.auditor.record(tx, {
          actor,
          action: 'auth.logout',
          object: { type: 'session', id: sessionId },
          requestId,
        })
      }
    })
    this.deps.states.forgetUser(actor.id)
  }
}

function pair(
  access: { token: string; expiresIn: number },
  refresh: { refreshToken: string; expiresAt: Date },
): TokenPair {
  return {
    accessToken: access.token,
    tokenType: 'Bearer',
    expiresIn: access.expiresIn,
    refreshToken: refresh.refreshToken,
    refreshExpiresAt: refresh.expiresAt.toISOString(),
  }
}

/**
 * Sign-in sessions and their rotating refresh tokens. A refresh token is 256 random bits, stored only as its
 * SHA-256; each use marks it used and issues its successor in the same family (session). Presenting a token that
 * was already used means it was copied: the whole family is revoked, so the thief's and the owner's tokens both
 * stop working, and the event is audited.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Postgres, Sql } from '../../data/index.ts'
import { ApiError } from '../http/errors.ts'

const START = 'INSERT INTO auth_sessions (id, user_id, expires_at) VALUES ($1, $2, $3)'
const ISSUE = 'INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)'
const USE = `UPDATE refresh_tokens SET used_at = now()
  WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING session_id`
const FIND = 'SELECT session_id, used_at FROM refresh_tokens WHERE token_hash = $1'
const SESSION = `SELECT s.user_id, s.expires_at, s.revoked_at, u.disabled_at, u.role, u.company_id
  FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`
const REVOKE = `UPDATE auth_sessions SET revoked_at = now(), revoke_reason = $2
  WHERE id = $1 AND revoked_at IS NULL RETURNING user_id`
const REVOKE_USER = `UPDATE auth_sessions SET revoked_at = now(), revoke_reason = $2
  WHERE user_id = $1 AND revoked_at IS NULL`

export interface IssuedRefresh {
  readonly sessionId: string
  readonly refreshToken: string
  readonly expiresAt: Date
}

export type RotateResult =
  | {
      readonly kind: 'rotated'
      readonly userId: string
      readonly role: string
      readonly issued: IssuedRefresh
    }
  | {
      readonly kind: 'reused'
      readonly userId: string
      readonly role: string
      readonly companyId: string
      readonly sessionId: string
    }

const hashOf = (token: string) => createHash('sha256').update(token).digest()
const unauthorized = () => new ApiError(401, 'unauthorized', 'the refresh token is not valid')

export class Sessions {
  constructor(
    private readonly db: Postgres,
    private readonly ttlSeconds: number,
  ) {}

  private async issue(sql: Sql, sessionId: string, expiresAt: Date): Promise<IssuedRefresh> {
    const refreshToken = `rt_${randomBytes(32).toString('base64url')}`
    await sql.query(ISSUE, [hashOf(refreshToken), sessionId, expiresAt])
    return { sessionId, refreshToken, expiresAt }
  }

  /** Starts a session for a user inside `sql` (the sign-in's transaction). */
  async start(sql: Sql, userId: string): Promise<IssuedRefresh> {
    const sessionId = `s_${randomBytes(16).toString('base64url')}`
    const expiresAt = new Date(Date.now() + this.ttlSeconds * 1000)
    await sql.query(START, [sessionId, userId, expiresAt])
    return this.issue(sql, sessionId, expiresAt)
  }

  /**
   * Exchanges a refresh token for its successor. A token used before revokes its family and yields `reused`;
   * an unknown, expired or revoked token, or one of a disabled user, throws a 401.
   */
  async rotate(refreshToken: string): Promise<RotateResult> {
    if (!/^rt_[A-Za-z0-9_-]{43}$/.test(refreshToken)) throw unauthorized()
    const hash = hashOf(refreshToken)
    return this.db.transaction(async (tx) => {
      const [used] = await tx.query<{ session_id: string }>(USE, [hash])
      const sessionId =
        used?.session_id ?? (await tx.query<{ session_id: string }>(FIND, [hash]))[0]?.session_id
      if (!sessionId) throw unauthorized()
      const [session] = await tx.query<{
        user_id: string
        expires_at: Date
        revoked_at: Date | null
        disabled_at: Date | null
        role: string
        company_id: string
      }>(SESSION, [sessionId])
      if (!session) throw unauthorized()
      if (!used) {
        const [found] = await tx.query<{ used_at: Date | null }>(FIND, [hash])
        if (found?.used_at && !session.revoked_at) {
          await tx.query(REVOKE, [sessionId, 'refresh token reused'])
          return {
            kind: 'reused',
            userId: session.user_id,
            role: session.role,
            companyId: session.company_id,
            sessionId,
          }
        }
        throw unauthorized()
      }
      if (session.revoked_at || session.disabled_at || session.expires_at.getTime() <= Date.now())
        throw unauthorized()
      return {
        kind: 'rotated',
        userId: session.user_id,
        role: session.role,
        issued: await this.issue(tx, sessionId, session.expires_at),
      }
    })
  }

  /** Ends one session; returns its user id when it was open. */
  async revoke(sql: Sql, sessionId: string, reason: string): Promise<string | null> {
    const [row] = await sql.query<{ user_id: string }>(REVOKE, [sessionId, reason])
    return row?.user_id ?? null
  }

  /** Ends every session of a user. */
  async revokeAll(sql: Sql, userId: string, reason: string): Promise<void> {
    await sql.query(REVOKE_USER, [userId, reason])
  }
}

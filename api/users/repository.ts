/**
 * SQL of the users table. Secrets (password hash, TOTP secret) are written here and never read back into views.
 */
import type { Sql } from '../../data/index.ts'
import type { ScopeKind } from '../auth/permissions.ts'

export interface UserRow {
  readonly id: string
  readonly company_id: string
  readonly username: string
  readonly display_name: string
  readonly role: string
  readonly scope_kind: ScopeKind
  readonly scope_ids: string[]
  readonly resident_id: string | null
  readonly mfa: boolean
  readonly locked_until: Date | null
  readonly disabled_at: Date | null
  readonly created_at: Date
  readonly updated_at: Date
}

const COLUMNS = `id, company_id, username, display_name, role, scope_kind, scope_ids, resident_id,
  totp_secret_enc IS NOT NULL AS mfa, locked_until, disabled_at, created_at, updated_at`

const INSERT = `INSERT INTO users (id, company_id, username, display_name, role, scope_kind, scope_ids, resident_id,
    password_hash, totp_secret_enc)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`
const BY_ID = `SELECT ${COLUMNS} FROM users WHERE id = $1 AND company_id = $2`
const BY_USERNAME = `SELECT ${COLUMNS} FROM users WHERE username = $1`
const LIST = `SELECT ${COLUMNS} FROM users WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3`
const SET_DISABLED = `UPDATE users SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) ELSE NULL END,
  updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`
const SET_PASSWORD = `UPDATE users SET password_hash = $2, password_changed_at = now(), failed_logins = 0,
  locked_until = NULL, totp_secret_enc = coalesce($3, totp_secret_enc),
  totp_last_step = CASE WHEN $3::bytea IS NULL THEN totp_last_step ELSE NULL END, updated_at = now()
  WHERE id = $1 RETURNING ${COLUMNS}`
const COUNT = 'SELECT count(*)::int AS n FROM users'

export interface InsertUser {
  readonly id: string
  readonly companyId: string
  readonly username: string
  readonly displayName: string
  readonly role: string
  readonly scopeKind: ScopeKind
  readonly scopeIds: readonly string[]
  readonly residentId: string | null
  readonly passwordHash: string
  readonly totpSecretEnc: Uint8Array | null
}

export const userRepository = {
  async insert(sql: Sql, u: InsertUser): Promise<UserRow> {
    const [row] = await sql.query<UserRow>(INSERT, [
      u.id,
      u.companyId,
      u.username,
      u.displayName,
      u.role,
      u.scopeKind,
      [...u.scopeIds],
      u.residentId,
      u.passwordHash,
      u.totpSecretEnc,
    ])
    if (!row) throw new Error('users: insert returned nothing')
    return row
  },
  async byId(sql: Sql, companyId: string, id: string): Promise<UserRow | null> {
    return (await sql.query<UserRow>(BY_ID, [id, companyId]))[0] ?? null
  },
  async byUsername(sql: Sql, username: string): Promise<UserRow | null> {
    return (await sql.query<UserRow>(BY_USERNAME, [username]))[0] ?? null
  },
  list(sql: Sql, companyId: string, after: string, limit: number): Promise<UserRow[]> {
    return sql.query<UserRow>(LIST, [companyId, after, limit])
  },
  async setDisabled(sql: Sql, id: string, disabled: boolean): Promise<UserRow | null> {
    return (await sql.query<UserRow>(SET_DISABLED, [id, disabled]))[0] ?? null
  },
  async setPassword(
    sql: Sql,
    id: string,
    hash: string,
    totpSecretEnc: Uint8Array | null,
  ): Promise<UserRow | null> {
    return (await sql.query<UserRow>(SET_PASSWORD, [id, hash, totpSecretEnc]))[0] ?? null
  },
  async count(sql: Sql): Promise<number> {
    return (await sql.query<{ n: number }>(COUNT))[0]?.n ?? 0
  },
}

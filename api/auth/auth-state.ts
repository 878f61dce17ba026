/**
 * The state behind an access token, read on every request: is the user still enabled, is the sign-in still open,
 * what are the user's role and resolved scope now. Cached per session for a short time (AUTH_STATE_CACHE_MS) so
 * that a busy client does not cost a database round trip per request; this process drops the cache at once when
 * it disables a user or ends a session, other processes within that time.
 */
import type { Postgres, Sql } from '../../data/index.ts'
import type { AuthContext } from './context.ts'
import { isRole, permissionsOf, type ScopeKind } from './permissions.ts'
import type { Scope } from './scope.ts'

const STATE = `SELECT u.id, u.username, u.company_id, u.role, u.scope_kind, u.scope_ids, u.resident_id,
    u.disabled_at, s.revoked_at, s.expires_at
  FROM auth_sessions s JOIN users u ON u.id = s.user_id
  WHERE s.id = $1 AND u.id = $2`
const COMPANY_COMMUNITIES = 'SELECT id FROM communities WHERE company_id = $1'
const COMMUNITIES = 'SELECT id FROM communities WHERE company_id = $1 AND id = ANY($2::text[])'
const BUILDINGS = `SELECT b.id, b.community_id FROM buildings b JOIN communities c ON c.id = b.community_id
  WHERE c.company_id = $1 AND b.id = ANY($2::text[])`
const HOUSEHOLDS = `SELECT h.id, h.building_id, h.community_id FROM households h
  JOIN communities c ON c.id = h.community_id WHERE c.company_id = $1 AND h.id = ANY($2::text[])`

/** Resolves a scope assignment into the ids it covers (ids outside the company are dropped). */
export async function resolveScope(
  sql: Sql,
  companyId: string,
  kind: ScopeKind,
  ids: readonly string[],
): Promise<Scope> {
  const base = { kind, companyId, ids: [...ids] }
  switch (kind) {
    case 'company': {
      const rows = await sql.query<{ id: string }>(COMPANY_COMMUNITIES, [companyId])
      return { ...base, communityIds: new Set(rows.map((r) => r.id)), buildingIds: null, householdIds: null }
    }
    case 'community': {
      const rows = await sql.query<{ id: string }>(COMMUNITIES, [companyId, ids])
      return { ...base, communityIds: new Set(rows.map((r) => r.id)), buildingIds: null, householdIds: null }
    }
    case 'building': {
      const rows = await sql.query<{ id: string; community_id: string }>(BUILDINGS, [companyId, ids])
      return {
        ...base,
        communityIds: new Set(rows.map((r) => r.community_id)),
        buildingIds: new Set(rows.map((r) => r.id)),
        householdIds: null,
      }
    }
    case 'household': {
      const rows = await sql.query<{ id: string; building_id: string; community_id: string }>(HOUSEHOLDS, [
        companyId,
        ids,
      ])
      return {
        ...base,
        communityIds: new Set(rows.map((r) => r.community_id)),
        buildingIds: new Set(rows.map((r) => r.building_id)),
        householdIds: new Set(rows.map((r) => r.id)),
      }
    }
  }
}

interface Entry {
  readonly context: AuthContext | null
  readonly until: number
}

/** Per-session cache of the caller's context. */
export class AuthStates {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly db: Postgres,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The caller's context, or null when the user is disabled, the session ended, or either is unknown. */
  async context(userId: string, sessionId: string): Promise<AuthContext | null> {
    const key = `${sessionId}\u0000${userId}`
    const hit = this.entries.get(key)
    const now = this.now()
    if (hit && hit.until > now) return hit.context
    const context = await this.load(userId, sessionId)
    if (this.ttlMs > 0) {
      if (this.entries.size > 50_000) this.entries.clear()
      this.entries.set(key, { context, until: now + this.ttlMs })
    }
    return context
  }

  private async load(userId: string, sessionId: string): Promise<AuthContext | null> {
    const [row] = await this.db.query<{
      id: string
      username: string
      company_id: string
      role: string
      scope_kind: ScopeKind
      scope_ids: string[]
      resident_id: string | null
      disabled_at: Date | null
      revoked_at: Date | null
      expires_at: Date
    }>(STATE, [sessionId, userId])
    if (
      !row ||
      row.disabled_at ||
      row.revoked_at ||
      row.expires_at.getTime() <= this.now() ||
      !isRole(row.role)
    ) {
      return null
    }
    return {
      userId: row.id,
      username: row.username,
      role: row.role,
      companyId: row.company_id,
      permissions: permissionsOf(row.role),
      scope: await resolveScope(this.db, row.company_id, row.scope_kind, row.scope_ids),
      sessionId,
      residentId: row.resident_id,
    }
  }

  /** Drops cached state of one user (disabled, role or scope changed, signed out everywhere). */
  forgetUser(userId: string): void {
    for (const key of this.entries.keys()) if (key.endsWith(`\u0000${userId}`)) this.entries.delete(key)
  }

  /** Drops every cached state (a community was added: company scopes grow). */
  forgetAll(): void {
    this.entries.clear()
  }
}

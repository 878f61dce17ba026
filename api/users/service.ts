/**
 * Accounts: create, disable and enable, reset a password (and a second factor), list. Every change is audited in
 * its transaction; disabling or resetting ends every session of the user at once (their refresh tokens and, through
 * the session check, their access tokens). Users of another company read as missing.
 */
import { randomBytes } from 'node:crypto'
import type { ApiPlatformConfig, PiiCipher, Postgres } from '../../data/index.ts'
import {
  generatePassword,
  generateTotpSecret,
  hashPassword,
  otpauthUri,
  passwordProblem,
} from '../../data/index.ts'
import type { Actor, Auditor } from '../audit/auditor.ts'
import { resolveScope, type AuthStates } from '../auth/auth-state.ts'
import { matrix, type Role, type ScopeKind } from '../auth/permissions.ts'
import type { Sessions } from '../auth/sessions.ts'
import { badRequest, conflict, notFound } from '../http/errors.ts'
import { userRepository, type UserRow } from './repository.ts'

/** A user as the API shows it (no secrets). */
export interface UserView {
  readonly id: string
  readonly username: string
  readonly displayName: string
  readonly role: string
  readonly scope: { readonly kind: ScopeKind; ids: string[] }
  readonly residentId: string | null
  readonly mfa: boolean
  readonly disabled: boolean
  readonly lockedUntil: string | null
  readonly createdAt: string
}

export interface NewUser {
  readonly username: string
  readonly displayName: string
  readonly role: Role
  readonly scope: { readonly kind: ScopeKind; readonly ids: readonly string[] }
  readonly residentId?: string | null | undefined
  /** Omitted: a random password is generated and returned once. */
  readonly password?: string | undefined
}

/** What creating or resetting returns once: a generated password and a TOTP enrolment URI. */
export interface Issued {
  readonly user: UserView
  readonly password: string | null
  readonly totpUri: string | null
}

export interface UserDeps {
  readonly db: Postgres
  readonly sessions: Sessions
  readonly states: AuthStates
  readonly auditor: Auditor
  readonly secrets: PiiCipher
  readonly options: ApiPlatformConfig
}

/** The view of a stored user. */
export function toView(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    scope: { kind: row.scope_kind, ids: row.scope_ids },
    residentId: row.resident_id,
    mfa: row.mfa,
    disabled: row.disabled_at !== null,
    lockedUntil:
      row.locked_until && row.locked_until.getTime() > Date.now() ? row.locked_until.toISOString() : null,
    createdAt: row.created_at.toISOString(),
  }
}

const RESIDENT = 'SELECT household_id, community_id FROM residents WHERE id = $1 AND erased_at IS NULL'

export class UserService {
  constructor(private readonly deps: UserDeps) {}

  /** Creates a user; roles that need MFA get a TOTP secret, returned once as an otpauth URI. */
  async create(
    actor: Actor & { companyId: string },
    input: NewUser,
    requestId: string | null,
  ): Promise<Issued> {
    const { db, options } = this.deps
    const role = matrix[input.role]
    if (!role.scopes.includes(input.scope.kind)) {
      throw badRequest(`role ${input.role} may only have scope ${role.scopes.join(' or ')}`)
    }
    const username = input.username.trim().toLowerCase()
    if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(username)) throw badRequest('username: 2–64 of a-z 0-9 . _ -')
    const password = input.password ?? generatePassword()
    const problem = passwordProblem(password)
    if (problem) throw badRequest(`password ${problem}`)
    let scopeIds = [...new Set(input.scope.ids)]
    const residentId: string | null = input.residentId ?? null
    if (input.role === 'resident') {
      if (!residentId) throw badRequest('a resident account needs residentId')
      const [resident] = await db.query<{ household_id: string }>(RESIDENT, [residentId])
      if (!resident) throw badRequest('residentId: no such resident')
      scopeIds = [resident.household_id]
    } else if (residentId) {
      throw badRequest('only resident accounts link a resident')
    }
    if (input.scope.kind === 'company') scopeIds = []
    else {
      const scope = await resolveScope(db, actor.companyId, input.scope.kind, scopeIds)
      const found =
        input.scope.kind === 'community'
          ? scope.communityIds.size
          : input.scope.kind === 'building'
            ? (scope.buildingIds?.size ?? 0)
            : (scope.householdIds?.size ?? 0)
      if (scopeIds.length === 0 || found !== scopeIds.length)
        throw badRequest('scope.ids: unknown ids for this company')
    }
    const totpSecret = role.mfa ? generateTotpSecret() : null
    const passwordHash = await hashPassword(password, options.scryptLogN)
    const row = await db.transaction(async (tx) => {
      if (await userRepository.byUsername(tx, username)) throw conflict('that username is taken')
      const inserted = await userRepository.insert(tx, {
        id: `u_${randomBytes(9).toString('base64url')}`,
        companyId: actor.companyId,
        username,
        displayName: input.displayName,
        role: input.role,
        scopeKind: input.scope.kind,
        scopeIds,
        residentId,
        passwordHash,
        totpSecretEnc: totpSecret ? this.deps.secrets.encrypt(totpSecret) : null,
      })
      await this.deps.auditor.record(tx, {
        actor,
        action: 'user.create',
        object: { type: 'user', id: inserted.id },
        after: toView(inserted),
        requestId,
      })
      return inserted
    })
    return {
      user: toView(row),
      password: input.password ? null : password,
      totpUri: totpSecret ? otpauthUri(totpSecret, username, options.issuer) : null,
    }
  }

  async get(companyId: string, id: string): Promise<UserView> {
    const row = await userRepository.byId(this.deps.db, companyId, id)
    if (!row) throw notFound('user')
    return toView(row)
  }

  async list(companyId: string, after: string, limit: number): Promise<UserView[]> {
    return (await userRepository.list(this.deps.db, companyId, after, limit)).map(toView)
  }

  /** Disables (or enables) a user; disabling ends all their sessions now. */
  async setDisabled(
    actor: Actor & { companyId: string },
    id: string,
    disabled: boolean,
    requestId: string | null,
  ) {
    const view = await this.deps.db.transaction(async (tx) => {
      const before = await userRepository.byId(tx, actor.companyId, id)
      if (!before) throw notFound('user')
      const after = await userRepository.setDisabled(tx, id, disabled)
      if (!after) throw notFound('user')
      if (disabled) await this.deps.sessions.revokeAll(tx, id, 'user disabled')
      await this.deps.auditor.record(tx, {
        actor,
        action: disabled ? 'user.disable' : 'user.enable',
        object: { type: 'user', id },
        before: toView(before),
        after: toView(after),
        requestId,
      })
      return toView(after)
    })
    this.deps.states.forgetUser(id)
    return view
  }

  /** Sets a new password (given or generated) and optionally a new TOTP secret; ends all sessions. */
  async resetPassword(
    actor: Actor & { companyId: string },
    id: string,
    options: { password?: string | undefined; resetTotp?: boolean | undefined },
    requestId: string | null,
  ): Promise<Issued> {
    const password = options.password ?? generatePassword()
    const problem = passwordProblem(password)
    if (problem) throw badRequest(`password ${problem}`)
    const hash = await hashPassword(password, this.deps.options.scryptLogN)
    const current = await userRepository.byId(this.deps.db, actor.companyId, id)
    if (!current) throw notFound('user')
    const wantsTotp =
      options.resetTotp === true || (matrix[current.role as Role]?.mfa === true && !current.mfa)
    const totpSecret = wantsTotp ? generateTotpSecret() : null
    const row = await this.deps.db.transaction(async (tx) => {
      const updated = await userRepository.setPassword(
        tx,
        id,
        hash,
        totpSecret ? this.deps.secrets.encrypt(totpSecret) : null,
      )
      if (!updated) throw notFound('user')
      await this.deps.sessions.revokeAll(tx, id, 'password reset')
      await this.deps.auditor.record(tx, {
        actor,
        action: 'user.reset_password',
        object: { type: 'user', id },
        before: toView(current),
        after: toView(updated),
        requestId,
      })
      return updated
    })
    this.deps.states.forgetUser(id)
    return {
      user: toView(row),
      password: options.password ? null : password,
      totpUri: totpSecret ? otpauthUri(totpSecret, row.username, this.deps.options.issuer) : null,
    }
  }
}

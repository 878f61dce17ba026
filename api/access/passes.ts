/**
 * Visitor passes: a resident (for their own household) or staff create a time-bound pass with a QR token shown
 * once; the gate (a guard, or a gate device through the API) verifies the token: known, not revoked, inside its
 * validity, entries left, holder not blocklisted. Every verification is an access event; an admitted entry counts
 * against the pass. Visitors' phone numbers are encrypted, names and phones masked in every response.
 */
import { createHash, randomBytes } from 'node:crypto'
import { maskName, maskPhone, type PiiCipher, type Postgres, type Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { coversCommunity, householdScoped, inScope, scopedFilters } from '../auth/scope.ts'
import { badRequest, conflict, notFound } from '../http/errors.ts'
import { sortableId } from '../notices/sortable-id.ts'
import { isBlocked, normalisePlate } from './blocklist.ts'

/** Longest validity of one pass. */
export const MAX_PASS_DAYS = 7

export type PassState = 'valid' | 'not_yet_valid' | 'expired' | 'used_up' | 'revoked'
export type Denial = Exclude<PassState, 'valid'> | 'unknown' | 'blocklisted'

export interface PassView {
  readonly id: string
  readonly communityId: string
  readonly buildingId: string
  readonly householdId: string
  readonly visitorName: string
  readonly phone: string | null
  readonly plate: string | null
  readonly purpose: string
  readonly validFrom: string
  readonly validUntil: string
  readonly maxEntries: number
  readonly entries: number
  readonly status: 'active' | 'revoked'
  /** The state at the time of the response. */
  readonly state: PassState
  readonly createdAt: string
}

interface Row {
  id: string
  community_id: string
  building_id: string
  household_id: string
  visitor_name: string
  phone_hash: Uint8Array | null
  phone_masked: string | null
  plate: string | null
  purpose: string
  valid_from: Date
  valid_until: Date
  max_entries: number
  entries: number
  status: 'active' | 'revoked'
  created_at: Date
}

const COLUMNS = `id, community_id, building_id, household_id, visitor_name, phone_hash, phone_masked, plate, purpose,
  valid_from, valid_until, max_entries, entries, status, created_at`
const HOUSEHOLD = 'SELECT community_id, building_id FROM households WHERE id = $1 AND archived_at IS NULL'
const INSERT = `INSERT INTO visitor_passes (id, community_id, building_id, household_id, visitor_name, phone_enc,
  phone_hash, phone_masked, plate, purpose, token_hash, valid_from, valid_until, max_entries, created_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING ${COLUMNS}`
const SELECT = `SELECT ${COLUMNS} FROM visitor_passes WHERE id = $1`
const LOCK = `SELECT ${COLUMNS} FROM visitor_passes WHERE id = $1 FOR UPDATE`
const BY_TOKEN = `SELECT ${COLUMNS} FROM visitor_passes WHERE token_hash = $1 FOR UPDATE`
const REVOKE = `UPDATE visitor_passes SET status = 'revoked', revoked_at = now(), revoked_by = $2 WHERE id = $1
  RETURNING ${COLUMNS}`
const ENTER = `UPDATE visitor_passes SET entries = entries + 1 WHERE id = $1 RETURNING ${COLUMNS}`
const GATE = 'SELECT community_id FROM gates WHERE id = $1 AND archived_at IS NULL'
const EVENT = `INSERT INTO access_events (community_id, gate_id, at, type, direction, method, person, plate, pass_id,
  result, reason) VALUES ($1, $2, $3, 'visitor.verify', $4, 'qr', 'visitor', $5, $6, $7, $8)`

/** What a pass allows at `now`: 'valid', or why not. Entries only count going in. */
export function passState(
  pass: { status: string; validFrom: Date; validUntil: Date; entries: number; maxEntries: number },
  now: Date,
  direction: 'in' | 'out' = 'in',
): PassState {
  if (pass.status === 'revoked') return 'revoked'
  if (now < pass.validFrom) return 'not_yet_valid'
  if (now >= pass.validUntil) return 'expired'
  if (direction === 'in' && pass.entries >= pass.maxEntries) return 'used_up'
  return 'valid'
}

const stateOf = (r: Row, now = new Date()) =>
  passState(
    {
      status: r.status,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
      entries: r.entries,
      maxEntries: r.max_entries,
    },
    now,
  )

const view = (r: Row): PassView => ({
  id: r.id,
  communityId: r.community_id,
  buildingId: r.building_id,
  householdId: r.household_id,
  visitorName: maskName(r.visitor_name),
  phone: r.phone_masked,
  plate: r.plate,
  purpose: r.purpose,
  validFrom: r.valid_from.toISOString(),
  validUntil: r.valid_until.toISOString(),
  maxEntries: r.max_entries,
  entries: r.entries,
  status: r.status,
  state: stateOf(r),
  createdAt: r.created_at.toISOString(),
})

const located = (r: Row) => ({
  communityId: r.community_id,
  buildingId: r.building_id,
  householdId: r.household_id,
})
const tokenHash = (token: string) => createHash('sha256').update(token).digest()

export interface PassInput {
  readonly householdId?: string | undefined
  readonly visitorName: string
  readonly phone?: string | undefined
  readonly plate?: string | undefined
  readonly purpose: string
  readonly validFrom?: string | undefined
  readonly validUntil: string
  readonly maxEntries?: number | undefined
}

export interface Verification {
  readonly granted: boolean
  readonly reason: Denial | null
  readonly pass: PassView | null
}

export class PassService {
  constructor(
    private readonly db: Postgres,
    private readonly pii: PiiCipher,
    private readonly auditor: Auditor,
  ) {}

  async list(
    auth: AuthContext,
    filter: { householdId?: string | undefined; after?: string | undefined; limit: number },
  ): Promise<PassView[]> {
    const params: unknown[] = []
    const where = scopedFilters(auth.scope, householdScoped, [['household_id', filter.householdId]], params)
    if (filter.after !== undefined) {
      params.push(filter.after)
      where.push(`id < $${params.length}`)
    }
    params.push(filter.limit)
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM visitor_passes WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    )
    return rows.map(view)
  }

  async get(auth: AuthContext, id: string): Promise<PassView> {
    const [row] = await this.db.query<Row>(SELECT, [id])
    if (!row || !inScope(auth.scope, located(row))) throw notFound('visitor pass')
    return view(row)
  }

  /** Creates a pass; its QR token is returned this once. */
  async create(
    auth: AuthContext,
    input: PassInput,
    requestId: string | null,
  ): Promise<PassView & { token: string }> {
    const householdId = input.householdId ?? this.ownHousehold(auth)
    const validFrom = input.validFrom ? new Date(input.validFrom) : new Date()
    const validUntil = new Date(input.validUntil)
    if (validUntil <= validFrom) throw badRequest('body.validUntil: must be after validFrom')
    if (validUntil.getTime() <= Date.now()) throw badRequest('body.validUntil: must be in the future')
    if (validUntil.getTime() - validFrom.getTime() > MAX_PASS_DAYS * 86_400_000)
      throw badRequest(`body.validUntil: a pass lasts at most ${MAX_PASS_DAYS} days`)
    const plate = input.plate ? normalisePlate(input.plate) : null
    const phoneHash = input.phone ? this.pii.lookupHash(input.phone) : null
    return this.db.transaction(async (tx) => {
      const [household] = await tx.query<{ community_id: string; building_id: string }>(HOUSEHOLD, [
        householdId,
      ])
      if (
        !household ||
        !inScope(auth.scope, {
          communityId: household.community_id,
          buildingId: household.building_id,
          householdId,
        })
      )
        throw notFound('household')
      if (await isBlocked(tx, household.community_id, { phoneHash, plate }))
        throw conflict('the visitor is on the blocklist', 'blocklisted')
      const token = `vp_${randomBytes(32).toString('base64url')}`
      const [row] = await tx.query<Row>(INSERT, [
        sortableId('vp'),
        household.community_id,
        household.building_id,
        householdId,
        input.visitorName,
        input.phone ? this.pii.encrypt(input.phone) : null,
        phoneHash,
        input.phone ? maskPhone(input.phone) : null,
        plate,
        input.purpose,
        tokenHash(token),
        validFrom,
        validUntil,
        input.maxEntries ?? 1,
        auth.userId,
      ])
      if (!row) throw new Error('pass not stored')
      await this.audit(tx, auth, 'visitor_pass.create', row, null, requestId)
      return { ...view(row), token }
    })
  }

  async revoke(auth: AuthContext, id: string, requestId: string | null): Promise<PassView> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.query<Row>(LOCK, [id])
      if (!before || !inScope(auth.scope, located(before))) throw notFound('visitor pass')
      if (before.status === 'revoked') throw conflict('the pass is already revoked', 'already_revoked')
      const [row] = await tx.query<Row>(REVOKE, [id, auth.userId])
      if (!row) throw notFound('visitor pass')
      await this.audit(tx, auth, 'visitor_pass.revoke', row, before, requestId)
      return view(row)
    })
  }

  /**
   * Checks a scanned token at a gate of the caller's community. A token that is unknown, or belongs to another
   * community, reads as unknown. The check is recorded as an access event; an admitted entry is counted.
   */
  async verify(
    auth: AuthContext,
    input: { token: string; gateId: string; direction?: 'in' | 'out' | undefined },
    requestId: string | null,
  ): Promise<Verification> {
    const direction = input.direction ?? 'in'
    return this.db.transaction(async (tx) => {
      const [gate] = await tx.query<{ community_id: string }>(GATE, [input.gateId])
      if (!gate || !coversCommunity(auth.scope, gate.community_id)) throw notFound('gate')
      const [found] = await tx.query<Row>(BY_TOKEN, [tokenHash(input.token)])
      const pass = found && found.community_id === gate.community_id ? found : undefined
      const now = new Date()
      let reason: Denial | null = null
      if (!pass) reason = 'unknown'
      else {
        const state = passState(
          {
            status: pass.status,
            validFrom: pass.valid_from,
            validUntil: pass.valid_until,
            entries: pass.entries,
            maxEntries: pass.max_entries,
          },
          now,
          direction,
        )
        if (state !== 'valid') reason = state
        else if (await isBlocked(tx, pass.community_id, { phoneHash: pass.phone_hash, plate: pass.plate }))
          reason = 'blocklisted'
      }
      let after = pass
      if (pass && reason === null && direction === 'in') {
        ;[after] = await tx.query<Row>(ENTER, [pass.id])
        if (after) await this.audit(tx, auth, 'visitor_pass.enter', after, pass, requestId)
      }
      await tx.query(EVENT, [
        gate.community_id,
        input.gateId,
        now,
        direction,
        pass?.plate ?? null,
        pass?.id ?? null,
        reason === null ? 'granted' : 'denied',
        reason,
      ])
      return { granted: reason === null, reason, pass: after ? view(after) : null }
    })
  }

  private ownHousehold(auth: AuthContext): string {
    const own = auth.scope.householdIds
    if (own && own.size === 1) return [...own][0] as string
    throw badRequest('body.householdId: required')
  }

  private audit(
    tx: Sql,
    auth: AuthContext,
    action: string,
    row: Row,
    before: Row | null,
    requestId: string | null,
  ) {
    return this.auditor.record(tx, {
      actor: actorOf(auth),
      action,
      object: { type: 'visitor_pass', id: row.id, communityId: row.community_id },
      before,
      after: row,
      requestId,
    })
  }
}

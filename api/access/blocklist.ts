/**
 * The community blocklist: people (matched by phone number, kept encrypted with a keyed hash and shown masked) and
 * vehicles (by plate) refused at the gates. A visitor pass cannot be created for a blocked phone or plate, a pass
 * is refused at the gate once its holder is blocked, and a blocked plate's barrier entry is denied. Entries are
 * lifted, never deleted. Community-level objects: managed by whoever covers the community.
 */
import { maskPhone, type PiiCipher, type Postgres, type Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { coversCommunity, scopeCondition } from '../auth/scope.ts'
import { badRequest, conflict, notFound } from '../http/errors.ts'
import { sortableId } from '../notices/sortable-id.ts'

export interface BlockEntry {
  readonly id: string
  readonly communityId: string
  readonly kind: 'person' | 'vehicle'
  readonly name: string | null
  readonly phone: string | null
  readonly plate: string | null
  readonly reason: string
  readonly createdAt: string
  readonly liftedAt: string | null
}

interface Row {
  id: string
  community_id: string
  kind: 'person' | 'vehicle'
  name: string | null
  phone_masked: string | null
  plate: string | null
  reason: string
  created_at: Date
  lifted_at: Date | null
}

const COLUMNS = 'id, community_id, kind, name, phone_masked, plate, reason, created_at, lifted_at'
const INSERT = `INSERT INTO access_blocklist (id, community_id, kind, name, phone_enc, phone_hash, phone_masked, plate,
  reason, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`
const LOCK = `SELECT ${COLUMNS} FROM access_blocklist WHERE id = $1 FOR UPDATE`
const LIFT = `UPDATE access_blocklist SET lifted_at = now(), lifted_by = $2 WHERE id = $1 RETURNING ${COLUMNS}`
const ACTIVE_MATCH = `SELECT kind FROM access_blocklist WHERE community_id = $1 AND lifted_at IS NULL
  AND (phone_hash = $2 OR plate = $3) LIMIT 1`
const COMMUNITY = 'SELECT id FROM communities WHERE id = $1 AND archived_at IS NULL'

const view = (r: Row): BlockEntry => ({
  id: r.id,
  communityId: r.community_id,
  kind: r.kind,
  name: r.name,
  phone: r.phone_masked,
  plate: r.plate,
  reason: r.reason,
  createdAt: r.created_at.toISOString(),
  liftedAt: r.lifted_at?.toISOString() ?? null,
})

/** Plates are compared upper-case without spaces (浙a 12345 = 浙A12345). */
export function normalisePlate(plate: string): string {
  return plate.replace(/[\s·-]/g, '').toUpperCase()
}

/** Whether a phone (by keyed hash) or plate is blocked in a community. */
export async function isBlocked(
  sql: Sql,
  communityId: string,
  match: { phoneHash?: Uint8Array | null; plate?: string | null },
): Promise<boolean> {
  if (!match.phoneHash && !match.plate) return false
  const rows = await sql.query(ACTIVE_MATCH, [communityId, match.phoneHash ?? null, match.plate ?? null])
  return rows.length > 0
}

export class BlocklistService {
  constructor(
    private readonly db: Postgres,
    private readonly pii: PiiCipher,
    private readonly auditor: Auditor,
  ) {}

  async list(
    auth: AuthContext,
    filter: {
      communityId?: string | undefined
      includeLifted: boolean
      after?: string | undefined
      limit: number
    },
  ): Promise<BlockEntry[]> {
    const params: unknown[] = []
    const where = [scopeCondition(auth.scope, { community: 'community_id' }, params)]
    if (!filter.includeLifted) where.push('lifted_at IS NULL')
    if (filter.communityId !== undefined) {
      params.push(filter.communityId)
      where.push(`community_id = $${params.length}`)
    }
    if (filter.after !== undefined) {
      params.push(filter.after)
      where.push(`id > $${params.length}`)
    }
    params.push(filter.limit)
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM access_blocklist WHERE ${where.join(' AND ')} ORDER BY id LIMIT $${params.length}`,
      params,
    )
    return rows.map(view)
  }

  async add(
    auth: AuthContext,
    input: {
      communityId: string
      kind: 'person' | 'vehicle'
      name?: string | undefined
      phone?: string | undefined
      plate?: string | undefined
      reason: string
    },
    requestId: string | null,
  ): Promise<BlockEntry> {
    if (input.kind === 'person' && !input.phone) throw badRequest('body.phone: required to block a person')
    if (input.kind === 'vehicle' && !input.plate) throw badRequest('body.plate: required to block a vehicle')
    return this.db.transaction(async (tx) => {
      const [community] = await tx.query(COMMUNITY, [input.communityId])
      if (!community || !coversCommunity(auth.scope, input.communityId)) throw notFound('community')
      const phone = input.kind === 'person' ? (input.phone ?? null) : null
      const plate = input.kind === 'vehicle' && input.plate ? normalisePlate(input.plate) : null
      const phoneHash = phone ? this.pii.lookupHash(phone) : null
      if (await isBlocked(tx, input.communityId, { phoneHash, plate }))
        throw conflict('already on the blocklist', 'already_blocked')
      const [row] = await tx.query<Row>(INSERT, [
        sortableId('bl'),
        input.communityId,
        input.kind,
        input.name ?? null,
        phone ? this.pii.encrypt(phone) : null,
        phoneHash,
        phone ? maskPhone(phone) : null,
        plate,
        input.reason,
        auth.userId,
      ])
      if (!row) throw new Error('blocklist entry not stored')
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'blocklist.add',
        object: { type: 'blocklist_entry', id: row.id, communityId: row.community_id },
        after: row,
        requestId,
      })
      return view(row)
    })
  }

  async lift(auth: AuthContext, id: string, requestId: string | null): Promise<BlockEntry> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.query<Row>(LOCK, [id])
      if (!before || !coversCommunity(auth.scope, before.community_id)) throw notFound('blocklist entry')
      if (before.lifted_at) throw conflict('the entry is already lifted', 'already_lifted')
      const [row] = await tx.query<Row>(LIFT, [id, auth.userId])
      if (!row) throw notFound('blocklist entry')
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'blocklist.lift',
        object: { type: 'blocklist_entry', id: row.id, communityId: row.community_id },
        before,
        after: row,
        requestId,
      })
      return view(row)
    })
  }
}

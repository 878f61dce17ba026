/**
 * Deliveries held at the gatehouse: a guard records a parcel for a household and a six-digit pickup code is made
 * (encrypted for the household to read in its own list, keyed hash to check); the parcel is collected against the
 * code or returned to the carrier. Both are final states (409 after that). Audited.
 */
import { randomInt, timingSafeEqual } from 'node:crypto'
import type { PiiCipher, Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { householdScoped, inScope, scopedFilters } from '../auth/scope.ts'
import { ApiError, conflict, notFound } from '../http/errors.ts'
import { sortableId } from '../notices/sortable-id.ts'

export interface DeliveryView {
  readonly id: string
  readonly communityId: string
  readonly buildingId: string
  readonly householdId: string
  readonly carrier: string
  readonly parcels: number
  readonly note: string | null
  /** Shown to the household's own members only; masked for staff. */
  readonly pickupCode: string
  readonly status: 'waiting' | 'collected' | 'returned'
  readonly receivedAt: string
  readonly closedAt: string | null
}

interface Row {
  id: string
  community_id: string
  building_id: string
  household_id: string
  carrier: string
  parcels: number
  note: string | null
  pickup_code_enc: Uint8Array
  pickup_code_hash: Uint8Array
  status: 'waiting' | 'collected' | 'returned'
  received_at: Date
  closed_at: Date | null
}

const COLUMNS = `id, community_id, building_id, household_id, carrier, parcels, note, pickup_code_enc,
  pickup_code_hash, status, received_at, closed_at`
const HOUSEHOLD = 'SELECT community_id, building_id FROM households WHERE id = $1 AND archived_at IS NULL'
const INSERT = `INSERT INTO deliveries (id, community_id, building_id, household_id, carrier, parcels, note,
  pickup_code_enc, pickup_code_hash, received_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
  RETURNING ${COLUMNS}`
const LOCK = `SELECT ${COLUMNS} FROM deliveries WHERE id = $1 FOR UPDATE`
const CLOSE = `UPDATE deliveries SET status = $2, closed_by = $3, closed_at = now() WHERE id = $1 RETURNING ${COLUMNS}`

const located = (r: Row) => ({
  communityId: r.community_id,
  buildingId: r.building_id,
  householdId: r.household_id,
})

export class DeliveryService {
  constructor(
    private readonly db: Postgres,
    private readonly pii: PiiCipher,
    private readonly auditor: Auditor,
  ) {}

  private view(auth: AuthContext, r: Row, code?: string): DeliveryView {
    const own = auth.scope.householdIds?.has(r.household_id) === true
    return {
      id: r.id,
      communityId: r.community_id,
      buildingId: r.building_id,
      householdId: r.household_id,
      carrier: r.carrier,
      parcels: r.parcels,
      note: r.note,
      pickupCode: code ?? (own ? this.pii.decrypt(r.pickup_code_enc) : '******'),
      status: r.status,
      receivedAt: r.received_at.toISOString(),
      closedAt: r.closed_at?.toISOString() ?? null,
    }
  }

  async list(
    auth: AuthContext,
    filter: {
      householdId?: string | undefined
      status?: string | undefined
      after?: string | undefined
      limit: number
    },
  ): Promise<DeliveryView[]> {
    const params: unknown[] = []
    const where = scopedFilters(
      auth.scope,
      householdScoped,
      [
        ['household_id', filter.householdId],
        ['status', filter.status],
      ],
      params,
    )
    if (filter.after !== undefined) {
      params.push(filter.after)
      where.push(`id < $${params.length}`)
    }
    params.push(filter.limit)
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM deliveries WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    )
    return rows.map((r) => this.view(auth, r))
  }

  /** Records a parcel; the response carries the pickup code (for the notice to the household). */
  async receive(
    auth: AuthContext,
    input: { householdId: string; carrier: string; parcels?: number | undefined; note?: string | undefined },
    requestId: string | null,
  ): Promise<DeliveryView> {
    return this.db.transaction(async (tx) => {
      const [household] = await tx.query<{ community_id: string; building_id: string }>(HOUSEHOLD, [
        input.householdId,
      ])
      if (
        !household ||
        !inScope(auth.scope, {
          communityId: household.community_id,
          buildingId: household.building_id,
          householdId: input.householdId,
        })
      )
        throw notFound('household')
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
      const [row] = await tx.query<Row>(INSERT, [
        sortableId('dl'),
        household.community_id,
        household.building_id,
        input.householdId,
        input.carrier,
        input.parcels ?? 1,
        input.note ?? null,
        this.pii.encrypt(code),
        this.pii.lookupHash(`pickup:${code}`),
        auth.userId,
      ])
      if (!row) throw new Error('delivery not stored')
      await this.audit(tx, auth, 'delivery.receive', row, null, requestId)
      return this.view(auth, row, code)
    })
  }

  /** Hands a waiting parcel over against its pickup code (400 `wrong_code`), or returns it to the carrier. */
  async close(
    auth: AuthContext,
    id: string,
    outcome: 'collected' | 'returned',
    pickupCode: string | undefined,
    requestId: string | null,
  ): Promise<DeliveryView> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.query<Row>(LOCK, [id])
      if (!before || !inScope(auth.scope, located(before))) throw notFound('delivery')
      if (before.status !== 'waiting')
        throw conflict(`the delivery is already ${before.status}`, 'not_waiting')
      if (outcome === 'collected') {
        const given = this.pii.lookupHash(`pickup:${pickupCode ?? ''}`)
        const stored = Buffer.from(before.pickup_code_hash)
        if (given.length !== stored.length || !timingSafeEqual(given, stored))
          throw new ApiError(400, 'wrong_code', 'the pickup code does not match')
      }
      const [row] = await tx.query<Row>(CLOSE, [id, outcome, auth.userId])
      if (!row) throw notFound('delivery')
      await this.audit(
        tx,
        auth,
        `delivery.${outcome === 'collected' ? 'collect' : 'return'}`,
        row,
        before,
        requestId,
      )
      return this.view(auth, row)
    })
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
      object: { type: 'delivery', id: row.id, communityId: row.community_id },
      before,
      after: row,
      requestId,
    })
  }
}

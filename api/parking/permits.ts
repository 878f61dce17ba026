/**
 * Monthly parking permits: a household's registered vehicle may park in a lot (optionally on one fixed space)
 * between two dates for a fee; barrier entries of its plate then open monthly sessions that cost nothing at exit.
 * A fixed space carries one active permit at a time (409 `space_taken`). Created and cancelled by managers and
 * guards, audited.
 */
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { householdScoped, inScope, scopedFilters } from '../auth/scope.ts'
import { badRequest, conflict, notFound } from '../http/errors.ts'
import { sortableId } from '../notices/sortable-id.ts'
import { normalisePlate } from '../access/blocklist.ts'

export interface PermitView {
  readonly id: string
  readonly communityId: string
  readonly householdId: string
  readonly vehicleId: string
  readonly plate: string
  readonly lotId: string
  readonly spaceId: string | null
  readonly startsOn: string
  readonly endsOn: string
  readonly feeFen: number
  readonly status: 'active' | 'cancelled'
  readonly createdAt: string
}

interface Row {
  id: string
  community_id: string
  building_id: string | null
  household_id: string
  vehicle_id: string
  plate: string
  lot_id: string
  space_id: string | null
  starts_on: string
  ends_on: string
  fee_fen: number
  status: 'active' | 'cancelled'
  created_at: Date
}

const COLUMNS = `id, community_id, building_id, household_id, vehicle_id, plate, lot_id, space_id,
  to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on, fee_fen, status, created_at`
const VEHICLE = `SELECT community_id, building_id, household_id, plate FROM vehicles WHERE id = $1 AND archived_at IS NULL`
const LOT = 'SELECT community_id FROM parking_lots WHERE id = $1 AND archived_at IS NULL'
const SPACE = 'SELECT lot_id FROM parking_spaces WHERE id = $1 AND archived_at IS NULL'
const SPACE_TAKEN = `SELECT 1 FROM parking_permits WHERE space_id = $1 AND status = 'active'`
const INSERT = `INSERT INTO parking_permits (id, community_id, building_id, household_id, vehicle_id, plate, lot_id,
  space_id, starts_on, ends_on, fee_fen, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
  RETURNING ${COLUMNS}`
const LOCK = `SELECT ${COLUMNS} FROM parking_permits WHERE id = $1 FOR UPDATE`
const CANCEL = `UPDATE parking_permits SET status = 'cancelled', cancelled_at = now() WHERE id = $1 RETURNING ${COLUMNS}`

const view = (r: Row): PermitView => ({
  id: r.id,
  communityId: r.community_id,
  householdId: r.household_id,
  vehicleId: r.vehicle_id,
  plate: r.plate,
  lotId: r.lot_id,
  spaceId: r.space_id,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  feeFen: Number(r.fee_fen),
  status: r.status,
  createdAt: r.created_at.toISOString(),
})

const located = (r: Row) => ({
  communityId: r.community_id,
  buildingId: r.building_id,
  householdId: r.household_id,
})

export class PermitService {
  constructor(
    private readonly db: Postgres,
    private readonly auditor: Auditor,
  ) {}

  async list(
    auth: AuthContext,
    filter: {
      householdId?: string | undefined
      lotId?: string | undefined
      status?: string | undefined
      limit: number
    },
  ): Promise<PermitView[]> {
    const params: unknown[] = []
    const where = scopedFilters(
      auth.scope,
      householdScoped,
      [
        ['household_id', filter.householdId],
        ['lot_id', filter.lotId],
        ['status', filter.status],
      ],
      params,
    )
    params.push(filter.limit)
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM parking_permits WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    )
    return rows.map(view)
  }

  async create(
    auth: AuthContext,
    input: {
      vehicleId: string
      lotId: string
      spaceId?: string | undefined
      startsOn: string
      endsOn: string
      feeFen: number
    },
    requestId: string | null,
  ): Promise<PermitView> {
    if (input.endsOn < input.startsOn) throw badRequest('body.endsOn: must not be before startsOn')
    return this.db.transaction(async (tx) => {
      const [vehicle] = await tx.query<{
        community_id: string
        building_id: string | null
        household_id: string
        plate: string
      }>(VEHICLE, [input.vehicleId])
      if (
        !vehicle ||
        !inScope(auth.scope, {
          communityId: vehicle.community_id,
          buildingId: vehicle.building_id,
          householdId: vehicle.household_id,
        })
      )
        throw notFound('vehicle')
      const [lot] = await tx.query<{ community_id: string }>(LOT, [input.lotId])
      if (!lot || lot.community_id !== vehicle.community_id) throw notFound('parking lot')
      if (input.spaceId !== undefined) {
        const [space] = await tx.query<{ lot_id: string }>(SPACE, [input.spaceId])
        if (!space || space.lot_id !== input.lotId) throw notFound('parking space')
        if ((await tx.query(SPACE_TAKEN, [input.spaceId])).length > 0)
          throw conflict('the space has an active permit', 'space_taken')
      }
      const [row] = await tx.query<Row>(INSERT, [
        sortableId('pp'),
        vehicle.community_id,
        vehicle.building_id,
        vehicle.household_id,
        input.vehicleId,
        normalisePlate(vehicle.plate),
        input.lotId,
        input.spaceId ?? null,
        input.startsOn,
        input.endsOn,
        input.feeFen,
        auth.userId,
      ])
      if (!row) throw new Error('permit not stored')
      await this.audit(tx, auth, 'parking.permit_create', row, null, requestId)
      return view(row)
    })
  }

  async cancel(auth: AuthContext, id: string, requestId: string | null): Promise<PermitView> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.query<Row>(LOCK, [id])
      if (!before || !inScope(auth.scope, located(before))) throw notFound('parking permit')
      if (before.status !== 'active') throw conflict('the permit is already cancelled', 'already_cancelled')
      const [row] = await tx.query<Row>(CANCEL, [id])
      if (!row) throw notFound('parking permit')
      await this.audit(tx, auth, 'parking.permit_cancel', row, before, requestId)
      return view(row)
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
      object: { type: 'parking_permit', id: row.id, communityId: row.community_id },
      before,
      after: row,
      requestId,
    })
  }
}

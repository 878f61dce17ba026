/**
 * Parking lots with their occupancy (spaces, vehicles inside by kind, active monthly permits, free spaces) and the
 * temporary-parking tariffs (per lot, or a community default). Lots are community records; tariff changes are
 * audited.
 */
import type { Postgres } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { coversCommunity, scopeCondition } from '../auth/scope.ts'
import { badRequest, notFound } from '../http/errors.ts'
import { sortableId } from '../notices/sortable-id.ts'

export interface LotOccupancy {
  readonly id: string
  readonly communityId: string
  readonly name: string
  readonly kind: string
  readonly level: number
  readonly spaces: number
  readonly occupied: number
  readonly monthlyInside: number
  readonly temporaryInside: number
  readonly activePermits: number
  readonly free: number
  /** occupied / spaces, 0–1 (can exceed 1 when cars park outside marked spaces). */
  readonly rate: number
}

export interface TariffView {
  readonly id: string
  readonly communityId: string
  readonly lotId: string | null
  readonly freeMinutes: number
  readonly hourlyFen: number
  readonly dailyCapFen: number
  readonly updatedAt: string
}

interface LotRow {
  id: string
  community_id: string
  name: string
  kind: string
  level: number
  spaces: number
  monthly: number
  temporary: number
  permits: number
}

const OCCUPANCY = (where: string, limit: string) => `SELECT l.id, l.community_id, l.name, l.kind, l.level,
  (SELECT count(*) FROM parking_spaces s WHERE s.lot_id = l.id AND s.archived_at IS NULL)::int AS spaces,
  (SELECT count(*) FROM parking_sessions p WHERE p.lot_id = l.id AND p.status = 'open' AND p.kind = 'monthly')::int AS monthly,
  (SELECT count(*) FROM parking_sessions p WHERE p.lot_id = l.id AND p.status = 'open' AND p.kind = 'temporary')::int AS temporary,
  (SELECT count(*) FROM parking_permits m WHERE m.lot_id = l.id AND m.status = 'active'
     AND m.starts_on <= current_date AND m.ends_on >= current_date)::int AS permits
  FROM parking_lots l WHERE l.archived_at IS NULL AND ${where} ORDER BY l.id ${limit}`
const LOT = 'SELECT community_id FROM parking_lots WHERE id = $1 AND archived_at IS NULL'
const COMMUNITY = 'SELECT id FROM communities WHERE id = $1 AND archived_at IS NULL'
const TARIFF_COLUMNS = 'id, community_id, lot_id, free_minutes, hourly_fen, daily_cap_fen, updated_at'
const EXISTING_TARIFF = `SELECT ${TARIFF_COLUMNS} FROM parking_tariffs
  WHERE community_id = $1 AND coalesce(lot_id, '') = coalesce($2, '') FOR UPDATE`
const INSERT_TARIFF = `INSERT INTO parking_tariffs (id, community_id, lot_id, free_minutes, hourly_fen, daily_cap_fen,
  updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${TARIFF_COLUMNS}`
const UPDATE_TARIFF = `UPDATE parking_tariffs SET free_minutes = $2, hourly_fen = $3, daily_cap_fen = $4,
  updated_by = $5, updated_at = now() WHERE id = $1 RETURNING ${TARIFF_COLUMNS}`

interface TariffRow {
  id: string
  community_id: string
  lot_id: string | null
  free_minutes: number
  hourly_fen: number
  daily_cap_fen: number
  updated_at: Date
}

const lotView = (r: LotRow): LotOccupancy => {
  const occupied = r.monthly + r.temporary
  return {
    id: r.id,
    communityId: r.community_id,
    name: r.name,
    kind: r.kind,
    level: r.level,
    spaces: r.spaces,
    occupied,
    monthlyInside: r.monthly,
    temporaryInside: r.temporary,
    activePermits: r.permits,
    free: Math.max(0, r.spaces - occupied),
    rate: r.spaces > 0 ? occupied / r.spaces : 0,
  }
}

const tariffView = (r: TariffRow): TariffView => ({
  id: r.id,
  communityId: r.community_id,
  lotId: r.lot_id,
  freeMinutes: r.free_minutes,
  hourlyFen: Number(r.hourly_fen),
  dailyCapFen: Number(r.daily_cap_fen),
  updatedAt: r.updated_at.toISOString(),
})

export class LotService {
  constructor(
    private readonly db: Postgres,
    private readonly auditor: Auditor,
  ) {}

  async list(
    auth: AuthContext,
    filter: { communityId?: string | undefined; limit: number },
  ): Promise<LotOccupancy[]> {
    const params: unknown[] = []
    const where = [scopeCondition(auth.scope, { community: 'l.community_id' }, params)]
    if (filter.communityId !== undefined) {
      params.push(filter.communityId)
      where.push(`l.community_id = $${params.length}`)
    }
    params.push(filter.limit)
    const rows = await this.db.query<LotRow>(
      OCCUPANCY(where.join(' AND '), `LIMIT $${params.length}`),
      params,
    )
    return rows.map(lotView)
  }

  async occupancy(auth: AuthContext, id: string): Promise<LotOccupancy> {
    const [row] = await this.db.query<LotRow>(OCCUPANCY('l.id = $1', ''), [id])
    if (!row || !coversCommunity(auth.scope, row.community_id)) throw notFound('parking lot')
    return lotView(row)
  }

  async tariffs(auth: AuthContext, communityId?: string): Promise<TariffView[]> {
    const params: unknown[] = []
    const where = [scopeCondition(auth.scope, { community: 'community_id' }, params)]
    if (communityId !== undefined) {
      params.push(communityId)
      where.push(`community_id = $${params.length}`)
    }
    const rows = await this.db.query<TariffRow>(
      `SELECT ${TARIFF_COLUMNS} FROM parking_tariffs WHERE ${where.join(' AND ')} ORDER BY community_id, lot_id NULLS FIRST`,
      params,
    )
    return rows.map(tariffView)
  }

  /** Sets the tariff of a lot, or the community default (no lotId). */
  async setTariff(
    auth: AuthContext,
    input: {
      communityId: string
      lotId?: string | undefined
      freeMinutes: number
      hourlyFen: number
      dailyCapFen: number
    },
    requestId: string | null,
  ): Promise<TariffView> {
    if (input.dailyCapFen < input.hourlyFen)
      throw badRequest('body.dailyCapFen: must be at least one hour’s price')
    return this.db.transaction(async (tx) => {
      if (input.lotId !== undefined) {
        const [lot] = await tx.query<{ community_id: string }>(LOT, [input.lotId])
        if (!lot || !coversCommunity(auth.scope, lot.community_id)) throw notFound('parking lot')
        if (lot.community_id !== input.communityId) throw badRequest('body.lotId: not in that community')
      } else {
        const [community] = await tx.query(COMMUNITY, [input.communityId])
        if (!community || !coversCommunity(auth.scope, input.communityId)) throw notFound('community')
      }
      const [before] = await tx.query<TariffRow>(EXISTING_TARIFF, [input.communityId, input.lotId ?? null])
      const [row] = before
        ? await tx.query<TariffRow>(UPDATE_TARIFF, [
            before.id,
            input.freeMinutes,
            input.hourlyFen,
            input.dailyCapFen,
            auth.userId,
          ])
        : await tx.query<TariffRow>(INSERT_TARIFF, [
            sortableId('pt'),
            input.communityId,
            input.lotId ?? null,
            input.freeMinutes,
            input.hourlyFen,
            input.dailyCapFen,
            auth.userId,
          ])
      if (!row) throw new Error('tariff not stored')
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'parking.tariff_set',
        object: { type: 'parking_tariff', id: row.id, communityId: row.community_id },
        before: before ?? null,
        after: row,
        requestId,
      })
      return tariffView(row)
    })
  }
}

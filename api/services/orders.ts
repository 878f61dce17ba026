/**
 * Service orders: a household (or customer service for it) orders from a provider serving its community; customer
 * service records the provider's progress through the transition table (transitions.ts); the household cancels
 * before work starts and rates a completed order once (1–5 stars). Scoped by household, audited.
 */
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { householdScoped, inScope, scopedFilters } from '../auth/scope.ts'
import { ApiError, badRequest, conflict, notFound } from '../http/errors.ts'
import { sortableId } from '../notices/sortable-id.ts'
import { serves, type ProviderService } from './providers.ts'
import { mayTransition, type OrderStatus } from './transitions.ts'

export interface OrderView {
  readonly id: string
  readonly providerId: string
  readonly communityId: string
  readonly buildingId: string
  readonly householdId: string
  readonly description: string
  readonly scheduledAt: string
  readonly priceFen: number | null
  readonly status: OrderStatus
  readonly rating: number | null
  readonly ratingComment: string | null
  readonly createdAt: string
  readonly completedAt: string | null
}

interface Row {
  id: string
  provider_id: string
  community_id: string
  building_id: string
  household_id: string
  description: string
  scheduled_at: Date
  price_fen: number | null
  status: OrderStatus
  rating: number | null
  rating_comment: string | null
  created_at: Date
  completed_at: Date | null
}

const COLUMNS = `id, provider_id, community_id, building_id, household_id, description, scheduled_at, price_fen, status,
  rating, rating_comment, created_at, completed_at`
const HOUSEHOLD = 'SELECT community_id, building_id FROM households WHERE id = $1 AND archived_at IS NULL'
const INSERT = `INSERT INTO service_orders (id, provider_id, community_id, building_id, household_id, description,
  scheduled_at, price_fen, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`
const SELECT = `SELECT ${COLUMNS} FROM service_orders WHERE id = $1`
const LOCK = `SELECT ${COLUMNS} FROM service_orders WHERE id = $1 FOR UPDATE`
const MOVE = `UPDATE service_orders SET status = $2, price_fen = coalesce($3, price_fen), updated_at = now(),
  completed_at = CASE WHEN $2 = 'completed' THEN now() ELSE completed_at END WHERE id = $1 RETURNING ${COLUMNS}`
const RATE = `UPDATE service_orders SET rating = $2, rating_comment = $3, rated_at = now(), updated_at = now()
  WHERE id = $1 RETURNING ${COLUMNS}`

const view = (r: Row): OrderView => ({
  id: r.id,
  providerId: r.provider_id,
  communityId: r.community_id,
  buildingId: r.building_id,
  householdId: r.household_id,
  description: r.description,
  scheduledAt: r.scheduled_at.toISOString(),
  priceFen: r.price_fen === null ? null : Number(r.price_fen),
  status: r.status,
  rating: r.rating,
  ratingComment: r.rating_comment,
  createdAt: r.created_at.toISOString(),
  completedAt: r.completed_at?.toISOString() ?? null,
})

const located = (r: Row) => ({
  communityId: r.community_id,
  buildingId: r.building_id,
  householdId: r.household_id,
})
/** A caller acting for their own household (a resident), rather than staff. */
const isHousehold = (auth: AuthContext, householdId: string) =>
  auth.scope.householdIds?.has(householdId) === true

export class OrderService {
  constructor(
    private readonly db: Postgres,
    private readonly providers: ProviderService,
    private readonly auditor: Auditor,
  ) {}

  async list(
    auth: AuthContext,
    filter: {
      householdId?: string | undefined
      providerId?: string | undefined
      status?: OrderStatus | undefined
      before?: string | undefined
      limit: number
    },
  ): Promise<OrderView[]> {
    const params: unknown[] = []
    const where = scopedFilters(
      auth.scope,
      householdScoped,
      [
        ['household_id', filter.householdId],
        ['provider_id', filter.providerId],
        ['status', filter.status],
      ],
      params,
    )
    if (filter.before !== undefined) {
      params.push(filter.before)
      where.push(`id < $${params.length}`)
    }
    params.push(filter.limit)
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM service_orders WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    )
    return rows.map(view)
  }

  async get(auth: AuthContext, id: string): Promise<OrderView> {
    const [row] = await this.db.query<Row>(SELECT, [id])
    if (!row || !inScope(auth.scope, located(row))) throw notFound('service order')
    return view(row)
  }

  async create(
    auth: AuthContext,
    input: {
      providerId: string
      householdId?: string | undefined
      description: string
      scheduledAt: string
      priceFen?: number | undefined
    },
    requestId: string | null,
  ): Promise<OrderView> {
    const own = auth.scope.householdIds
    const householdId = input.householdId ?? (own && own.size === 1 ? [...own][0] : undefined)
    if (householdId === undefined) throw badRequest('body.householdId: required')
    const scheduledAt = new Date(input.scheduledAt)
    if (scheduledAt.getTime() <= Date.now()) throw badRequest('body.scheduledAt: must be in the future')
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
      const provider = await this.providers.visibleRow(tx, auth, input.providerId)
      if (!serves(provider, household.community_id)) throw notFound('service provider')
      if (!provider.active) throw conflict('the provider takes no orders now', 'provider_inactive')
      const [row] = await tx.query<Row>(INSERT, [
        sortableId('so'),
        provider.id,
        household.community_id,
        household.building_id,
        householdId,
        input.description,
        scheduledAt,
        input.priceFen ?? null,
        auth.userId,
      ])
      if (!row) throw new Error('order not stored')
      await this.audit(tx, auth, 'service_order.create', row, null, requestId)
      return view(row)
    })
  }

  /** Moves an order along the transition table (409 `illegal_transition` otherwise). */
  async transition(
    auth: AuthContext,
    id: string,
    input: { to: OrderStatus; priceFen?: number | undefined },
    requestId: string | null,
  ): Promise<OrderView> {
    return this.db.transaction(async (tx) => {
      const before = await this.locked(tx, auth, id)
      const actor = auth.permissions.has('service:manage') ? 'staff' : 'household'
      if (!mayTransition(before.status, input.to, actor))
        throw conflict(
          `a ${actor === 'staff' ? 'staff member' : 'household'} may not move an order from ${before.status} to ${input.to}`,
          'illegal_transition',
        )
      if (input.priceFen !== undefined && actor !== 'staff') throw badRequest('body.priceFen: set by staff')
      const [row] = await tx.query<Row>(MOVE, [id, input.to, input.priceFen ?? null])
      if (!row) throw notFound('service order')
      await this.audit(tx, auth, `service_order.${input.to}`, row, before, requestId)
      return view(row)
    })
  }

  /** The household rates a completed order, once. */
  async rate(
    auth: AuthContext,
    id: string,
    input: { rating: number; comment?: string | undefined },
    requestId: string | null,
  ): Promise<OrderView> {
    return this.db.transaction(async (tx) => {
      const before = await this.locked(tx, auth, id)
      if (!isHousehold(auth, before.household_id))
        throw new ApiError(403, 'forbidden', 'only the household rates its order')
      if (before.status !== 'completed')
        throw conflict('only a completed order can be rated', 'not_completed')
      if (before.rating !== null) throw conflict('the order is already rated', 'already_rated')
      const [row] = await tx.query<Row>(RATE, [id, input.rating, input.comment ?? null])
      if (!row) throw notFound('service order')
      await this.audit(tx, auth, 'service_order.rate', row, before, requestId)
      return view(row)
    })
  }

  private async locked(tx: Sql, auth: AuthContext, id: string): Promise<Row> {
    const [row] = await tx.query<Row>(LOCK, [id])
    if (!row || !inScope(auth.scope, located(row))) throw notFound('service order')
    return row
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
      object: { type: 'service_order', id: row.id, communityId: row.community_id },
      before,
      after: row,
      requestId,
    })
  }
}

/**
 * Complaints: lodged by a resident (for their household) or by customer service for anyone (a building, a unit or
 * an open area), handled open → processing → resolved (with an outcome) → closed, with work orders opened from the
 * complaint or linked to it, and the complainant's satisfaction. Scope as everywhere: a complaint out of scope
 * reads as missing; every change is audited in its transaction.
 */
import { randomBytes } from 'node:crypto'
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { inScope, scopeCondition } from '../auth/scope.ts'
import { badRequest, conflict, notFound } from '../http/errors.ts'
import { resolvePlace, type Place } from '../workorders/place.ts'
import type { Priority } from '../workorders/sla.ts'
import { SELECT_ONE } from '../workorders/repository.ts'
import type { WorkOrderService } from '../workorders/service.ts'

export const complaintStates = ['open', 'processing', 'resolved', 'closed'] as const
export type ComplaintState = (typeof complaintStates)[number]
export const complaintActions = ['process', 'resolve', 'close'] as const
export type ComplaintAction = (typeof complaintActions)[number]

/** The complaint lifecycle, as data. */
export const complaintTransitions: Readonly<
  Record<ComplaintAction, { readonly from: readonly ComplaintState[]; readonly to: ComplaintState }>
> = {
  process: { from: ['open'], to: 'processing' },
  resolve: { from: ['open', 'processing'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
}

export const complaintCategories = [
  'noise',
  'hygiene',
  'security',
  'parking',
  'repair',
  'facilities',
  'greenery',
  'pets',
  'neighbour',
  'service',
  'fees',
  'other',
] as const

export interface CreateComplaintInput {
  readonly category: (typeof complaintCategories)[number]
  readonly channel: 'app' | 'phone' | 'counter' | 'wechat' | 'email'
  readonly description: string
  readonly locationDetail?: string | undefined
  readonly communityId?: string | undefined
  readonly buildingId?: string | undefined
  readonly unitId?: string | undefined
  readonly householdId?: string | undefined
  readonly areaId?: string | undefined
}

const COLUMNS = `c.id, c.company_id AS "companyId", c.community_id AS "communityId", c.building_id AS "buildingId",
  c.unit_id AS "unitId", c.household_id AS "householdId", c.area_id AS "areaId", c.location,
  c.location_detail AS "locationDetail", c.category, c.channel, c.description, c.state, c.reporter_id AS "reporterId",
  c.handler_id AS "handlerId", c.outcome, c.satisfaction, c.satisfaction_comment AS "satisfactionComment",
  c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.resolved_at AS "resolvedAt",
  c.closed_at AS "closedAt",
  coalesce((SELECT array_agg(l.work_order_id ORDER BY l.linked_at, l.work_order_id) FROM complaint_work_orders l
    WHERE l.complaint_id = c.id), '{}') AS "workOrderIds"`
const ONE = `SELECT ${COLUMNS} FROM complaints c WHERE c.id = $1`
const LOCK = `SELECT ${COLUMNS} FROM complaints c WHERE c.id = $1 FOR UPDATE OF c`
const INSERT = `INSERT INTO complaints (id, company_id, community_id, building_id, unit_id, household_id, area_id,
  location, location_detail, category, channel, description, state, reporter_id, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open', $13, $14, $14)`
const MOVE = `UPDATE complaints SET state = $2, updated_at = $3, handler_id = coalesce(handler_id, $4),
  outcome = coalesce($5, outcome), resolved_at = CASE WHEN $2 = 'resolved' THEN $3 ELSE resolved_at END,
  closed_at = CASE WHEN $2 = 'closed' THEN $3 ELSE closed_at END,
  satisfaction = coalesce($6, satisfaction) WHERE id = $1`
const RATE = `UPDATE complaints SET satisfaction = $2, satisfaction_comment = $3, updated_at = $4 WHERE id = $1`
const LINK = `INSERT INTO complaint_work_orders (complaint_id, work_order_id, linked_at, linked_by)
  VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`
const AREA = 'SELECT community_id, name FROM areas WHERE id = $1 AND archived_at IS NULL'
const LABEL = `SELECT coalesce((SELECT b.name FROM buildings b WHERE b.id = $1), '') AS building,
  coalesce((SELECT u.entrance || '-' || u.number FROM units u WHERE u.id = $2), '') AS unit`

export interface ComplaintRow {
  id: string
  companyId: string
  communityId: string
  buildingId: string | null
  unitId: string | null
  householdId: string | null
  areaId: string | null
  location: string
  locationDetail: string
  category: string
  channel: string
  description: string
  state: ComplaintState
  reporterId: string
  handlerId: string | null
  outcome: string | null
  satisfaction: number | null
  satisfactionComment: string | null
  createdAt: Date
  updatedAt: Date
  resolvedAt: Date | null
  closedAt: Date | null
  workOrderIds: string[]
}

const iso = (d: Date | null) => d?.toISOString() ?? null

export function complaintView(r: ComplaintRow) {
  const { companyId: _company, ...rest } = r
  return {
    ...rest,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    resolvedAt: iso(r.resolvedAt),
    closedAt: iso(r.closedAt),
  }
}
export type ComplaintView = ReturnType<typeof complaintView>

const newId = () => `cp-${randomBytes(8).toString('base64url')}`

export class ComplaintService {
  private readonly now: () => number

  constructor(
    private readonly db: Postgres,
    private readonly auditor: Auditor,
    private readonly workOrders: WorkOrderService,
    now?: () => number,
  ) {
    this.now = now ?? Date.now
  }

  async create(
    auth: AuthContext,
    input: CreateComplaintInput,
    requestId: string | null,
  ): Promise<ComplaintView> {
    let ids: CreateComplaintInput = input
    if (auth.role === 'resident') {
      const own = [...(auth.scope.householdIds ?? [])]
      const householdId = input.householdId ?? (own.length === 1 ? own[0] : undefined)
      if (!householdId) throw badRequest('householdId: say which of your households complains')
      if (input.communityId || input.buildingId || input.unitId)
        throw badRequest('a resident complains for their household (name an open area if it is about one)')
      ids = { ...input, householdId }
    }
    return this.db.transaction(async (tx) => {
      let area: { community_id: string; name: string } | undefined
      if (ids.areaId) {
        ;[area] = await tx.query<{ community_id: string; name: string }>(AREA, [ids.areaId])
        if (!area) throw notFound('area')
      }
      const place = await resolvePlace(tx, { ...ids, communityId: ids.communityId ?? area?.community_id })
      if (area && area.community_id !== place.communityId)
        throw badRequest('the area is in another community')
      if (place.companyId !== auth.companyId || !inScope(auth.scope, place)) throw notFound('place')
      const at = new Date(this.now())
      const id = newId()
      await tx.query(INSERT, [
        id,
        place.companyId,
        place.communityId,
        place.buildingId,
        place.unitId,
        place.householdId,
        ids.areaId ?? null,
        area?.name ?? (await this.label(tx, place)),
        input.locationDetail ?? '',
        input.category,
        input.channel,
        input.description,
        auth.userId,
        at,
      ])
      const after = await this.row(tx, id, ONE)
      await this.audit(tx, auth, 'create', null, after, requestId)
      return complaintView(after)
    })
  }

  async get(auth: AuthContext, id: string): Promise<ComplaintView> {
    return complaintView(await this.visible(this.db, auth, id, ONE))
  }

  async list(
    auth: AuthContext,
    q: { state?: ComplaintState | undefined; category?: string | undefined; limit: number },
  ): Promise<ComplaintView[]> {
    const params: unknown[] = []
    const where = [
      scopeCondition(
        auth.scope,
        { community: 'c.community_id', building: 'c.building_id', household: 'c.household_id' },
        params,
      ),
    ]
    if (q.state) where.push(`c.state = $${params.push(q.state)}`)
    if (q.category) where.push(`c.category = $${params.push(q.category)}`)
    params.push(q.limit)
    const rows = await this.db.query<ComplaintRow>(
      `SELECT ${COLUMNS} FROM complaints c WHERE ${where.join(' AND ')}
       ORDER BY c.created_at DESC, c.id DESC LIMIT $${params.length}`,
      params,
    )
    return rows.map(complaintView)
  }

  async act(
    auth: AuthContext,
    id: string,
    action: ComplaintAction,
    input: { outcome?: string | undefined; satisfaction?: number | undefined },
    requestId: string | null,
  ): Promise<ComplaintView> {
    return this.db.transaction(async (tx) => {
      const before = await this.visible(tx, auth, id, LOCK)
      const t = complaintTransitions[action]
      if (!t.from.includes(before.state))
        throw conflict(`a complaint that is ${before.state} cannot be ${action}ed`, 'illegal_transition')
      if (action === 'resolve' && !input.outcome) throw badRequest('outcome: say how it was resolved')
      await tx.query(MOVE, [
        id,
        t.to,
        new Date(this.now()),
        auth.userId,
        input.outcome ?? null,
        input.satisfaction ?? null,
      ])
      const after = await this.row(tx, id, ONE)
      await this.audit(tx, auth, action, before, after, requestId)
      return complaintView(after)
    })
  }

  /** The complainant's satisfaction with a resolved complaint (once). */
  async rate(
    auth: AuthContext,
    id: string,
    input: { satisfaction: number; comment?: string | undefined },
    requestId: string | null,
  ): Promise<ComplaintView> {
    return this.db.transaction(async (tx) => {
      const before = await this.visible(tx, auth, id, LOCK)
      if (before.state !== 'resolved' && before.state !== 'closed')
        throw conflict(`a complaint that is ${before.state} is not resolved yet`, 'illegal_state')
      if (before.satisfaction !== null) throw conflict('satisfaction is already on record', 'already_rated')
      await tx.query(RATE, [id, input.satisfaction, input.comment ?? null, new Date(this.now())])
      const after = await this.row(tx, id, ONE)
      await this.audit(tx, auth, 'rate', before, after, requestId)
      return complaintView(after)
    })
  }

  /**
   * Links an existing work order (same community, visible to the caller), or opens one from the complaint at its
   * place — once per complaint: asking again returns the same order.
   */
  async link(
    auth: AuthContext,
    id: string,
    input:
      | { workOrderId: string }
      | {
          title: string
          category: string
          priority?: Priority | undefined
          description?: string | undefined
        },
    requestId: string | null,
  ): Promise<ComplaintView> {
    return this.db.transaction(async (tx) => {
      const before = await this.visible(tx, auth, id, LOCK)
      if (before.state === 'closed') throw conflict('the complaint is closed', 'illegal_state')
      let workOrderId: string
      if ('workOrderId' in input) {
        const wo = await this.workOrders.visible(tx, auth, input.workOrderId, SELECT_ONE)
        if (wo.communityId !== before.communityId) throw badRequest('the work order is in another community')
        workOrderId = input.workOrderId
      } else {
        const opened = await this.workOrders.openAutomatic(
          actorOf(auth),
          {
            source: 'complaint',
            sourceRef: id,
            communityId: before.communityId,
            buildingId: before.buildingId ?? undefined,
            unitId: before.unitId ?? undefined,
            householdId: before.householdId ?? undefined,
            title: input.title,
            description: input.description ?? before.description,
            category: input.category,
            priority: input.priority ?? 'normal',
            location: [before.location, before.locationDetail].filter(Boolean).join(' '),
          },
          tx,
        )
        workOrderId = opened.id
      }
      await tx.query(LINK, [id, workOrderId, new Date(this.now()), auth.userId])
      const after = await this.row(tx, id, ONE)
      await this.audit(tx, auth, 'link_work_order', before, after, requestId)
      return complaintView(after)
    })
  }

  private async visible(sql: Sql, auth: AuthContext, id: string, query: string): Promise<ComplaintRow> {
    const [row] = await sql.query<ComplaintRow>(query, [id])
    if (!row || row.companyId !== auth.companyId || !inScope(auth.scope, row)) throw notFound('complaint')
    return row
  }

  private async row(sql: Sql, id: string, query: string): Promise<ComplaintRow> {
    const [row] = await sql.query<ComplaintRow>(query, [id])
    if (!row) throw new Error(`complaint ${id} vanished`)
    return row
  }

  private async label(tx: Sql, place: Place): Promise<string> {
    const [row] = await tx.query<{ building: string; unit: string }>(LABEL, [place.buildingId, place.unitId])
    return [row?.building, row?.unit].filter(Boolean).join(' ')
  }

  private audit(
    tx: Sql,
    auth: AuthContext,
    action: string,
    before: ComplaintRow | null,
    after: ComplaintRow,
    requestId: string | null,
  ) {
    return this.auditor.record(tx, {
      actor: actorOf(auth),
      action: `complaint.${action}`,
      object: { type: 'complaint', id: after.id, communityId: after.communityId },
      before,
      after,
      requestId,
    })
  }
}

/**
 * The SQL of work orders, their history and costs, as named statements (parameters always bound), and the row →
 * view mapping. The service composes these inside its transactions; other modules (complaints, inspections, the
 * alarm and prediction openers) open orders through `insertWorkOrder` in their own transactions.
 */
import type { Sql } from '../../data/index.ts'
import type { Priority } from './sla.ts'
import type { WorkOrderState } from './transitions.ts'

export const workOrderSources = [
  'resident',
  'staff',
  'complaint',
  'inspection',
  'alarm',
  'prediction',
] as const
export type WorkOrderSource = (typeof workOrderSources)[number]

const COLUMNS = `w.id, w.company_id AS "companyId", w.community_id AS "communityId", w.building_id AS "buildingId",
  w.unit_id AS "unitId", w.household_id AS "householdId", w.device_id AS "deviceId", w.source,
  w.source_ref AS "sourceRef", w.category, w.skill, w.title, w.description, w.location, w.priority, w.state,
  w.assignee_id AS "assigneeId", w.reporter_id AS "reporterId", w.evidence, w.created_at AS "createdAt",
  w.updated_at AS "updatedAt", w.sla_started_at AS "slaStartedAt", w.respond_due_at AS "respondDueAt",
  w.due_at AS "dueAt", w.accepted_at AS "acceptedAt", w.resolved_at AS "resolvedAt",
  w.verified_at AS "verifiedAt", w.closed_at AS "closedAt", w.escalation_level AS "escalationLevel",
  w.escalated_at AS "escalatedAt", w.rating, w.rating_comment AS "ratingComment", w.rated_at AS "ratedAt",
  w.return_visit_at AS "returnVisitAt", w.return_visit_by AS "returnVisitBy",
  w.return_visit_satisfied AS "returnVisitSatisfied", w.return_visit_note AS "returnVisitNote",
  (SELECT coalesce(sum(amount_fen) FILTER (WHERE kind = 'part'), 0)::int8 FROM work_order_costs
    WHERE work_order_id = w.id) AS "partsFen",
  (SELECT coalesce(sum(amount_fen) FILTER (WHERE kind = 'labour'), 0)::int8 FROM work_order_costs
    WHERE work_order_id = w.id) AS "labourFen"`

export const SELECT_ONE = `SELECT ${COLUMNS} FROM work_orders w WHERE w.id = $1`
export const LOCK_ONE = `SELECT ${COLUMNS} FROM work_orders w WHERE w.id = $1 FOR UPDATE OF w`
export const BY_SOURCE = `SELECT ${COLUMNS} FROM work_orders w WHERE w.source = $1 AND w.source_ref = $2`
/** A page of orders: `where` is built from code (scope condition and fixed filters), values are bound. */
export const listQuery = (where: string, limitParam: number) =>
  `SELECT ${COLUMNS} FROM work_orders w WHERE ${where} ORDER BY w.created_at DESC, w.id DESC LIMIT $${limitParam}`

const INSERT = `INSERT INTO work_orders (id, company_id, community_id, building_id, unit_id, household_id, device_id,
  source, source_ref, category, skill, title, description, location, priority, state, reporter_id, evidence,
  created_at, updated_at, sla_started_at, respond_due_at, due_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'new', $16, $17, $18, $18, $18, $19, $20)
  ON CONFLICT (source, source_ref) WHERE source_ref IS NOT NULL DO NOTHING
  RETURNING id`

export const EVENT = `INSERT INTO work_order_events (work_order_id, at, actor_id, actor_role, action, from_state,
  to_state, note, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
export const HISTORY = `SELECT id, at, actor_id AS "actorId", actor_role AS "actorRole", action,
  from_state AS "fromState", to_state AS "toState", note, data
  FROM work_order_events WHERE work_order_id = $1 ORDER BY id`
export const COSTS = `SELECT id, kind, description, quantity, unit_price_fen AS "unitPriceFen",
  amount_fen AS "amountFen", added_by AS "addedBy", added_at AS "addedAt"
  FROM work_order_costs WHERE work_order_id = $1 ORDER BY id`
export const ADD_COST = `INSERT INTO work_order_costs (work_order_id, kind, description, quantity, unit_price_fen,
  amount_fen, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`

/** A work order as stored (timestamps as Date). */
export interface WorkOrderRow {
  id: string
  companyId: string
  communityId: string
  buildingId: string | null
  unitId: string | null
  householdId: string | null
  deviceId: string | null
  source: WorkOrderSource
  sourceRef: string | null
  category: string
  skill: string
  title: string
  description: string
  location: string
  priority: Priority
  state: WorkOrderState
  assigneeId: string | null
  reporterId: string | null
  evidence: unknown
  createdAt: Date
  updatedAt: Date
  slaStartedAt: Date
  respondDueAt: Date
  dueAt: Date
  acceptedAt: Date | null
  resolvedAt: Date | null
  verifiedAt: Date | null
  closedAt: Date | null
  escalationLevel: number
  escalatedAt: Date | null
  rating: number | null
  ratingComment: string | null
  ratedAt: Date | null
  returnVisitAt: Date | null
  returnVisitBy: string | null
  returnVisitSatisfied: boolean | null
  returnVisitNote: string | null
  partsFen: number
  labourFen: number
}

const iso = (d: Date | null) => d?.toISOString() ?? null

/** The API view of a work order. */
export function workOrderView(r: WorkOrderRow) {
  return {
    id: r.id,
    communityId: r.communityId,
    buildingId: r.buildingId,
    unitId: r.unitId,
    householdId: r.householdId,
    deviceId: r.deviceId,
    source: r.source,
    sourceRef: r.sourceRef,
    category: r.category,
    skill: r.skill,
    title: r.title,
    description: r.description,
    location: r.location,
    priority: r.priority,
    state: r.state,
    assigneeId: r.assigneeId,
    reporterId: r.reporterId,
    evidence: r.evidence ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    respondDueAt: r.respondDueAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    acceptedAt: iso(r.acceptedAt),
    resolvedAt: iso(r.resolvedAt),
    verifiedAt: iso(r.verifiedAt),
    closedAt: iso(r.closedAt),
    escalationLevel: r.escalationLevel,
    escalatedAt: iso(r.escalatedAt),
    rating: r.rating,
    ratingComment: r.ratingComment,
    ratedAt: iso(r.ratedAt),
    returnVisit:
      r.returnVisitAt === null
        ? null
        : {
            at: r.returnVisitAt.toISOString(),
            by: r.returnVisitBy ?? '',
            satisfied: r.returnVisitSatisfied ?? false,
            note: r.returnVisitNote ?? '',
          },
    costs: { partsFen: r.partsFen, labourFen: r.labourFen, totalFen: r.partsFen + r.labourFen },
  }
}
export type WorkOrderView = ReturnType<typeof workOrderView>

/** Where a new order sits and what it is about; ids already checked by the caller. */
export interface NewWorkOrder {
  readonly companyId: string
  readonly communityId: string
  readonly buildingId: string | null
  readonly unitId: string | null
  readonly householdId: string | null
  readonly deviceId: string | null
  readonly source: WorkOrderSource
  readonly sourceRef: string | null
  readonly category: string
  readonly skill: string
  readonly title: string
  readonly description: string
  readonly location: string
  readonly priority: Priority
  readonly reporterId: string | null
  readonly evidence: unknown
  readonly at: Date
  readonly respondDueAt: Date
  readonly dueAt: Date
}

/** Inserts an order in state `new`; returns its id, or null when its (source, sourceRef) already has one. */
export async function insertOrder(tx: Sql, id: string, o: NewWorkOrder): Promise<string | null> {
  const [row] = await tx.query<{ id: string }>(INSERT, [
    id,
    o.companyId,
    o.communityId,
    o.buildingId,
    o.unitId,
    o.householdId,
    o.deviceId,
    o.source,
    o.sourceRef,
    o.category,
    o.skill,
    o.title,
    o.description,
    o.location,
    o.priority,
    o.reporterId,
    o.evidence === undefined || o.evidence === null ? null : JSON.stringify(o.evidence),
    o.at,
    o.respondDueAt,
    o.dueAt,
  ])
  return row?.id ?? null
}

/**
 * Work orders: opening (by residents for their household, by staff, and by automatic sources idempotently on the
 * source object), reading in scope, and moving through the transition table (api/workorders/transitions.ts). Every
 * change locks the order, checks scope (out of scope reads as missing: 404) and the table (409), and writes its
 * history row and audit entry in the same transaction. Time comes from an injectable clock.
 */
import { randomBytes } from 'node:crypto'
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Actor, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { inScope, scopeCondition } from '../auth/scope.ts'
import { ApiError, badRequest, conflict, notFound } from '../http/errors.ts'
import { canWorkOn, movePointer, nextInRotation } from './dispatch.ts'
import { historyView, recordChange, SYSTEM_ID, type HistoryEntry, type HistoryRow } from './history.ts'
import { resolvePlace, type PlaceIds } from './place.ts'
import {
  BY_SOURCE,
  HISTORY,
  insertOrder,
  listQuery,
  LOCK_ONE,
  SELECT_ONE,
  workOrderView,
  type WorkOrderRow,
  type WorkOrderSource,
  type WorkOrderView,
} from './repository.ts'
import { deadlines, type Priority } from './sla.ts'
import { nextState, transitions, type WorkOrderAction, type WorkOrderState } from './transitions.ts'

export interface WorkOrderServiceDeps {
  readonly db: Postgres
  readonly auditor: Auditor
  /** Epoch ms (default Date.now): tests pass a fake clock. */
  readonly now?: () => number
}

export interface CreateWorkOrderInput extends PlaceIds {
  readonly title: string
  readonly description?: string | undefined
  readonly category: string
  readonly skill?: string | undefined
  readonly priority?: Priority | undefined
  readonly location?: string | undefined
}

/** An order opened by the system or another module (alarm, prediction, complaint, inspection). */
export interface AutomaticOrder extends PlaceIds {
  readonly source: WorkOrderSource
  readonly sourceRef: string
  readonly title: string
  readonly description?: string
  readonly category: string
  readonly skill?: string
  readonly priority: Priority
  readonly location?: string
  readonly evidence?: unknown
}

export interface ListQuery {
  readonly state?: WorkOrderState | undefined
  readonly communityId?: string | undefined
  readonly assignee?: string | undefined
  readonly unassigned?: boolean | undefined
  readonly source?: WorkOrderSource | undefined
  readonly cursor?: string | undefined
  readonly limit: number
}

export interface ActInput {
  readonly assigneeId?: string | undefined
  readonly note?: string | undefined
}

const UPDATE = `UPDATE work_orders SET state = $2, assignee_id = $3, updated_at = $4, accepted_at = $5,
  resolved_at = $6, verified_at = $7, closed_at = $8, sla_started_at = $9, respond_due_at = $10, due_at = $11,
  escalation_level = $12 WHERE id = $1`
const RATE = `UPDATE work_orders SET rating = $2, rating_comment = $3, rated_at = $4, updated_at = $4 WHERE id = $1`
const RETURN_VISIT = `UPDATE work_orders SET return_visit_at = $2, return_visit_by = $3, return_visit_satisfied = $4,
  return_visit_note = $5, updated_at = $2 WHERE id = $1`

/** States in which the resident's rating and the return visit are taken. */
export const feedbackStates: readonly WorkOrderState[] = ['resolved', 'verified', 'closed']
/** Actions that must carry a note (the reason). */
const needsNote: readonly WorkOrderAction[] = ['reject', 'reopen']

const newId = () => `wo-${randomBytes(8).toString('base64url')}`

export class WorkOrderService {
  readonly db: Postgres
  readonly auditor: Auditor
  readonly now: () => number

  constructor(deps: WorkOrderServiceDeps) {
    this.db = deps.db
    this.auditor = deps.auditor
    this.now = deps.now ?? Date.now
  }

  /** A resident's repair request (always for their own household) or a staff member's order. */
  async create(
    auth: AuthContext,
    input: CreateWorkOrderInput,
    requestId: string | null,
  ): Promise<WorkOrderView> {
    const resident = auth.role === 'resident'
    let ids: PlaceIds = input
    if (resident) {
      const own = [...(auth.scope.householdIds ?? [])]
      const householdId = input.householdId ?? (own.length === 1 ? own[0] : undefined)
      if (!householdId) throw badRequest('householdId: say which of your households needs the repair')
      if (input.communityId || input.buildingId || input.unitId || input.deviceId)
        throw badRequest('a resident reports for their household only')
      ids = { householdId }
    }
    return this.db.transaction(async (tx) => {
      const place = await resolvePlace(tx, ids)
      if (place.companyId !== auth.companyId || !inScope(auth.scope, place)) throw notFound('place')
      const at = new Date(this.now())
      const priority = input.priority ?? 'normal'
      const due = deadlines(priority, at.getTime())
      const id = newId()
      await insertOrder(tx, id, {
        ...place,
        source: resident ? 'resident' : 'staff',
        sourceRef: null,
        category: input.category,
        skill: input.skill ?? input.category,
        title: input.title,
        description: input.description ?? '',
        location: input.location ?? '',
        priority,
        reporterId: auth.userId,
        evidence: null,
        at,
        respondDueAt: new Date(due.respondDueAt),
        dueAt: new Date(due.dueAt),
      })
      const after = await this.row(tx, id)
      await recordChange(tx, this.auditor, {
        actor: actorOf(auth),
        action: 'create',
        before: null,
        after,
        at,
        requestId,
      })
      return workOrderView(after)
    })
  }

  /**
   * Opens the order of an automatic source, once per (source, sourceRef): a second call returns the first
   * order. Runs in `tx` when given (the caller's change and the order commit together).
   */
  async openAutomatic(
    actor: Actor | null,
    order: AutomaticOrder,
    tx?: Sql,
  ): Promise<{ id: string; created: boolean }> {
    const run = async (sql: Sql) => {
      const [existing] = await sql.query<WorkOrderRow>(BY_SOURCE, [order.source, order.sourceRef])
      if (existing) return { id: existing.id, created: false }
      const place = await resolvePlace(sql, order)
      const at = new Date(this.now())
      const due = deadlines(order.priority, at.getTime())
      const id = await insertOrder(sql, newId(), {
        ...place,
        source: order.source,
        sourceRef: order.sourceRef,
        category: order.category,
        skill: order.skill ?? order.category,
        title: order.title,
        description: order.description ?? '',
        location: order.location ?? '',
        priority: order.priority,
        reporterId: actor?.id ?? SYSTEM_ID,
        evidence: order.evidence ?? null,
        at,
        respondDueAt: new Date(due.respondDueAt),
        dueAt: new Date(due.dueAt),
      })
      if (id === null) {
        // Another writer opened it between our look-up and insert.
        const [raced] = await sql.query<WorkOrderRow>(BY_SOURCE, [order.source, order.sourceRef])
        if (!raced) throw new Error('work order: conflicting insert vanished')
        return { id: raced.id, created: false }
      }
      const after = await this.row(sql, id)
      const by = actor ?? { id: SYSTEM_ID, role: 'system', companyId: place.companyId }
      await recordChange(sql, this.auditor, {
        actor: by,
        action: 'create',
        before: null,
        after,
        at,
        note: order.sourceRef,
      })
      return { id, created: true }
    }
    return tx ? run(tx) : this.db.transaction(run)
  }

  async get(auth: AuthContext, id: string): Promise<WorkOrderView> {
    return workOrderView(await this.visible(this.db, auth, id, SELECT_ONE))
  }

  async history(auth: AuthContext, id: string): Promise<HistoryEntry[]> {
    await this.visible(this.db, auth, id, SELECT_ONE)
    return (await this.db.query<HistoryRow>(HISTORY, [id])).map(historyView)
  }

  /** A page of the orders in the caller's scope, newest first; `cursor` continues after the previous page. */
  async list(
    auth: AuthContext,
    q: ListQuery,
  ): Promise<{ items: WorkOrderView[]; nextCursor: string | null }> {
    const params: unknown[] = []
    const where = [
      scopeCondition(
        auth.scope,
        { community: 'w.community_id', building: 'w.building_id', household: 'w.household_id' },
        params,
      ),
    ]
    const bind = (value: unknown) => {
      params.push(value)
      return `$${params.length}`
    }
    if (q.state) where.push(`w.state = ${bind(q.state)}`)
    if (q.communityId) where.push(`w.community_id = ${bind(q.communityId)}`)
    if (q.source) where.push(`w.source = ${bind(q.source)}`)
    if (q.assignee) where.push(`w.assignee_id = ${bind(q.assignee === 'me' ? auth.userId : q.assignee)}`)
    if (q.unassigned) where.push('w.assignee_id IS NULL')
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor)
      where.push(`(w.created_at, w.id) < (${bind(at)}::timestamptz, ${bind(id)})`)
    }
    params.push(q.limit + 1)
    const rows = await this.db.query<WorkOrderRow>(listQuery(where.join(' AND '), params.length), params)
    const page = rows.slice(0, q.limit)
    const last = page.at(-1)
    return {
      items: page.map(workOrderView),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null,
    }
  }

  /** Takes `action` on the order (the transition table decides; 409 when it has no such edge). */
  async act(
    auth: AuthContext,
    id: string,
    action: WorkOrderAction,
    input: ActInput,
    requestId: string | null,
  ): Promise<WorkOrderView> {
    return this.db.transaction(async (tx) => {
      const before = await this.visible(tx, auth, id, LOCK_ONE)
      const to = nextState(before.state, action)
      if (to === null)
        throw conflict(`a work order that is ${before.state} cannot be ${action}ed`, 'illegal_transition')
      const t = transitions[action]
      if (t.assigneeOnly && before.assigneeId !== auth.userId && !auth.permissions.has('workorder:manage'))
        throw new ApiError(403, 'not_assignee', 'only the assignee may do this')
      if (needsNote.includes(action) && !input.note) throw badRequest(`note: say why you ${action} it`)
      const at = new Date(this.now())
      const next = { ...before, state: to, updatedAt: at }
      switch (action) {
        case 'assign': {
          const assignee = input.assigneeId ?? (await nextInRotation(tx, before))
          if (!assignee)
            throw conflict(`no repairer with the skill ${before.skill} covers this place`, 'no_repairer')
          if (!(await canWorkOn(tx, assignee, before)))
            throw badRequest('assigneeId: cannot work on this order')
          next.assigneeId = assignee
          await movePointer(tx, assignee, at)
          break
        }
        case 'grab':
          if (before.assigneeId !== null && before.assigneeId !== auth.userId)
            throw conflict('this order is already someone else’s', 'taken')
          if (!(await canWorkOn(tx, auth.userId, before))) throw badRequest('you cannot work on this order')
          next.assigneeId = auth.userId
          next.acceptedAt = at
          await movePointer(tx, auth.userId, at)
          break
        case 'accept':
          next.acceptedAt = at
          break
        case 'reject':
          next.assigneeId = null
          break
        case 'resolve':
          next.resolvedAt = at
          break
        case 'verify':
          next.verifiedAt = at
          break
        case 'reopen': {
          const due = deadlines(before.priority, at.getTime())
          Object.assign(next, {
            resolvedAt: null,
            verifiedAt: null,
            slaStartedAt: at,
            respondDueAt: new Date(due.respondDueAt),
            dueAt: new Date(due.dueAt),
            escalationLevel: 0,
          })
          break
        }
        case 'close':
          next.closedAt = at
          break
        case 'start':
        case 'hold':
        case 'resume':
          break
      }
      await tx.query(UPDATE, [
        id,
        next.state,
        next.assigneeId,
        at,
        next.acceptedAt,
        next.resolvedAt,
        next.verifiedAt,
        next.closedAt,
        next.slaStartedAt,
        next.respondDueAt,
        next.dueAt,
        next.escalationLevel,
      ])
      const after = await this.row(tx, id)
      await recordChange(tx, this.auditor, {
        actor: actorOf(auth),
        action,
        before,
        after,
        at,
        note: input.note ?? null,
        data:
          action === 'assign' ? { assigneeId: next.assigneeId, roundRobin: !input.assigneeId } : undefined,
        requestId,
      })
      return workOrderView(after)
    })
  }

  /** The resident's rating of a resolved order of their household (once). */
  async rate(
    auth: AuthContext,
    id: string,
    input: { rating: number; comment?: string | undefined },
    requestId: string | null,
  ): Promise<WorkOrderView> {
    return this.feedback(auth, id, requestId, 'rate', async (tx, before, at) => {
      if (before.rating !== null) throw conflict('this order was already rated', 'already_rated')
      await tx.query(RATE, [id, input.rating, input.comment ?? null, at])
      return { rating: input.rating }
    })
  }

  /** Customer service's return visit: did the repair satisfy the household? */
  async returnVisit(
    auth: AuthContext,
    id: string,
    input: { satisfied: boolean; note?: string | undefined },
    requestId: string | null,
  ): Promise<WorkOrderView> {
    return this.feedback(auth, id, requestId, 'return_visit', async (tx, _before, at) => {
      await tx.query(RETURN_VISIT, [id, at, auth.userId, input.satisfied, input.note ?? ''])
      return { satisfied: input.satisfied }
    })
  }

  private async feedback(
    auth: AuthContext,
    id: string,
    requestId: string | null,
    action: string,
    write: (tx: Sql, before: WorkOrderRow, at: Date) => Promise<unknown>,
  ): Promise<WorkOrderView> {
    return this.db.transaction(async (tx) => {
      const before = await this.visible(tx, auth, id, LOCK_ONE)
      if (!feedbackStates.includes(before.state))
        throw conflict(`a work order that is ${before.state} is not done yet`, 'illegal_state')
      const at = new Date(this.now())
      const data = await write(tx, before, at)
      const after = await this.row(tx, id)
      await recordChange(tx, this.auditor, {
        actor: actorOf(auth),
        action,
        before,
        after,
        at,
        data,
        requestId,
      })
      return workOrderView(after)
    })
  }

  /** The order if it exists and is in the caller's scope; 404 otherwise (the same answer for both). */
  async visible(sql: Sql, auth: AuthContext, id: string, query: string): Promise<WorkOrderRow> {
    const [row] = await sql.query<WorkOrderRow>(query, [id])
    if (!row || row.companyId !== auth.companyId || !inScope(auth.scope, row)) throw notFound('work order')
    return row
  }

  async row(sql: Sql, id: string): Promise<WorkOrderRow> {
    const [row] = await sql.query<WorkOrderRow>(SELECT_ONE, [id])
    if (!row) throw new Error(`work order ${id} vanished`)
    return row
  }
}

function encodeCursor(row: WorkOrderRow): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url')
}

function decodeCursor(cursor: string): [string, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  if (!at || !id || Number.isNaN(Date.parse(at))) throw badRequest('cursor is not valid')
  return [at, id]
}

/**
 * Parts and labour on a work order, in integer fen (amount = quantity × unit price, checked by the database too).
 * Costs are added by the assignee (or a manager) while the job runs or right after it is resolved; each line is
 * history and audit like any other change.
 */
import { actorOf } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { ApiError, conflict } from '../http/errors.ts'
import { recordChange } from './history.ts'
import { ADD_COST, COSTS, LOCK_ONE, SELECT_ONE } from './repository.ts'
import type { WorkOrderService } from './service.ts'
import type { WorkOrderState } from './transitions.ts'

export interface CostLine {
  readonly id: number
  readonly kind: 'part' | 'labour'
  readonly description: string
  readonly quantity: number
  readonly unitPriceFen: number
  readonly amountFen: number
  readonly addedBy: string
  readonly addedAt: string
}

export interface CostInput {
  readonly kind: 'part' | 'labour'
  readonly description: string
  /** Pieces, or minutes of labour. */
  readonly quantity: number
  readonly unitPriceFen: number
}

/** States in which costs may be booked. */
export const costStates: readonly WorkOrderState[] = ['accepted', 'in_progress', 'on_hold', 'resolved']

type CostRow = Omit<CostLine, 'addedAt'> & { addedAt: Date }

export class WorkOrderCosts {
  constructor(private readonly orders: WorkOrderService) {}

  async list(auth: AuthContext, id: string): Promise<CostLine[]> {
    await this.orders.visible(this.orders.db, auth, id, SELECT_ONE)
    const rows = await this.orders.db.query<CostRow>(COSTS, [id])
    return rows.map((r) => ({ ...r, addedAt: r.addedAt.toISOString() }))
  }

  async add(auth: AuthContext, id: string, input: CostInput, requestId: string | null): Promise<CostLine[]> {
    await this.orders.db.transaction(async (tx) => {
      const before = await this.orders.visible(tx, auth, id, LOCK_ONE)
      if (!costStates.includes(before.state))
        throw conflict(`costs cannot be booked on a work order that is ${before.state}`, 'illegal_state')
      if (before.assigneeId !== auth.userId && !auth.permissions.has('workorder:manage'))
        throw new ApiError(403, 'not_assignee', 'only the assignee may book costs')
      const amount = input.quantity * input.unitPriceFen
      if (!Number.isSafeInteger(amount)) throw new ApiError(400, 'bad_request', 'amount is too large')
      const at = new Date(this.orders.now())
      await tx.query(ADD_COST, [
        id,
        input.kind,
        input.description,
        input.quantity,
        input.unitPriceFen,
        amount,
        auth.userId,
        at,
      ])
      const after = await this.orders.row(tx, id)
      await recordChange(tx, this.orders.auditor, {
        actor: actorOf(auth),
        action: 'cost',
        before,
        after,
        at,
        data: { ...input, amountFen: amount },
        requestId,
      })
    })
    return this.list(auth, id)
  }
}

/**
 * Collection rate (收缴率): billed, paid, waived and outstanding fen and paid ÷ billed, for a community's bills in
 * the caller's scope, as one total or by building or by month. Paid is net of refunds, as on the bills.
 */
import type { Postgres } from '../../data/index.ts'
import type { AuthContext } from '../auth/context.ts'
import { scopeCondition } from '../auth/scope.ts'
import { requireSomeOf } from './access.ts'

export interface CollectionRow {
  /** The building id, the month ('YYYY-MM'), or the community id for the total. */
  readonly key: string
  readonly bills: number
  readonly billedFen: number
  readonly paidFen: number
  readonly waivedFen: number
  readonly outstandingFen: number
  /** paidFen / billedFen, rounded to 4 decimals (null when nothing was billed). */
  readonly rate: number | null
}

export type CollectionGroup = 'community' | 'building' | 'month'

const KEY: Readonly<Record<CollectionGroup, string>> = {
  community: 'b.community_id',
  building: 'b.building_id',
  month: "to_char(b.period, 'YYYY-MM')",
}

export class CollectionService {
  constructor(private readonly deps: { readonly db: Postgres }) {}

  async rate(
    auth: AuthContext,
    q: { communityId: string; groupBy: CollectionGroup; from?: string; to?: string },
  ): Promise<CollectionRow[]> {
    requireSomeOf(auth, q.communityId)
    const params: unknown[] = []
    const where = [
      scopeCondition(
        auth.scope,
        { community: 'b.community_id', building: 'b.building_id', household: 'b.household_id' },
        params,
      ),
    ]
    params.push(q.communityId)
    where.push(`b.community_id = $${params.length}`)
    if (q.from) {
      params.push(q.from)
      where.push(`b.period >= ($${params.length} || '-01')::date`)
    }
    if (q.to) {
      params.push(q.to)
      where.push(`b.period <= ($${params.length} || '-01')::date`)
    }
    const key = KEY[q.groupBy]
    return this.deps.db.query<CollectionRow>(
      `SELECT ${key} AS key, count(*)::int AS bills, sum(b.amount_due)::int8 AS "billedFen",
         sum(b.amount_paid)::int8 AS "paidFen", sum(b.amount_waived)::int8 AS "waivedFen",
         sum(b.amount_outstanding)::int8 AS "outstandingFen",
         CASE WHEN sum(b.amount_due) > 0 THEN round(sum(b.amount_paid)::numeric / sum(b.amount_due), 4)::float8 END
           AS rate
       FROM fee_bills b WHERE ${where.join(' AND ')} GROUP BY 1 ORDER BY 1`,
      params,
    )
  }
}

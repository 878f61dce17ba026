/**
 * Arrears and reminders: bills that still owe money after their due date, listed per household, and reminders sent
 * to those households through a notification channel (one message per bill, recorded with the amount owed when
 * it was sent). Staff see and remind the bills in their scope.
 */
import type { Postgres } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { scopeCondition } from '../auth/scope.ts'
import { badRequest } from '../http/errors.ts'
import { requireSomeOf } from './access.ts'
import type { ChannelName, Notification, NotificationChannel } from './channels.ts'

export interface Arrear {
  readonly householdId: string | null
  readonly unitId: string
  readonly buildingId: string
  readonly bills: number
  readonly outstandingFen: number
  /** 'YYYY-MM' of the oldest unpaid bill. */
  readonly oldestPeriod: string
}

export interface RemindInput {
  readonly communityId: string
  readonly channel: ChannelName
  readonly cycleId?: string
  readonly buildingId?: string
  /** Only bills at least this many days past due (default 0: due today or earlier; negative: before due). */
  readonly minDaysOverdue?: number
}

const REMIND = `INSERT INTO fee_reminders (bill_id, community_id, channel, outstanding, outbox_id, created_by)
  SELECT (o.payload ->> 'billId'), o.community_id, o.channel, (o.payload ->> 'outstandingFen')::bigint, o.id, $2
  FROM notification_outbox o WHERE o.id = ANY($1::bigint[])`

function arrearsWhere(
  auth: AuthContext,
  q: { communityId: string; cycleId?: string; buildingId?: string; minDaysOverdue?: number },
  params: unknown[],
): string {
  const where = [
    scopeCondition(
      auth.scope,
      { community: 'b.community_id', building: 'b.building_id', household: 'b.household_id' },
      params,
    ),
    'b.amount_outstanding > 0',
  ]
  params.push(q.communityId)
  where.push(`b.community_id = $${params.length}`)
  if (q.cycleId) {
    params.push(q.cycleId)
    where.push(`b.cycle_id = $${params.length}`)
  }
  if (q.buildingId) {
    params.push(q.buildingId)
    where.push(`b.building_id = $${params.length}`)
  }
  params.push(q.minDaysOverdue ?? 0)
  where.push(`b.due_date <= current_date - $${params.length}::int`)
  return where.join(' AND ')
}

export class ReminderService {
  constructor(
    private readonly deps: {
      readonly db: Postgres
      readonly auditor: Auditor
      readonly channels: ReadonlyMap<ChannelName, NotificationChannel>
    },
  ) {}

  /** Households (and vacant units) in arrears, most owed first. */
  async arrears(
    auth: AuthContext,
    q: { communityId: string; buildingId?: string; minDaysOverdue?: number; limit: number },
  ): Promise<Arrear[]> {
    requireSomeOf(auth, q.communityId)
    const params: unknown[] = []
    const where = arrearsWhere(auth, q, params)
    params.push(q.limit)
    return this.deps.db.query<Arrear>(
      `SELECT b.household_id AS "householdId", b.unit_id AS "unitId", b.building_id AS "buildingId",
         count(*)::int AS bills, sum(b.amount_outstanding)::int8 AS "outstandingFen",
         to_char(min(b.period), 'YYYY-MM') AS "oldestPeriod"
       FROM fee_bills b WHERE ${where}
       GROUP BY b.household_id, b.unit_id, b.building_id
       ORDER BY "outstandingFen" DESC, b.unit_id LIMIT $${params.length}`,
      params,
    )
  }

  /** Sends one reminder per bill in arrears (with a household) through the channel. */
  async remind(
    auth: AuthContext,
    input: RemindInput,
    requestId: string | null,
  ): Promise<{ reminded: number; channel: ChannelName; outstandingFen: number }> {
    requireSomeOf(auth, input.communityId)
    const channel = this.deps.channels.get(input.channel)
    if (!channel) throw badRequest(`channel: no channel named ${input.channel}`)
    return this.deps.db.transaction(async (tx) => {
      const params: unknown[] = []
      const where = arrearsWhere(auth, input, params)
      const bills = await tx.query<{
        id: string
        householdId: string
        communityId: string
        period: string
        dueDate: string
        outstanding: number
      }>(
        `SELECT b.id, b.household_id AS "householdId", b.community_id AS "communityId",
           to_char(b.period, 'YYYY-MM') AS period, to_char(b.due_date, 'YYYY-MM-DD') AS "dueDate",
           b.amount_outstanding AS outstanding
         FROM fee_bills b WHERE ${where} AND b.household_id IS NOT NULL ORDER BY b.id FOR UPDATE OF b`,
        params,
      )
      const messages: Notification[] = bills.map((b) => ({
        communityId: b.communityId,
        householdId: b.householdId,
        template: 'fee.reminder',
        payload: { billId: b.id, period: b.period, dueDate: b.dueDate, outstandingFen: b.outstanding },
      }))
      const ids = await channel.send(tx, messages)
      await tx.query(REMIND, [ids, auth.userId])
      const outstandingFen = bills.reduce((sum, b) => sum + b.outstanding, 0)
      const summary = { reminded: bills.length, channel: channel.name, outstandingFen }
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'fee_reminder.send',
        object: { type: 'community', id: input.communityId, communityId: input.communityId },
        after: { ...input, ...summary },
        requestId,
      })
      return summary
    })
  }
}

/**
 * The SLA job: finds running work orders past a deadline and escalates each one level by level (sla.ts), once per
 * level — the level, the time and a history row with who it goes to, plus an audit entry, in one transaction per
 * order. The clock is injected, so tests move time by hand; `start` runs the check on an interval for the server.
 */
import type { Logger, Postgres, Sql } from '../../data/index.ts'
import type { Actor, Auditor } from '../audit/auditor.ts'
import { recordChange, SYSTEM_ID } from './history.ts'
import { LOCK_ONE, type WorkOrderRow } from './repository.ts'
import { escalationLevel, escalationTargets } from './sla.ts'

/** Running orders whose next deadline has passed and that are not at the top of the ladder. */
const DUE = `SELECT id FROM work_orders
  WHERE state NOT IN ('resolved', 'verified', 'closed') AND escalation_level < 3
    AND (respond_due_at < $1 OR due_at < $1)
  ORDER BY due_at, id
  LIMIT $2`
/** Orders escalated per transaction. */
const CHUNK = 100
const ESCALATE =
  'UPDATE work_orders SET escalation_level = $2, escalated_at = $3, updated_at = $3 WHERE id = $1'

export interface Escalation {
  readonly workOrderId: string
  readonly communityId: string
  readonly level: 1 | 2 | 3
  /** The role the order is escalated to. */
  readonly to: string
}

export interface SlaMonitorOptions {
  readonly db: Postgres
  readonly auditor: Auditor
  /** Epoch ms (default Date.now). */
  readonly now?: () => number
  /** Told of every escalation after it committed (the server: live push, notifications). */
  readonly onEscalate?: (escalation: Escalation) => void
  /** Orders looked at per check. */
  readonly batch?: number
  readonly log?: Logger
}

export class SlaMonitor {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<unknown> = Promise.resolve()
  private readonly now: () => number

  constructor(private readonly options: SlaMonitorOptions) {
    this.now = options.now ?? Date.now
  }

  /**
   * Escalates every order past a deadline at the clock's time; returns what it escalated. Orders are escalated in
   * transactions of `CHUNK` (each order still locked, its history and audit written with it): one commit per order
   * made a backlog of thousands take tens of seconds.
   */
  async check(): Promise<Escalation[]> {
    const at = new Date(this.now())
    const due = await this.options.db.query<{ id: string }>(DUE, [at, this.options.batch ?? 500])
    const done: Escalation[] = []
    for (let i = 0; i < due.length; i += CHUNK) {
      const chunk = due.slice(i, i + CHUNK)
      const escalated = await this.options.db.transaction(async (tx) => {
        const out: Escalation[] = []
        for (const { id } of chunk) {
          const escalation = await this.escalate(tx, id, at)
          if (escalation) out.push(escalation)
        }
        return out
      })
      for (const escalation of escalated) {
        done.push(escalation)
        this.options.onEscalate?.(escalation)
      }
    }
    return done
  }

  private async escalate(tx: Sql, id: string, at: Date): Promise<Escalation | null> {
    const [before] = await tx.query<WorkOrderRow>(LOCK_ONE, [id])
    if (!before) return null
    const level = escalationLevel(
      {
        state: before.state,
        startedAt: before.slaStartedAt.getTime(),
        respondDueAt: before.respondDueAt.getTime(),
        dueAt: before.dueAt.getTime(),
      },
      at.getTime(),
    )
    if (level === 0 || level <= before.escalationLevel) return null
    await tx.query(ESCALATE, [id, level, at])
    const [after] = await tx.query<WorkOrderRow>(LOCK_ONE, [id])
    const to = escalationTargets[level]
    const actor: Actor = { id: SYSTEM_ID, role: 'system', companyId: before.companyId }
    await recordChange(tx, this.options.auditor, {
      actor,
      action: 'escalate',
      before,
      after: after ?? before,
      at,
      note: `SLA level ${level} → ${to}`,
      data: { level, to },
    })
    return { workOrderId: id, communityId: before.communityId, level, to }
  }

  /** Checks every `intervalMs` until stopped (a failed check is logged and retried next time). */
  start(intervalMs: number): void {
    if (this.timer) return
    this.timer = setInterval(() => {
      this.running = this.check().catch((error: unknown) =>
        this.options.log?.error({ err: error }, 'work-order SLA check failed'),
      )
    }, intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }
}

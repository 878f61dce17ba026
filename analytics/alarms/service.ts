/**
 * The alarm service: the one write path of alarms and their lifecycle in PostgreSQL. Raising deduplicates (one
 * active alarm per rule and device: a repeat bumps `occurrences`), every change is a row in `alarm_events` with
 * who did it and when, written in the same transaction as the alarm, and — after commit — published on the live
 * bus. An `AuditHook`, when given, runs inside that transaction too (the API's audit module plugs in here).
 *
 * Triggers from the stream arrive through `AlarmWriter`, which queues them so the ingest never waits on
 * PostgreSQL and writes stay in order.
 */
import type { Postgres, Sql } from '../../data/index.ts'
import type { LiveBus } from '../live/bus.ts'
import type { AlarmSink, AlarmTrigger } from './engine.ts'
import { transition, type AlarmAction, type AlarmEventAction, type AlarmState } from './lifecycle.ts'
import { dueNotifications } from './lifecycle.ts'
import type { WorkOrderOpener } from './work-orders.ts'

export interface Alarm {
  readonly id: number
  readonly ruleId: string
  readonly communityId: string
  readonly deviceId: string
  readonly deviceKind: string
  readonly severity: string
  readonly state: AlarmState
  readonly message: string
  readonly value: number | null
  readonly triggeredAt: Date
  readonly openedAt: Date
  readonly lastSeenAt: Date
  readonly occurrences: number
  readonly clearedAt: Date | null
  readonly acknowledgedAt: Date | null
  readonly acknowledgedBy: string | null
  readonly inProgressAt: Date | null
  readonly inProgressBy: string | null
  readonly resolvedAt: Date | null
  readonly resolvedBy: string | null
  readonly escalationLevel: number
  readonly workOrderRef: string | null
}

export interface AlarmEvent {
  readonly id: number
  readonly alarmId: number
  readonly at: Date
  readonly action: AlarmEventAction
  readonly actor: string | null
  readonly state: AlarmState
  readonly note: string | null
}

/** A lifecycle change, as the audit hook sees it. */
export interface AlarmChange {
  readonly alarm: Alarm
  readonly action: AlarmEventAction
  readonly actor: string | null
  readonly note: string | null
}

export type AuditHook = (tx: Sql, change: AlarmChange) => Promise<void>

export class AlarmNotFoundError extends Error {
  override readonly name = 'AlarmNotFoundError'
}

const COLUMNS = `id, rule_id AS "ruleId", community_id AS "communityId", device_id AS "deviceId",
  device_kind AS "deviceKind", severity, state, message, value, triggered_at AS "triggeredAt",
  opened_at AS "openedAt", last_seen_at AS "lastSeenAt", occurrences, cleared_at AS "clearedAt",
  acknowledged_at AS "acknowledgedAt", acknowledged_by AS "acknowledgedBy", in_progress_at AS "inProgressAt",
  in_progress_by AS "inProgressBy", resolved_at AS "resolvedAt", resolved_by AS "resolvedBy",
  escalation_level AS "escalationLevel", work_order_ref AS "workOrderRef"`

const FIND_ACTIVE = `SELECT ${COLUMNS} FROM alarms WHERE rule_id = $1 AND device_id = $2 AND state <> 'resolved' FOR UPDATE`
const FIND = `SELECT ${COLUMNS} FROM alarms WHERE id = $1`
const FIND_FOR_UPDATE = `${FIND} FOR UPDATE`
const INSERT = `INSERT INTO alarms (rule_id, community_id, device_id, device_kind, severity, state, message, value,
    triggered_at, opened_at, last_seen_at, last_notified_at)
  VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, $9, $9)
  ON CONFLICT (rule_id, device_id) WHERE state <> 'resolved' DO NOTHING
  RETURNING ${COLUMNS}`
const REPEAT = `UPDATE alarms SET occurrences = occurrences + 1, last_seen_at = $2, value = $3, message = $4,
    cleared_at = NULL WHERE id = $1 RETURNING ${COLUMNS}`
const CLEAR = `UPDATE alarms SET cleared_at = $2 WHERE id = $1 RETURNING ${COLUMNS}`
const ACT: Readonly<Record<AlarmAction, string>> = {
  acknowledge: `UPDATE alarms SET state = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3
    WHERE id = $1 RETURNING ${COLUMNS}`,
  start: `UPDATE alarms SET state = 'in_progress', in_progress_at = $2, in_progress_by = $3
    WHERE id = $1 RETURNING ${COLUMNS}`,
  resolve: `UPDATE alarms SET state = 'resolved', resolved_at = $2, resolved_by = $3
    WHERE id = $1 RETURNING ${COLUMNS}`,
}
const EVENT = `INSERT INTO alarm_events (alarm_id, community_id, at, action, actor, state, note)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`
const WORK_ORDER = `UPDATE alarms SET work_order_ref = $2 WHERE id = $1 RETURNING ${COLUMNS}`
const DUE = `SELECT a.id, extract(epoch FROM a.opened_at) * 1000 AS "openedAt",
    extract(epoch FROM a.last_notified_at) * 1000 AS "lastNotifiedAt", a.escalation_level AS "escalationLevel",
    r.escalate_after_s AS "escalateAfterS", r.remind_every_s AS "remindEveryS"
  FROM alarms a JOIN alarm_rules r ON r.id = a.rule_id
  WHERE a.state = 'open' AND (r.escalate_after_s IS NOT NULL OR r.remind_every_s IS NOT NULL)`
const ESCALATE = `UPDATE alarms SET escalation_level = escalation_level + 1, last_notified_at = $2
  WHERE id = $1 AND state = 'open' RETURNING ${COLUMNS}`
const REMIND = `UPDATE alarms SET last_notified_at = $2 WHERE id = $1 AND state = 'open' RETURNING ${COLUMNS}`
const HISTORY = `SELECT id, alarm_id AS "alarmId", at, action, actor, state, note FROM alarm_events
  WHERE alarm_id = $1 ORDER BY id`
const LIST = `SELECT ${COLUMNS} FROM alarms
  WHERE ($1::text[] IS NULL OR community_id = ANY($1)) AND ($2::text IS NULL OR state = $2)
    AND ($3::boolean IS NULL OR (state <> 'resolved') = $3)
  ORDER BY opened_at DESC, id DESC LIMIT $4`

export interface AlarmServiceDeps {
  readonly db: Postgres
  readonly bus?: LiveBus
  readonly workOrders?: WorkOrderOpener
  readonly audit?: AuditHook
  readonly now?: () => number
}

/** Which communities a caller may see: a set of ids, or every community. */
export type CommunityScope = ReadonlySet<string> | 'all'

export class AlarmService {
  private readonly now: () => number

  constructor(private readonly deps: AlarmServiceDeps) {
    this.now = deps.now ?? Date.now
  }

  /** A condition started: opens an alarm, or counts a repeat of the active one. */
  async raise(trigger: AlarmTrigger): Promise<{ alarm: Alarm; created: boolean }> {
    const at = new Date(this.now())
    const { rule, device } = trigger
    const result = await this.deps.db.transaction(async (tx) => {
      const [active] = await tx.query<Alarm>(FIND_ACTIVE, [rule.id, device.id])
      if (active) {
        const [alarm] = await tx.query<Alarm>(REPEAT, [active.id, at, trigger.value, trigger.message])
        await this.record(tx, alarm as Alarm, 'repeated', null, null, at)
        return { alarm: alarm as Alarm, created: false }
      }
      const [alarm] = await tx.query<Alarm>(INSERT, [
        rule.id,
        device.communityId,
        device.id,
        device.kind,
        rule.severity,
        trigger.message,
        trigger.value,
        new Date(trigger.ts),
        at,
      ])
      if (!alarm) throw new Error(`alarm for rule ${rule.id} on ${device.id} was opened concurrently`)
      await this.record(tx, alarm, 'opened', null, null, at)
      return { alarm, created: true }
    })
    this.publish(result.created ? 'opened' : 'repeated', result.alarm)
    if (result.created && rule.autoWorkOrder && this.deps.workOrders) await this.openWorkOrder(result.alarm)
    return result
  }

  /** A condition ended: noted on the active alarm (which stays until a person resolves it). */
  async clear(trigger: AlarmTrigger): Promise<Alarm | null> {
    const at = new Date(this.now())
    const alarm = await this.deps.db.transaction(async (tx) => {
      const [active] = await tx.query<Alarm>(FIND_ACTIVE, [trigger.rule.id, trigger.device.id])
      if (!active) return null
      const [cleared] = await tx.query<Alarm>(CLEAR, [active.id, at])
      await this.record(tx, cleared as Alarm, 'cleared', null, trigger.message, at)
      return cleared as Alarm
    })
    if (alarm) this.publish('cleared', alarm)
    return alarm
  }

  /** A person acknowledges, starts work on, or resolves an alarm in their scope. */
  async act(
    id: number,
    action: AlarmAction,
    actor: string,
    scope: CommunityScope,
    note?: string,
  ): Promise<Alarm> {
    const at = new Date(this.now())
    const alarm = await this.deps.db.transaction(async (tx) => {
      const [current] = await tx.query<Alarm>(FIND_FOR_UPDATE, [id])
      if (!current || !inScope(scope, current.communityId))
        throw new AlarmNotFoundError(`alarm ${id} not found`)
      const next = transition(current.state, action)
      const [updated] = await tx.query<Alarm>(ACT[action], [id, at, actor])
      await this.record(tx, updated as Alarm, next.event, actor, note ?? null, at)
      return updated as Alarm
    })
    this.publish(alarm.state === 'resolved' ? 'resolved' : alarm.state, alarm)
    return alarm
  }

  /** Escalates and reminds unacknowledged alarms that are due (run on a timer). */
  async notifyDue(): Promise<{ escalated: number[]; reminded: number[] }> {
    const now = this.now()
    const due = dueNotifications(
      (await this.deps.db.query<Parameters<typeof dueNotifications>[0][number]>(DUE)).map((r) => ({
        ...r,
        openedAt: Number(r.openedAt),
        lastNotifiedAt: Number(r.lastNotifiedAt),
      })),
      now,
    )
    const at = new Date(now)
    const done = { escalated: [] as number[], reminded: [] as number[] }
    for (const [ids, sql, action] of [
      [due.escalate, ESCALATE, 'escalated'],
      [due.remind, REMIND, 'reminded'],
    ] as const) {
      for (const id of ids) {
        const alarm = await this.deps.db.transaction(async (tx) => {
          const [updated] = await tx.query<Alarm>(sql, [id, at])
          if (updated) await this.record(tx, updated, action, null, null, at)
          return updated
        })
        if (!alarm) continue
        this.publish(action, alarm)
        ;(action === 'escalated' ? done.escalated : done.reminded).push(id)
      }
    }
    return done
  }

  /** One alarm and its history, if in scope. */
  async get(id: number, scope: CommunityScope): Promise<{ alarm: Alarm; history: AlarmEvent[] }> {
    const [alarm] = await this.deps.db.query<Alarm>(FIND, [id])
    if (!alarm || !inScope(scope, alarm.communityId)) throw new AlarmNotFoundError(`alarm ${id} not found`)
    return { alarm, history: await this.deps.db.query<AlarmEvent>(HISTORY, [id]) }
  }

  /** Alarms in scope, newest first. */
  list(
    scope: CommunityScope,
    filter: { state?: AlarmState; active?: boolean; communityId?: string; limit?: number } = {},
  ): Promise<Alarm[]> {
    let communities: string[] | null = scope === 'all' ? null : [...scope]
    if (filter.communityId) {
      if (!inScope(scope, filter.communityId)) return Promise.resolve([])
      communities = [filter.communityId]
    }
    return this.deps.db.query<Alarm>(LIST, [
      communities,
      filter.state ?? null,
      filter.active ?? null,
      Math.min(filter.limit ?? 200, 1000),
    ])
  }

  private async openWorkOrder(alarm: Alarm): Promise<void> {
    const ref = await this.deps.workOrders!.open({
      alarmId: alarm.id,
      ruleId: alarm.ruleId,
      communityId: alarm.communityId,
      deviceId: alarm.deviceId,
      deviceKind: alarm.deviceKind,
      severity: alarm.severity,
      message: alarm.message,
      openedAt: alarm.openedAt.getTime(),
    })
    if (ref === null) return
    const at = new Date(this.now())
    const updated = await this.deps.db.transaction(async (tx) => {
      const [row] = await tx.query<Alarm>(WORK_ORDER, [alarm.id, ref])
      await this.record(tx, row as Alarm, 'work_order', null, ref, at)
      return row as Alarm
    })
    this.publish('work_order', updated)
  }

  private async record(
    tx: Sql,
    alarm: Alarm,
    action: AlarmEventAction,
    actor: string | null,
    note: string | null,
    at: Date,
  ): Promise<void> {
    await tx.query(EVENT, [alarm.id, alarm.communityId, at, action, actor, alarm.state, note])
    await this.deps.audit?.(tx, { alarm, action, actor, note })
  }

  private publish(action: string, alarm: Alarm): void {
    this.deps.bus?.publish('alarm', alarm.communityId, { action, alarm })
  }
}

function inScope(scope: CommunityScope, communityId: string): boolean {
  return scope === 'all' || scope.has(communityId)
}

/**
 * The engine's sink: queues triggers and writes them one after another, so the stream never waits on
 * PostgreSQL. `idle()` resolves when the queue is empty (tests, shutdown).
 */
export class AlarmWriter implements AlarmSink {
  private tail: Promise<unknown> = Promise.resolve()
  private pending = 0

  constructor(
    private readonly service: AlarmService,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  raise(trigger: AlarmTrigger): void {
    this.enqueue(() => this.service.raise(trigger))
  }

  clear(trigger: AlarmTrigger): void {
    this.enqueue(() => this.service.clear(trigger))
  }

  /** Writes not yet done. */
  get backlog(): number {
    return this.pending
  }

  idle(): Promise<void> {
    return this.tail.then(() => undefined)
  }

  private enqueue(write: () => Promise<unknown>): void {
    this.pending++
    this.tail = this.tail
      .then(write)
      .catch(this.onError)
      .finally(() => this.pending--)
  }
}

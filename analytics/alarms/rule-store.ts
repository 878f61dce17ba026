/**
 * Alarm rules in PostgreSQL: list, create, update, delete (soft), and the rule-set version that running engines
 * poll. Every change is stamped with who made it; the table's trigger bumps the version (and NOTIFYs on a server).
 */
import type { Postgres } from '../../data/index.ts'
import { parseRule, type AlarmRule, type AlarmRuleInput } from './rules.ts'

const COLUMNS = `id, community_id AS "communityId", name, type, device_kind AS "deviceKind", device_id AS "deviceId",
  metric, params, severity, enabled, escalate_after_s AS "escalateAfterS", remind_every_s AS "remindEveryS",
  auto_work_order AS "autoWorkOrder", extract(epoch FROM updated_at) * 1000 AS revision,
  created_by AS "createdBy", updated_by AS "updatedBy"`

const LIST = `SELECT ${COLUMNS} FROM alarm_rules WHERE deleted_at IS NULL ORDER BY id`
const GET = `SELECT ${COLUMNS} FROM alarm_rules WHERE id = $1 AND deleted_at IS NULL`
const VERSION = `SELECT version FROM alarm_rule_version`
const INSERT = `INSERT INTO alarm_rules (id, community_id, name, type, device_kind, device_id, metric, params,
    severity, enabled, escalate_after_s, remind_every_s, auto_work_order, created_by, updated_by, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $15)
  RETURNING ${COLUMNS}`
const UPDATE = `UPDATE alarm_rules SET community_id = $2, name = $3, type = $4, device_kind = $5, device_id = $6,
    metric = $7, params = $8, severity = $9, enabled = $10, escalate_after_s = $11, remind_every_s = $12,
    auto_work_order = $13, updated_by = $14, updated_at = $15
  WHERE id = $1 AND deleted_at IS NULL RETURNING ${COLUMNS}`
const DELETE = `UPDATE alarm_rules SET deleted_at = $2, updated_by = $3, updated_at = $2, enabled = false
  WHERE id = $1 AND deleted_at IS NULL RETURNING id`

export class RuleConflictError extends Error {
  override readonly name = 'RuleConflictError'
}

type Row = AlarmRuleInput & { revision: number | string; createdBy: string | null; updatedBy: string | null }

/** A stored rule with who last changed it. */
export type StoredRule = AlarmRule & { readonly createdBy: string | null; readonly updatedBy: string | null }

function values(rule: AlarmRuleInput, actor: string, at: Date): unknown[] {
  return [
    rule.id,
    rule.communityId,
    rule.name,
    rule.type,
    rule.deviceKind,
    rule.deviceId,
    rule.metric,
    JSON.stringify(rule.params),
    rule.severity,
    rule.enabled,
    rule.escalateAfterS,
    rule.remindEveryS,
    rule.autoWorkOrder,
    actor,
    at,
  ]
}

export class RuleStore {
  constructor(
    private readonly db: Postgres,
    private readonly now: () => number = Date.now,
  ) {}

  /** The version of the rule set; changes with every rule change. */
  async version(): Promise<number> {
    const [row] = await this.db.query<{ version: number }>(VERSION)
    return Number(row?.version ?? 0)
  }

  /** Every valid stored rule; invalid rows are reported through `onInvalid` and left out. */
  async list(onInvalid: (id: string, problem: string) => void = () => undefined): Promise<StoredRule[]> {
    const out: StoredRule[] = []
    for (const row of await this.db.query<Row>(LIST)) {
      const rule = this.toRule(row)
      if (typeof rule === 'string') onInvalid(row.id, rule)
      else out.push(rule)
    }
    return out
  }

  async get(id: string): Promise<StoredRule | null> {
    const [row] = await this.db.query<Row>(GET, [id])
    if (!row) return null
    const rule = this.toRule(row)
    return typeof rule === 'string' ? null : rule
  }

  async create(rule: AlarmRuleInput, actor: string): Promise<StoredRule> {
    try {
      const [row] = await this.db.query<Row>(INSERT, values(rule, actor, new Date(this.now())))
      return this.toRule(row as Row) as StoredRule
    } catch (error) {
      if (/duplicate key|unique/i.test(error instanceof Error ? error.message : '')) {
        throw new RuleConflictError(`alarm rule ${rule.id} already exists`)
      }
      throw error
    }
  }

  /** Replaces a rule; null when there is none with that id. */
  async update(rule: AlarmRuleInput, actor: string): Promise<StoredRule | null> {
    const [row] = await this.db.query<Row>(UPDATE, values(rule, actor, new Date(this.now())))
    return row ? (this.toRule(row) as StoredRule) : null
  }

  /** Deletes (soft: alarms keep their rule); false when there was none. */
  async remove(id: string, actor: string): Promise<boolean> {
    return (await this.db.query(DELETE, [id, new Date(this.now()), actor])).length > 0
  }

  private toRule(row: Row): StoredRule | string {
    const { revision, createdBy, updatedBy, ...fields } = row
    const rule = parseRule(fields, Number(revision))
    return typeof rule === 'string' ? rule : { ...rule, createdBy, updatedBy }
  }
}

/**
 * Billing cycles (账期): one per community and month. A cycle is open while its meter readings are collected and
 * checked, and billed once its bills are generated. The month's bounds are local days in the configured time zone.
 */
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { conflict, notFound } from '../http/errors.ts'
import { newId, requireCommunity } from './access.ts'

export interface Cycle {
  readonly id: string
  readonly communityId: string
  /** 'YYYY-MM' */
  readonly period: string
  readonly dueDate: string
  readonly status: 'open' | 'billed'
  readonly readingsAt: string | null
  readonly billedAt: string | null
}

const COLUMNS = `id, community_id AS "communityId", to_char(period, 'YYYY-MM') AS period,
  to_char(due_date, 'YYYY-MM-DD') AS "dueDate", status, readings_at AS "readingsAt", billed_at AS "billedAt"`
const GET = `SELECT ${COLUMNS} FROM billing_cycles WHERE id = $1`
const LIST = `SELECT ${COLUMNS} FROM billing_cycles WHERE community_id = $1 ORDER BY period DESC LIMIT 120`
const INSERT = `INSERT INTO billing_cycles (id, community_id, period, due_date, created_by)
  VALUES ($1, $2, ($3 || '-01')::date, coalesce($4::date, ($3 || '-01')::date + interval '1 month' + interval '14 days'), $5)
  ON CONFLICT (community_id, period) DO NOTHING`
const COMMUNITY = 'SELECT 1 FROM communities WHERE id = $1 AND archived_at IS NULL'
const BOUNDS = `SELECT (($1 || '-01')::date::timestamp AT TIME ZONE $2) AS start,
  ((($1 || '-01')::date + interval '1 month')::timestamp AT TIME ZONE $2) AS "end"`

type Row = Omit<Cycle, 'readingsAt' | 'billedAt'> & { readingsAt: Date | null; billedAt: Date | null }
const view = (r: Row): Cycle => ({
  ...r,
  readingsAt: r.readingsAt?.toISOString() ?? null,
  billedAt: r.billedAt?.toISOString() ?? null,
})

/** Reads one cycle (no scope check: callers check it). */
export async function readCycle(sql: Sql, id: string, lock = false): Promise<Cycle | null> {
  const [row] = await sql.query<Row>(lock ? `${GET} FOR UPDATE` : GET, [id])
  return row ? view(row) : null
}

/** The instants the cycle's month starts and ends at, in `timezone`. */
export async function cycleBounds(
  sql: Sql,
  period: string,
  timezone: string,
): Promise<{ start: Date; end: Date }> {
  const [row] = await sql.query<{ start: Date; end: Date }>(BOUNDS, [period, timezone])
  if (!row) throw new Error('no bounds')
  return row
}

export class CycleService {
  constructor(private readonly deps: { readonly db: Postgres; readonly auditor: Auditor }) {}

  async list(auth: AuthContext, communityId: string): Promise<Cycle[]> {
    requireCommunity(auth, communityId)
    return (await this.deps.db.query<Row>(LIST, [communityId])).map(view)
  }

  /** A cycle whose community the caller covers (404 otherwise). */
  async get(auth: AuthContext, id: string, sql: Sql = this.deps.db, lock = false): Promise<Cycle> {
    const cycle = await readCycle(sql, id, lock)
    if (!cycle) throw notFound('billing cycle')
    requireCommunity(auth, cycle.communityId, 'billing cycle')
    return cycle
  }

  async create(
    auth: AuthContext,
    input: { communityId: string; period: string; dueDate?: string },
    requestId: string | null,
  ): Promise<Cycle> {
    requireCommunity(auth, input.communityId)
    return this.deps.db.transaction(async (tx) => {
      if ((await tx.query(COMMUNITY, [input.communityId])).length === 0) throw notFound('community')
      const id = newId('cyc')
      const inserted = await tx.query<{ id: string }>(`${INSERT} RETURNING id`, [
        id,
        input.communityId,
        input.period,
        input.dueDate ?? null,
        auth.userId,
      ])
      if (inserted.length === 0) throw conflict(`the community already has a cycle for ${input.period}`)
      const cycle = await readCycle(tx, id)
      if (!cycle) throw new Error('cycle not stored')
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'billing_cycle.create',
        object: { type: 'billing_cycle', id, communityId: input.communityId },
        after: cycle,
        requestId,
      })
      return cycle
    })
  }
}

/**
 * Records-based KPIs, read from PostgreSQL where the records live (nothing is copied into ClickHouse: these are
 * small, indexed aggregates): complaint hotspots by location and category over time, fee collection rate by building
 * and month, work-order SLA compliance and mean time to repair.
 *
 * The tables are the operations modules' (data/postgres/migrations 0040, 0041, 0050); the columns read:
 *
 *   complaints  (community_id, building_id, location, category, created_at)
 *   fee_bills   (community_id, building_id, period — first day of the billed month, amount_due, amount_paid,
 *                amount_waived — integer fen)
 *   work_orders (community_id, created_at, resolved_at, due_at)
 *
 * Money is answered in yuan. A KPI answers `{ available: false }` on a database not migrated that far.
 */
import type { Postgres } from '../../data/index.ts'

const PRESENT = `SELECT to_regclass($1) IS NOT NULL AS present`

export const COMPLAINT_HOTSPOTS = `
SELECT coalesce(building_id, '') AS "buildingId", coalesce(location, '') AS location, category,
       (extract(epoch FROM date_trunc($4, created_at AT TIME ZONE $5) AT TIME ZONE $5) * 1000)::float8 AS t,
       count(*)::int AS complaints
FROM complaints
WHERE community_id = $1 AND created_at >= $2 AND created_at < $3
GROUP BY 1, 2, 3, 4
ORDER BY complaints DESC, t, "buildingId", location, category
LIMIT 500`

// Collectable = billed minus waived (a waiver is not owed); the rate is paid over collectable.
export const FEE_COLLECTION = `
SELECT building_id AS "buildingId", to_char(period, 'YYYY-MM') AS month,
       (sum(amount_due - amount_waived) / 100.0)::float8 AS due, (sum(amount_paid) / 100.0)::float8 AS paid,
       (sum(amount_waived) / 100.0)::float8 AS waived,
       CASE WHEN sum(amount_due - amount_waived) > 0
            THEN round(sum(amount_paid)::numeric / sum(amount_due - amount_waived), 4)::float8 END AS rate
FROM fee_bills
WHERE community_id = $1 AND period >= $2::date AND period < $3::date
GROUP BY 1, 2
ORDER BY 1, 2`

export const WORK_ORDER_SLA = `
SELECT count(*)::int AS total, count(resolved_at)::int AS resolved,
       count(*) FILTER (WHERE resolved_at IS NOT NULL AND resolved_at <= due_at)::int AS "withinSla",
       round((avg(extract(epoch FROM resolved_at - created_at)) / 3600)::numeric, 3)::float8 AS "mttrHours"
FROM work_orders
WHERE community_id = $1 AND created_at >= $2 AND created_at < $3`

export interface RecordsAnswer<T> {
  /** False on a database not migrated as far as the table the KPI reads. */
  readonly available: boolean
  readonly rows: T[]
}

export interface ComplaintHotspot {
  readonly buildingId: string
  readonly location: string
  readonly category: string
  /** Period start (day/week/month in the time zone), epoch ms. */
  readonly t: number
  readonly complaints: number
}

export interface FeeCollection {
  readonly buildingId: string
  /** 'YYYY-MM' */
  readonly month: string
  /** Yuan owed: billed minus waived. */
  readonly due: number
  /** Yuan paid. */
  readonly paid: number
  /** Yuan waived. */
  readonly waived: number
  /** paid / due (null when nothing is owed). */
  readonly rate: number | null
}

export interface WorkOrderSla {
  readonly total: number
  readonly resolved: number
  readonly withinSla: number
  /** withinSla / resolved (null when none resolved). */
  readonly compliance: number | null
  readonly mttrHours: number | null
}

async function present(db: Postgres, table: string): Promise<boolean> {
  const [row] = await db.query<{ present: boolean }>(PRESENT, [table])
  return row?.present === true
}

export interface RecordsWindow {
  readonly communityId: string
  readonly from: number
  readonly to: number
  readonly timezone: string
}

/** Complaints per building, location and category, per day, week or month. */
export async function complaintHotspots(
  db: Postgres,
  q: RecordsWindow & { readonly period: 'day' | 'week' | 'month' },
): Promise<RecordsAnswer<ComplaintHotspot>> {
  if (!(await present(db, 'complaints'))) return { available: false, rows: [] }
  const rows = await db.query<ComplaintHotspot>(COMPLAINT_HOTSPOTS, [
    q.communityId,
    new Date(q.from),
    new Date(q.to),
    q.period,
    q.timezone,
  ])
  return { available: true, rows }
}

/** Billed, paid and collection rate by building and month, for months starting in [from, to). */
export async function feeCollection(db: Postgres, q: RecordsWindow): Promise<RecordsAnswer<FeeCollection>> {
  if (!(await present(db, 'fee_bills'))) return { available: false, rows: [] }
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  return {
    available: true,
    rows: await db.query<FeeCollection>(FEE_COLLECTION, [q.communityId, day(q.from), day(q.to)]),
  }
}

/** SLA compliance and mean time to repair of work orders created in [from, to). */
export async function workOrderSla(db: Postgres, q: RecordsWindow): Promise<RecordsAnswer<WorkOrderSla>> {
  if (!(await present(db, 'work_orders'))) return { available: false, rows: [] }
  const [row] = await db.query<Omit<WorkOrderSla, 'compliance'>>(WORK_ORDER_SLA, [
    q.communityId,
    new Date(q.from),
    new Date(q.to),
  ])
  const r = row ?? { total: 0, resolved: 0, withinSla: 0, mttrHours: null }
  return {
    available: true,
    rows: [{ ...r, compliance: r.resolved > 0 ? Math.round((r.withinSla / r.resolved) * 1e4) / 1e4 : null }],
  }
}

/**
 * Where the assistant's personal and community facts come from: small read-only interfaces over other modules'
 * tables, so the assistant does not depend on their services and a source can be swapped or left out (a missing
 * source makes its intent fall back to the notices and the FAQ). The SQL implementations read the billing tables
 * (`fee_bills`, `fee_items`), the work orders (`work_orders`), the equipment maintenance plans (`maintenance_plans`)
 * and the parking tariffs, restricted to ids the caller's scope resolved — never to ids from the question.
 */
import type { Sql } from '../../data/index.ts'

export interface BillSummary {
  readonly id: string
  readonly period: string
  readonly dueDate: string
  readonly amountDue: number
  readonly amountPaid: number
  readonly amountOutstanding: number
}

export interface RepairSummary {
  readonly id: string
  readonly title: string
  readonly state: string
  readonly createdAt: string
  readonly dueAt: string | null
}

export interface FeeItemSummary {
  readonly id: string
  readonly name: string
  readonly kind: string
  /** Fen per m² (area) or per kWh/m³ (meter), may have fractions of a fen. */
  readonly unitPrice: number | null
  /** Fen per unit (fixed, one-off). */
  readonly amountFen: number | null
}

export interface TariffSummary {
  readonly id: string
  readonly lotName: string | null
  readonly freeMinutes: number
  readonly hourlyFen: number
  readonly dailyCapFen: number
}

export interface MaintenanceSummary {
  readonly id: string
  readonly title: string
  readonly dueAt: string
}

/** Read-only sources; each is optional. */
export interface AssistantSources {
  bills?(sql: Sql, householdIds: readonly string[]): Promise<BillSummary[]>
  repairs?(sql: Sql, householdIds: readonly string[]): Promise<RepairSummary[]>
  feeItems?(
    sql: Sql,
    communityIds: readonly string[],
    buildingIds: readonly string[] | null,
  ): Promise<FeeItemSummary[]>
  tariffs?(sql: Sql, communityIds: readonly string[]): Promise<TariffSummary[]>
  /** Elevator maintenance plans (the equipment module's), when one is plugged in. */
  elevatorMaintenance?(
    sql: Sql,
    communityIds: readonly string[],
    buildingIds: readonly string[] | null,
  ): Promise<MaintenanceSummary[]>
}

const BILLS = `SELECT id, to_char(period, 'YYYY-MM') AS period, to_char(due_date, 'YYYY-MM-DD') AS due_date,
  amount_due::int8 AS amount_due, amount_paid::int8 AS amount_paid, amount_outstanding::int8 AS amount_outstanding
  FROM fee_bills WHERE household_id = ANY($1::text[]) ORDER BY period DESC, id LIMIT 12`
const REPAIRS = `SELECT id, title, state, created_at, due_at FROM work_orders
  WHERE household_id = ANY($1::text[]) ORDER BY created_at DESC, id LIMIT 5`
const FEE_ITEMS = `SELECT id, name, kind, unit_price::float8 AS unit_price, amount_fen::int8 AS amount_fen FROM fee_items
  WHERE archived_at IS NULL AND community_id = ANY($1::text[])
    AND (building_id IS NULL OR $2::text[] IS NULL OR building_id = ANY($2::text[]))
  ORDER BY kind, id LIMIT 20`
const TARIFFS = `SELECT t.id, l.name AS lot_name, t.free_minutes, t.hourly_fen::int8 AS hourly_fen,
  t.daily_cap_fen::int8 AS daily_cap_fen FROM parking_tariffs t LEFT JOIN parking_lots l ON l.id = t.lot_id
  WHERE t.community_id = ANY($1::text[]) ORDER BY t.lot_id NULLS FIRST, t.id LIMIT 10`
const ELEVATOR_PLANS = `SELECT id, name, next_due_at FROM maintenance_plans
  WHERE active AND device_kind = 'elevator' AND community_id = ANY($1::text[])
    AND ($2::text[] IS NULL OR building_id = ANY($2::text[]))
  ORDER BY next_due_at, id LIMIT 5`

/** The sources backed by the billing, work-order, equipment and parking tables. */
export const sqlSources: AssistantSources = {
  async bills(sql, householdIds) {
    const rows = await sql.query<{
      id: string
      period: string
      due_date: string
      amount_due: number
      amount_paid: number
      amount_outstanding: number
    }>(BILLS, [householdIds])
    return rows.map((r) => ({
      id: r.id,
      period: r.period,
      dueDate: r.due_date,
      amountDue: r.amount_due,
      amountPaid: r.amount_paid,
      amountOutstanding: r.amount_outstanding,
    }))
  },
  async repairs(sql, householdIds) {
    const rows = await sql.query<{
      id: string
      title: string
      state: string
      created_at: Date
      due_at: Date | null
    }>(REPAIRS, [householdIds])
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      state: r.state,
      createdAt: r.created_at.toISOString(),
      dueAt: r.due_at?.toISOString() ?? null,
    }))
  },
  async feeItems(sql, communityIds, buildingIds) {
    const rows = await sql.query<{
      id: string
      name: string
      kind: string
      unit_price: number | null
      amount_fen: number | null
    }>(FEE_ITEMS, [communityIds, buildingIds])
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      unitPrice: r.unit_price,
      amountFen: r.amount_fen,
    }))
  },
  async tariffs(sql, communityIds) {
    const rows = await sql.query<{
      id: string
      lot_name: string | null
      free_minutes: number
      hourly_fen: number
      daily_cap_fen: number
    }>(TARIFFS, [communityIds])
    return rows.map((r) => ({
      id: r.id,
      lotName: r.lot_name,
      freeMinutes: r.free_minutes,
      hourlyFen: r.hourly_fen,
      dailyCapFen: r.daily_cap_fen,
    }))
  },
  async elevatorMaintenance(sql, communityIds, buildingIds) {
    const rows = await sql.query<{ id: string; name: string; next_due_at: Date }>(ELEVATOR_PLANS, [
      communityIds,
      buildingIds,
    ])
    return rows.map((r) => ({ id: r.id, title: r.name, dueAt: r.next_due_at.toISOString() }))
  },
}

/**
 * Bill generation for a whole community and cycle, set-based: one INSERT statement computes every line of every
 * unit, inserts the bills with their totals and then the lines, whatever the number of units (no statement per
 * unit, no second pass to total or prune). A bill per unit with at least one line; lines per fee item:
 *
 * - area: floor area × unit price; fixed and one-off: the amount; meter: the unit's own use × unit price;
 * - shared use: each building's public meters' use costs round(use × price) fen, split among the building's
 *   units by floor area or by their own use with the largest-remainder method, so the shares add up to the
 *   public cost to the fen.
 *
 * Line amounts are rounded to whole fen; a bill's amount due is the sum of its lines. Generation refuses while a
 * reading of a metered kind is flagged and neither corrected nor accepted.
 */
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { conflict } from '../http/errors.ts'
import type { CycleService } from './cycles.ts'

export interface GenerateSummary {
  readonly cycleId: string
  readonly bills: number
  readonly lines: number
  /** Sum of the bills, fen. */
  readonly totalFen: number
}

const BLOCKING_READINGS = `SELECT count(*)::int AS n FROM meter_readings r
  WHERE r.cycle_id = $1 AND r.flag IS NOT NULL AND NOT r.accepted
    AND EXISTS (SELECT 1 FROM fee_items i WHERE i.community_id = $2 AND i.kind = 'meter' AND i.archived_at IS NULL
                AND i.meter_kind = r.meter_kind)`

/**
 * Every line of the cycle, per unit, as one statement: charges (area, fixed, one-off), own metered use, and shares
 * of each building's public use — the public cost round(use × price) split by weight with the largest-remainder
 * method. $1 cycle, $2 community.
 */
const LINES = `
  charged AS (
    SELECT u.id AS unit_id, i.id AS fee_item_id, 'charge' AS line,
      CASE WHEN i.kind = 'area' THEN u.area ELSE 1 END AS quantity,
      CASE WHEN i.kind = 'area' THEN i.unit_price ELSE i.amount_fen END AS unit_price,
      CASE WHEN i.kind = 'area' THEN round(u.area * i.unit_price)::bigint ELSE i.amount_fen END AS amount,
      NULL::jsonb AS detail
    FROM billing_cycles c
    JOIN units u ON u.community_id = c.community_id AND u.archived_at IS NULL
    JOIN fee_items i ON i.community_id = c.community_id AND i.archived_at IS NULL
      AND (i.kind IN ('area', 'fixed') OR (i.kind = 'one_off' AND i.once_period = c.period))
      AND (i.building_id IS NULL OR i.building_id = u.building_id)
    WHERE c.id = $1
  ), own AS (
    SELECT r.unit_id, i.id AS fee_item_id, 'own' AS line, r.usage AS quantity, i.unit_price,
      round(r.usage * i.unit_price)::bigint AS amount,
      jsonb_build_object('deviceId', r.device_id, 'previous', r.previous_value, 'value', r.value) AS detail
    FROM meter_readings r
    JOIN units u ON u.id = r.unit_id AND u.archived_at IS NULL
    JOIN fee_items i ON i.community_id = $2 AND i.kind = 'meter' AND i.archived_at IS NULL
      AND i.meter_kind = r.meter_kind AND (i.building_id IS NULL OR i.building_id = u.building_id)
    WHERE r.cycle_id = $1 AND NOT r.public AND r.usage >= 0
  ), pub AS (
    SELECT building_id, meter_kind, sum(usage) AS used FROM meter_readings
    WHERE cycle_id = $1 AND public AND usage > 0 GROUP BY 1, 2
  ), cost AS (
    SELECT i.id AS item_id, i.unit_price, i.shared_split, i.meter_kind, p.building_id, p.used,
      round(p.used * i.unit_price)::bigint AS fen
    FROM fee_items i JOIN pub p ON p.meter_kind = i.meter_kind
    WHERE i.community_id = $2 AND i.kind = 'meter' AND i.shared_split <> 'none' AND i.archived_at IS NULL
      AND (i.building_id IS NULL OR i.building_id = p.building_id)
  ), weighted AS (
    SELECT c.item_id, c.building_id, c.unit_price, c.used, c.fen, u.id AS unit_id,
      CASE WHEN c.shared_split = 'area' THEN u.area ELSE coalesce(greatest(mine.usage, 0), 0) END AS w
    FROM cost c
    JOIN units u ON u.building_id = c.building_id AND u.archived_at IS NULL
    LEFT JOIN meter_readings mine ON mine.cycle_id = $1 AND mine.unit_id = u.id AND NOT mine.public
      AND mine.meter_kind = c.meter_kind
  ), totals AS (
    SELECT *, sum(w) OVER (PARTITION BY item_id, building_id) AS total_w FROM weighted
  ), floored AS (
    SELECT *, floor(fen * w / total_w)::bigint AS base, fen * w / total_w - floor(fen * w / total_w) AS frac
    FROM totals WHERE total_w > 0
  ), ranked AS (
    SELECT *, fen - sum(base) OVER (PARTITION BY item_id, building_id) AS remainder,
      row_number() OVER (PARTITION BY item_id, building_id ORDER BY frac DESC, unit_id) AS rank
    FROM floored
  ), shared AS (
    SELECT unit_id, item_id AS fee_item_id, 'shared' AS line, round(used * w / total_w, 4) AS quantity, unit_price,
      base + CASE WHEN rank <= remainder THEN 1 ELSE 0 END AS amount,
      jsonb_build_object('publicUse', used, 'publicFen', fen, 'weight', w, 'totalWeight', total_w) AS detail
    FROM ranked
  ), lines AS MATERIALIZED (
    SELECT * FROM charged UNION ALL SELECT * FROM own UNION ALL SELECT * FROM shared
  )`

/**
 * The bills (one per unit with at least one line, for the unit's current household, its amount due the sum of its
 * lines) and their lines, in one statement.
 */
const INSERT_BILLS = `WITH ${LINES}, due AS (
    SELECT unit_id, sum(amount)::bigint AS total FROM lines GROUP BY unit_id
  ), current_household AS (
    SELECT DISTINCT ON (unit_id) unit_id, id FROM households
    WHERE community_id = $2 AND archived_at IS NULL ORDER BY unit_id, created_at DESC, id
  ), bills AS (
    INSERT INTO fee_bills (id, cycle_id, community_id, building_id, unit_id, household_id, period, due_date,
      amount_due)
    SELECT 'fb-' || substr(md5(c.id || '/' || u.id), 1, 20), c.id, u.community_id, u.building_id, u.id, h.id,
      c.period, c.due_date, d.total
    FROM due d JOIN units u ON u.id = d.unit_id
    JOIN billing_cycles c ON c.id = $1
    LEFT JOIN current_household h ON h.unit_id = u.id
    RETURNING id, unit_id
  )
  INSERT INTO fee_bill_lines (bill_id, fee_item_id, line, quantity, unit_price, amount, detail)
  SELECT b.id, l.fee_item_id, l.line, l.quantity, l.unit_price, l.amount, l.detail
  FROM lines l JOIN bills b ON b.unit_id = l.unit_id`

const SUMMARY = `SELECT count(*)::int AS bills, coalesce(sum(amount_due), 0)::int8 AS "totalFen",
  (SELECT count(*)::int FROM fee_bill_lines l JOIN fee_bills x ON x.id = l.bill_id WHERE x.cycle_id = $1) AS lines
  FROM fee_bills WHERE cycle_id = $1`
const MARK_BILLED = `UPDATE billing_cycles SET status = 'billed', billed_at = now() WHERE id = $1`

/** Runs the generation statements for an open cycle inside `tx`; returns what was generated. */
export async function generateBills(tx: Sql, cycleId: string, communityId: string): Promise<GenerateSummary> {
  const [blocking] = await tx.query<{ n: number }>(BLOCKING_READINGS, [cycleId, communityId])
  if (blocking && blocking.n > 0) {
    throw conflict(
      `${blocking.n} meter readings are flagged as implausible: correct or accept them first`,
      'readings_flagged',
    )
  }
  await tx.query(INSERT_BILLS, [cycleId, communityId])
  await tx.query(MARK_BILLED, [cycleId])
  const [row] = await tx.query<{ bills: number; lines: number; totalFen: number }>(SUMMARY, [cycleId])
  return { cycleId, bills: row?.bills ?? 0, lines: row?.lines ?? 0, totalFen: row?.totalFen ?? 0 }
}

/** Generates a cycle's bills for a caller whose scope covers the community; audited as one entry. */
export class BillGenerator {
  constructor(
    private readonly deps: {
      readonly db: Postgres
      readonly auditor: Auditor
      readonly cycles: CycleService
    },
  ) {}

  async generate(auth: AuthContext, cycleId: string, requestId: string | null): Promise<GenerateSummary> {
    return this.deps.db.transaction(async (tx) => {
      const cycle = await this.deps.cycles.get(auth, cycleId, tx, true)
      if (cycle.status !== 'open') throw conflict('the cycle is already billed', 'cycle_billed')
      const summary = await generateBills(tx, cycle.id, cycle.communityId)
      await this.deps.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'billing_cycle.generate',
        object: { type: 'billing_cycle', id: cycle.id, communityId: cycle.communityId },
        before: cycle,
        after: summary,
        requestId,
      })
      return summary
    })
  }
}

/**
 * Parking occupancy per lot from the barriers' `passes_in` / `passes_out` counts: entries and exits per hour, and
 * the occupancy estimate — vehicles that entered minus vehicles that left since counting began (so exact if the lot
 * was empty then, and otherwise off by a constant the operator can reset with the baseline), capped to the lot's
 * capacity. Barriers at vehicle gates (no lot) are reported under the gate id.
 */
import { rows } from '../clickhouse.ts'
import { baseParams, type CommunityWindow, type KpiContext } from './context.ts'
import { source, type SourceFn } from './source.ts'
import { alignWindow, startOfDay } from './window.ts'

const BARRIER = `community_id = {community:String} AND kind = 'parking_barrier' AND metric IN ('passes_in', 'passes_out')`
// The baseline before the window: whole local days before its day, then the hours of its day before it.
const FILTER_DAYS_BEFORE = `${BARRIER} AND t < fromUnixTimestamp64Milli({from_day:Int64})`
const FILTER_HOURS_BEFORE = `${BARRIER} AND t >= fromUnixTimestamp64Milli({from_day:Int64})
  AND t < fromUnixTimestamp64Milli({from:Int64})`
const FILTER_WINDOW = `community_id = {community:String} AND kind = 'parking_barrier'
  AND metric IN ('passes_in', 'passes_out')
  AND t >= fromUnixTimestamp64Milli({from:Int64}) AND t < fromUnixTimestamp64Milli({to:Int64})`

const LOTS = `(SELECT device_id, if(lot_id != '', lot_id, gate_id) AS lot, capacity FROM device_dim FINAL
  WHERE community_id = {community:String} AND kind = 'parking_barrier')`

/** Parking per lot and hour, reading through `src`. */
export const parkingSql = (src: SourceFn = source): string => `
SELECT lotId, toUnixTimestamp(t) * 1000 AS t, entries, exits, capacity,
       baseline + sum(toInt64(entries) - toInt64(exits)) OVER (PARTITION BY lotId ORDER BY t) AS netVehicles
FROM (
  SELECT l.lot AS lotId, x.t AS t, toUInt64(sumIf(x.v_sum, x.metric = 'passes_in')) AS entries,
         toUInt64(sumIf(x.v_sum, x.metric = 'passes_out')) AS exits, max(l.capacity) AS capacity
  FROM ${src('hour', FILTER_WINDOW)} AS x
  INNER JOIN ${LOTS} AS l ON l.device_id = x.device_id
  GROUP BY lotId, t
) AS w
LEFT JOIN (
  SELECT l.lot AS lotId, toInt64(sumIf(b.v_sum, b.metric = 'passes_in')) - toInt64(sumIf(b.v_sum, b.metric = 'passes_out')) AS baseline
  FROM (
    SELECT device_id, metric, v_sum FROM ${src('day', FILTER_DAYS_BEFORE)}
    UNION ALL
    SELECT device_id, metric, v_sum FROM ${src('hour', FILTER_HOURS_BEFORE)}
  ) AS b
  INNER JOIN ${LOTS} AS l ON l.device_id = b.device_id
  GROUP BY lotId
) AS b USING lotId
ORDER BY lotId, t`

export const PARKING_HOURLY = parkingSql()

export interface ParkingHour {
  readonly lotId: string
  readonly t: number
  readonly entries: number
  readonly exits: number
  /** Spaces of the lot (0 for a gate). */
  readonly capacity: number
  /** Entries minus exits since counting began, to the end of this hour. */
  readonly netVehicles: number
  /** netVehicles capped to [0, capacity] over capacity; null without a capacity. */
  readonly occupancy: number | null
}

/** Hourly entries/exits and occupancy per lot over [from, to) (aligned to hours). */
export async function parkingOccupancy(ctx: KpiContext, q: CommunityWindow): Promise<ParkingHour[]> {
  const w = alignWindow(q.from, q.to, 'hour', ctx.timezone)
  const found = await rows<Omit<ParkingHour, 'occupancy'>>(ctx.clickhouse, PARKING_HOURLY, {
    ...(await baseParams(ctx, q.communityId)),
    from: w.from,
    to: w.to,
    from_day: startOfDay(w.from, ctx.timezone),
  })
  return found.map((r) => ({
    ...r,
    occupancy:
      r.capacity > 0
        ? Math.round((Math.min(Math.max(r.netVehicles, 0), r.capacity) / r.capacity) * 1e4) / 1e4
        : null,
  }))
}

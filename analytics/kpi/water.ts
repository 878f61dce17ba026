/**
 * Water night-flow leak suspicion: a healthy household meter shows zero flow at some point every night; a leak
 * keeps the night minimum above zero. For each water meter, the minimum of `flow_m3h` over local 01:00–05:00 of
 * each night in the window; a meter is suspect when that minimum stayed above `minFlowM3h` on at least
 * `minNights` nights.
 */
import { rows } from '../clickhouse.ts'
import { baseParams, type CommunityWindow, type KpiContext } from './context.ts'
import { source, TIME_RANGE, type SourceFn } from './source.ts'
import { alignWindow } from './window.ts'

const FILTER = `community_id = {community:String} AND kind = 'water_meter' AND metric = 'flow_m3h' AND ${TIME_RANGE}`

/** Night-flow suspects, reading through `src`. */
export const nightFlowSql = (src: SourceFn = source): string => `
SELECT n.device_id AS deviceId, any(d.unit_id) AS unitId, any(d.building_id) AS buildingId,
       count() AS nights, countIf(n.night_min > {min_flow:Float64}) AS flowingNights,
       round(min(n.night_min), 4) AS minNightFlowM3h, round(avg(n.night_min), 4) AS avgNightFlowM3h
FROM (
  SELECT device_id, toStartOfDay(t, {tz:String}) AS night, min(v_min) AS night_min
  FROM ${src('hour', FILTER)}
  WHERE toHour(t, {tz:String}) >= 1 AND toHour(t, {tz:String}) < 5
  GROUP BY device_id, night
) AS n
LEFT JOIN (SELECT device_id, unit_id, building_id FROM device_dim FINAL
  WHERE community_id = {community:String} AND kind = 'water_meter') AS d ON d.device_id = n.device_id
GROUP BY deviceId
HAVING flowingNights >= {min_nights:UInt32}
ORDER BY minNightFlowM3h DESC, deviceId`

export const NIGHT_FLOW = nightFlowSql()

export interface NightFlowSuspect {
  readonly deviceId: string
  readonly unitId: string
  readonly buildingId: string
  /** Nights with readings in 01:00–05:00. */
  readonly nights: number
  /** Nights whose minimum flow stayed above the threshold. */
  readonly flowingNights: number
  readonly minNightFlowM3h: number
  readonly avgNightFlowM3h: number
}

/** Meters whose night flow never reached zero on at least `minNights` nights of the (local-day) window. */
export async function nightFlowSuspects(
  ctx: KpiContext,
  q: CommunityWindow & { readonly minNights?: number; readonly minFlowM3h?: number },
): Promise<NightFlowSuspect[]> {
  const w = alignWindow(q.from, q.to, 'day', ctx.timezone)
  return rows<NightFlowSuspect>(ctx.clickhouse, NIGHT_FLOW, {
    ...(await baseParams(ctx, q.communityId)),
    from: w.from,
    to: w.to,
    min_flow: q.minFlowM3h ?? 0,
    min_nights: q.minNights ?? 3,
  })
}

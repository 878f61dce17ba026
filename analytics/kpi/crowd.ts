/**
 * Occupancy and crowd density per zone in 5-minute bins, the data behind the wall screen's crowd heatmap. Zones are
 * the gates (people counters at the gate: `in_count`, `out_count` per minute) and the open areas with counters
 * (plazas: `present` as well). Per zone and bin: people in and out, the running net (change in occupancy since the
 * window start), the average number present and, for areas, the density in persons per 100 m².
 */
import { rows } from '../clickhouse.ts'
import { baseParams, type CommunityWindow, type KpiContext } from './context.ts'
import { source, TIME_RANGE, type SourceFn } from './source.ts'

const FILTER = `community_id = {community:String} AND kind = 'people_counter'
  AND metric IN ('in_count', 'out_count', 'present') AND ${TIME_RANGE}`

/** Crowd bins per zone, reading through `src`. */
export const crowdSql = (src: SourceFn = source): string => `
SELECT zoneId, toUnixTimestamp(bin) * 1000 AS t, ins AS in, outs AS out,
       sum(toInt64(ins) - toInt64(outs)) OVER (PARTITION BY zoneId ORDER BY bin) AS net,
       round(present, 2) AS present,
       if(area > 0, round(present * 100 / area, 4), NULL) AS densityPer100m2
FROM (
  SELECT d.zone_id AS zoneId, c.bin AS bin, any(d.zone_area_m2) AS area,
         toUInt64(sum(c.ins)) AS ins, toUInt64(sum(c.outs)) AS outs, sum(c.present) AS present
  FROM (
    SELECT device_id, toStartOfFiveMinutes(t) AS bin,
           sumIf(v_sum, metric = 'in_count') AS ins, sumIf(v_sum, metric = 'out_count') AS outs,
           if(sumIf(v_count, metric = 'present') > 0,
              sumIf(v_sum, metric = 'present') / sumIf(v_count, metric = 'present'), 0) AS present
    FROM ${src('minute', FILTER)}
    GROUP BY device_id, bin
  ) AS c
  INNER JOIN (SELECT device_id, zone_id, zone_area_m2 FROM device_dim FINAL
    WHERE community_id = {community:String} AND kind = 'people_counter' AND zone_id != '') AS d
    ON d.device_id = c.device_id
  GROUP BY zoneId, bin
)
ORDER BY zoneId, t`

export const CROWD_5MIN = crowdSql()

export interface CrowdBin {
  readonly zoneId: string
  /** Bin start, epoch ms. */
  readonly t: number
  readonly in: number
  readonly out: number
  /** Σ(in − out) from the window start to this bin, inclusive. */
  readonly net: number
  /** Average people present over the bin (counters that report presence), else 0. */
  readonly present: number
  /** Present per 100 m² for zones with an area, else null. */
  readonly densityPer100m2: number | null
}

/** 5-minute bins per zone over [from, to) (aligned to 5 minutes). */
export async function crowdByZone(ctx: KpiContext, q: CommunityWindow): Promise<CrowdBin[]> {
  const bin = 300_000
  return rows<CrowdBin>(ctx.clickhouse, CROWD_5MIN, {
    ...(await baseParams(ctx, q.communityId)),
    from: Math.floor(q.from / bin) * bin,
    to: Math.ceil(q.to / bin) * bin,
  })
}

/**
 * Energy KPIs from the electricity meters' `energy_kwh` registers: consumption by building per hour, local day or
 * local month, and consumption per meter over a window (the input of household benchmarking). Register readings
 * become consumption as deltas between bucket-end readings (see source.ts `counterDeltas`).
 */
import { rows } from '../clickhouse.ts'
import { baseParams, type CommunityWindow, type KpiContext } from './context.ts'
import { counterDeltas, dayCounterDeltas, source, type SourceFn } from './source.ts'
import { alignWindow, type Grain } from './window.ts'

const METER = { kind: 'electricity_meter', metric: 'energy_kwh' } as const

const DIM = `(SELECT device_id, building_id, unit_id, public FROM device_dim FINAL
  WHERE community_id = {community:String} AND kind = {kind:String})`

/** Energy by building for a grain, reading through `src`; month buckets are summed from local days. */
export function energyByBuildingSql(grain: Grain, src: SourceFn = source, closedOnly = false): string {
  if (grain === 'hour') {
    return `
SELECT d.building_id AS buildingId, toUnixTimestamp(x.t) * 1000 AS t, round(sum(x.delta), 3) AS kwh
FROM ${counterDeltas('hour', src)} AS x
INNER JOIN ${DIM} AS d ON d.device_id = x.device_id
WHERE x.t >= fromUnixTimestamp64Milli({from:Int64})
GROUP BY buildingId, t
ORDER BY buildingId, t`
  }
  const bucket = grain === 'month' ? 'toDateTime(toStartOfMonth(x.t, {tz:String}), {tz:String})' : 'x.t'
  return `
SELECT x.building_id AS buildingId, toUnixTimestamp(${bucket}) * 1000 AS t, round(sum(x.delta), 3) AS kwh
FROM ${dayCounterDeltas(src, closedOnly)} AS x
WHERE x.t >= fromUnixTimestamp64Milli({from:Int64})
GROUP BY buildingId, t
ORDER BY buildingId, t`
}

/** The SQL of energy by building per grain (named constants, bench and tests read them too). */
export const ENERGY_BY_BUILDING: Readonly<Record<Grain, string>> = {
  hour: energyByBuildingSql('hour'),
  day: energyByBuildingSql('day'),
  month: energyByBuildingSql('month'),
}

/** The same for windows that end before the day table's watermark: closed days only. */
const ENERGY_BY_BUILDING_CLOSED: Readonly<Record<Grain, string>> = {
  hour: energyByBuildingSql('hour'),
  day: energyByBuildingSql('day', source, true),
  month: energyByBuildingSql('month', source, true),
}

/** kWh per meter over the window, from local days (with its unit), reading through `src`. */
export const energyByMeterSql = (src: SourceFn = source, closedOnly = false): string => `
SELECT m.device_id AS deviceId, d.unit_id AS unitId, m.kwh AS kwh
FROM (
  SELECT device_id, round(sum(delta), 3) AS kwh FROM ${dayCounterDeltas(src, closedOnly)}
  WHERE t >= fromUnixTimestamp64Milli({from:Int64})
  GROUP BY device_id
) AS m
INNER JOIN ${DIM} AS d ON d.device_id = m.device_id
ORDER BY deviceId`

export const ENERGY_BY_METER = energyByMeterSql()
const ENERGY_BY_METER_CLOSED = energyByMeterSql(source, true)

export interface EnergyRow {
  readonly buildingId: string
  /** Bucket start, epoch ms. */
  readonly t: number
  readonly kwh: number
}

/** Energy by building and hour/day/month over the window (aligned outward to whole buckets). */
export async function energyByBuilding(
  ctx: KpiContext,
  q: CommunityWindow & { readonly grain: Grain },
): Promise<EnergyRow[]> {
  const w = alignWindow(q.from, q.to, q.grain, ctx.timezone)
  const closed = w.to <= (await ctx.watermarks()).dayUntil
  return rows<EnergyRow>(ctx.clickhouse, (closed ? ENERGY_BY_BUILDING_CLOSED : ENERGY_BY_BUILDING)[q.grain], {
    ...(await baseParams(ctx, q.communityId)),
    ...METER,
    from: w.from,
    to: w.to,
    scan_from: w.scanFrom,
  })
}

export interface MeterEnergy {
  readonly deviceId: string
  readonly unitId: string
  readonly kwh: number
}

/** kWh per electricity meter over whole local days of the window. */
export async function energyByMeter(ctx: KpiContext, q: CommunityWindow): Promise<MeterEnergy[]> {
  const w = alignWindow(q.from, q.to, 'day', ctx.timezone)
  const closed = w.to <= (await ctx.watermarks()).dayUntil
  return rows<MeterEnergy>(ctx.clickhouse, closed ? ENERGY_BY_METER_CLOSED : ENERGY_BY_METER, {
    ...(await baseParams(ctx, q.communityId)),
    ...METER,
    from: w.from,
    to: w.to,
    scan_from: w.scanFrom,
  })
}

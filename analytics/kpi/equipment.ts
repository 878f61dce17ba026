/**
 * Equipment KPIs over a window, per device: elevator availability (share of heartbeat samples `in_service`), trips
 * (increments of the `trips` counter) and faults raised (events); pump run hours and starts (increments of the
 * `run_hours` and `starts` counters) and efficiency — mean flow over mean power while running, m³ per kWh.
 */
import { rows } from '../clickhouse.ts'
import { baseParams, type CommunityWindow, type KpiContext } from './context.ts'
import { counterDeltas, source, type SourceFn } from './source.ts'
import { alignWindow } from './window.ts'

const RANGE = 't >= fromUnixTimestamp64Milli({from:Int64}) AND t < fromUnixTimestamp64Milli({to:Int64})'

/** Σ of a counter's increments per device in the window (parameters of counterDeltas with its own metric). */
function counterTotal(metric: string, name: string, src: SourceFn): string {
  return `(SELECT device_id, sum(delta) AS ${name} FROM ${counterDeltas('hour', src).replaceAll('{metric:String}', `'${metric}'`)}
  WHERE t >= fromUnixTimestamp64Milli({from:Int64}) GROUP BY device_id)`
}

/** Elevator KPIs, reading through `src`. */
export const elevatorsSql = (src: SourceFn = source): string => `
SELECT d.device_id AS deviceId, d.building_id AS buildingId,
       if(a.n > 0, round(a.up / a.n, 4), NULL) AS availability,
       toUInt64(ifNull(tr.trips, 0)) AS trips, toUInt64(ifNull(f.faults, 0)) AS faults
FROM (SELECT device_id, building_id FROM device_dim FINAL
  WHERE community_id = {community:String} AND kind = {kind:String}) AS d
LEFT JOIN (
  SELECT device_id, sum(v_sum) AS up, sum(v_count) AS n
  FROM ${src('hour', `community_id = {community:String} AND kind = {kind:String} AND metric = 'in_service' AND ${RANGE}`)}
  GROUP BY device_id
) AS a ON a.device_id = d.device_id
LEFT JOIN ${counterTotal('trips', 'trips', src)} AS tr ON tr.device_id = d.device_id
LEFT JOIN (
  SELECT device_id, sum(n) AS faults FROM device_events_1h
  WHERE community_id = {community:String} AND kind = {kind:String} AND type = 'fault.raised' AND ${RANGE}
  GROUP BY device_id
) AS f ON f.device_id = d.device_id
ORDER BY deviceId`

/** Pump KPIs, reading through `src`. */
export const pumpsSql = (src: SourceFn = source): string => `
SELECT d.device_id AS deviceId, d.building_id AS buildingId,
       round(ifNull(rh.runHours, 0), 3) AS runHours, toUInt64(round(ifNull(st.starts, 0))) AS starts,
       if(p.nf > 0, round(p.flow / p.nf, 3), NULL) AS avgFlowM3h,
       if(p.np > 0, round(p.power / p.np, 3), NULL) AS avgPowerKw,
       if(p.nf > 0 AND p.np > 0 AND p.power > 0, round((p.flow / p.nf) / (p.power / p.np), 3), NULL) AS m3PerKwh
FROM (SELECT device_id, building_id FROM device_dim FINAL
  WHERE community_id = {community:String} AND kind = {kind:String}) AS d
LEFT JOIN ${counterTotal('run_hours', 'runHours', src)} AS rh ON rh.device_id = d.device_id
LEFT JOIN ${counterTotal('starts', 'starts', src)} AS st ON st.device_id = d.device_id
LEFT JOIN (
  SELECT device_id, sumIf(v_sum, metric = 'flow_m3h') AS flow, sumIf(v_count, metric = 'flow_m3h') AS nf,
         sumIf(v_sum, metric = 'power_kw') AS power, sumIf(v_count, metric = 'power_kw') AS np
  FROM ${src('hour', `community_id = {community:String} AND kind = {kind:String} AND metric IN ('flow_m3h', 'power_kw') AND ${RANGE}`)}
  GROUP BY device_id
) AS p ON p.device_id = d.device_id
ORDER BY deviceId`

export const ELEVATORS = elevatorsSql()
export const PUMPS = pumpsSql()

export interface ElevatorKpi {
  readonly deviceId: string
  readonly buildingId: string
  /** Share of heartbeats in service, 0..1 (null without heartbeats). */
  readonly availability: number | null
  readonly trips: number
  readonly faults: number
}

export interface PumpKpi {
  readonly deviceId: string
  readonly buildingId: string
  readonly runHours: number
  readonly starts: number
  readonly avgFlowM3h: number | null
  readonly avgPowerKw: number | null
  /** Water moved per energy used while running (null when not running). */
  readonly m3PerKwh: number | null
}

async function params(ctx: KpiContext, q: CommunityWindow, kind: string) {
  const w = alignWindow(q.from, q.to, 'hour', ctx.timezone)
  return { ...(await baseParams(ctx, q.communityId)), kind, from: w.from, to: w.to, scan_from: w.scanFrom }
}

/** Availability, trips and faults of every elevator over [from, to) (aligned to hours). */
export async function elevatorKpis(ctx: KpiContext, q: CommunityWindow): Promise<ElevatorKpi[]> {
  return rows<ElevatorKpi>(ctx.clickhouse, ELEVATORS, await params(ctx, q, 'elevator'))
}

/** Run hours, starts and efficiency of every water pump over [from, to) (aligned to hours). */
export async function pumpKpis(ctx: KpiContext, q: CommunityWindow): Promise<PumpKpi[]> {
  return rows<PumpKpi>(ctx.clickhouse, PUMPS, await params(ctx, q, 'water_pump'))
}

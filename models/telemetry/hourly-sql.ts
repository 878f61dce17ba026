/**
 * The one SQL per device kind that turns raw telemetry and events into hourly aggregates per device: the first
 * stage of every model feature, for training (a month of history) and live scoring (the last hours) alike.
 *
 * Telemetry is one row per message with a metrics map, and a lift or pump sends several message shapes (motion
 * samples, stop summaries, heartbeats; running samples, status): each aggregate says which shape it reads by the
 * metric it tests with `has(m, …)`. Ratios are kept as sums (numerator and denominator apart) so a window of any
 * length can be aggregated again exactly; spreads are kept per hour and averaged.
 *
 * The result of each query is `(device_id, community_id, hour, f)` with `f` a Map(String, Float64) of the
 * aggregates below (NaN where an hour had no sample of that shape): the layout of `model_features_1h`.
 */

/** Device kinds the predictive models cover. */
export const PREDICTIVE_KINDS = ['elevator', 'water_pump'] as const
export type PredictiveKind = (typeof PREDICTIVE_KINDS)[number]

/** One hourly aggregate: its name in `f` and the SQL aggregate over the kind's telemetry or events. */
interface Aggregate {
  readonly name: string
  readonly sql: string
}

const STOP = "has(m, 'door_close_s')"
const MOVING = "has(m, 'speed_ms') AND m['speed_ms'] > 0"
const BEAT = "has(m, 'machine_room_c')"

/** Lift telemetry aggregates (stop summaries, motion samples, heartbeats). */
const ELEVATOR_TELEMETRY: readonly Aggregate[] = [
  { name: 'stops', sql: `countIf(${STOP})` },
  { name: 'door_close_s', sql: `avgIf(m['door_close_s'], ${STOP})` },
  { name: 'door_close_sd', sql: `stddevPopIf(m['door_close_s'], ${STOP})` },
  { name: 'door_open_s', sql: `avgIf(m['door_open_s'], ${STOP})` },
  { name: 'door_current_a', sql: `avgIf(m['door_current_a'], ${STOP})` },
  { name: 'door_current_sd', sql: `stddevPopIf(m['door_current_a'], ${STOP})` },
  { name: 'level_error_mm', sql: `avgIf(m['level_error_mm'], ${STOP})` },
  { name: 'level_error_sd', sql: `stddevPopIf(m['level_error_mm'], ${STOP})` },
  { name: 'stop_load_kg', sql: `avgIf(m['load_kg'], ${STOP})` },
  { name: 'moving', sql: `countIf(${MOVING})` },
  { name: 'run_current_a', sql: `avgIf(m['motor_current_a'], ${MOVING})` },
  { name: 'run_current_sq', sql: `avgIf(m['motor_current_a'] * m['motor_current_a'], ${MOVING})` },
  { name: 'empty_moving', sql: `countIf(${MOVING} AND m['load_kg'] = 0)` },
  { name: 'empty_current_a', sql: `avgIf(m['motor_current_a'], ${MOVING} AND m['load_kg'] = 0)` },
  { name: 'run_load_kg', sql: `avgIf(m['load_kg'], ${MOVING})` },
  { name: 'vibration', sql: `avgIf(m['vibration_rms_ms2'], ${MOVING})` },
  { name: 'vibration_sd', sql: `stddevPopIf(m['vibration_rms_ms2'], ${MOVING})` },
  { name: 'vibration_p95', sql: `quantileIf(0.95)(m['vibration_rms_ms2'], ${MOVING})` },
  { name: 'beats', sql: `countIf(${BEAT})` },
  { name: 'temp_rise_c', sql: `avgIf(m['motor_temp_c'] - m['machine_room_c'], ${BEAT})` },
  { name: 'machine_room_c', sql: `avgIf(m['machine_room_c'], ${BEAT})` },
  { name: 'in_service', sql: `avgIf(m['in_service'], ${BEAT})` },
]

const REASON = "JSONExtractString(fields, 'reason')"

/** Lift event counts. */
const ELEVATOR_EVENTS: readonly Aggregate[] = [
  { name: 'trips', sql: "countIf(type = 'trip.end')" },
  { name: 'reopens', sql: "countIf(type = 'door.reopen')" },
  { name: 'faults', sql: "countIf(type = 'fault.raised')" },
  { name: 'repairs', sql: `countIf(type = 'maintenance.end' AND ${REASON} = 'repair')` },
  { name: 'services', sql: `countIf(type = 'maintenance.end' AND ${REASON} = 'scheduled')` },
]

const RUN = "has(m, 'flow_m3h')"
const STATUS = "has(m, 'running')"
const STATUS_RUNNING = "has(m, 'running') AND m['running'] = 1"
const DP = "(m['outlet_pressure_bar'] - m['inlet_pressure_bar'])"

/** Pump telemetry aggregates (running samples, status). */
const PUMP_TELEMETRY: readonly Aggregate[] = [
  { name: 'run_samples', sql: `countIf(${RUN})` },
  { name: 'flow_m3h', sql: `avgIf(m['flow_m3h'], ${RUN})` },
  { name: 'flow_sum', sql: `sumIf(m['flow_m3h'], ${RUN})` },
  { name: 'power_sum', sql: `sumIf(m['power_kw'], ${RUN})` },
  { name: 'hydraulic_sum', sql: `sumIf(m['flow_m3h'] * ${DP}, ${RUN})` },
  { name: 'current_sum', sql: `sumIf(m['motor_current_a'], ${RUN})` },
  // Sums for a per-device least-squares fit of power on (1, flow, flow × head): a leaking seal shows as power
  // above what this pump drew for the same duty point (catalog.ts, power_residual).
  { name: 'flow_sq_sum', sql: `sumIf(m['flow_m3h'] * m['flow_m3h'], ${RUN})` },
  { name: 'flow_hydraulic_sum', sql: `sumIf(m['flow_m3h'] * m['flow_m3h'] * ${DP}, ${RUN})` },
  { name: 'hydraulic_sq_sum', sql: `sumIf(pow(m['flow_m3h'] * ${DP}, 2), ${RUN})` },
  { name: 'power_flow_sum', sql: `sumIf(m['power_kw'] * m['flow_m3h'], ${RUN})` },
  { name: 'power_hydraulic_sum', sql: `sumIf(m['power_kw'] * m['flow_m3h'] * ${DP}, ${RUN})` },
  { name: 'frequency_hz', sql: `avgIf(m['frequency_hz'], ${RUN})` },
  { name: 'inlet_bar', sql: `avgIf(m['inlet_pressure_bar'], ${RUN})` },
  { name: 'inlet_min_bar', sql: `minIf(m['inlet_pressure_bar'], ${RUN})` },
  { name: 'outlet_sd', sql: `stddevPopIf(m['outlet_pressure_bar'], ${RUN})` },
  { name: 'vibration', sql: `avgIf(m['vibration_rms_mms'], ${RUN})` },
  { name: 'vibration_sd', sql: `stddevPopIf(m['vibration_rms_mms'], ${RUN})` },
  { name: 'vibration_p95', sql: `quantileIf(0.95)(m['vibration_rms_mms'], ${RUN})` },
  // ISO 10816 readings scale with speed squared: divide it out so a busy hour does not look like wear.
  {
    name: 'vibration_norm',
    sql: `avgIf(m['vibration_rms_mms'] / (0.35 + 0.65 * pow(m['frequency_hz'] / 50, 2)), ${RUN})`,
  },
  { name: 'motor_temp_c', sql: `avgIf(m['motor_temp_c'], ${RUN})` },
  { name: 'status_samples', sql: `countIf(${STATUS})` },
  { name: 'duty', sql: `avgIf(m['running'], ${STATUS})` },
  { name: 'running_status', sql: `countIf(${STATUS_RUNNING})` },
  { name: 'ripple_bar', sql: `avgIf(m['pressure_ripple_bar'], ${STATUS_RUNNING})` },
  { name: 'bearing_temp_c', sql: `avgIf(m['bearing_temp_c'], ${STATUS_RUNNING})` },
]

/** Pump event counts. */
const PUMP_EVENTS: readonly Aggregate[] = [
  { name: 'starts', sql: "countIf(type = 'pump.start')" },
  { name: 'pressure_starts', sql: `countIf(type = 'pump.start' AND ${REASON} = 'pressure')` },
  { name: 'sump_high', sql: "countIf(type = 'sump.high_level')" },
  { name: 'faults', sql: "countIf(type = 'fault.raised')" },
  { name: 'repairs', sql: `countIf(type = 'maintenance.end' AND ${REASON} = 'repair')` },
  { name: 'services', sql: `countIf(type = 'maintenance.end' AND ${REASON} = 'scheduled')` },
]

const AGGREGATES: Readonly<
  Record<PredictiveKind, { telemetry: readonly Aggregate[]; events: readonly Aggregate[] }>
> = {
  elevator: { telemetry: ELEVATOR_TELEMETRY, events: ELEVATOR_EVENTS },
  water_pump: { telemetry: PUMP_TELEMETRY, events: PUMP_EVENTS },
}

/** Names of the hourly aggregates of a kind, in map order. */
export function hourlyNames(kind: PredictiveKind): string[] {
  const a = AGGREGATES[kind]
  return [...a.telemetry, ...a.events].map((x) => x.name)
}

/**
 * The hourly aggregate query of a kind, over `database`'s tables (default: the connection's). Parameters: `kind` (String), `from` and `to` (Int64 epoch ms, whole hours so
 * that no hour is half-read; milliseconds as integers are unambiguous on chDB and servers alike). Hours with events but no
 * telemetry are dropped: a device that reports nothing is not scored.
 */
export function hourlySql(kind: PredictiveKind, database?: string): string {
  const a = AGGREGATES[kind]
  const from = (table: string) => (database === undefined ? table : `${database}.${table}`)
  const tNames = a.telemetry.map((x) => x.name)
  const eNames = a.events.map((x) => x.name)
  const pairs = [
    ...tNames.map((n) => `'${n}', toFloat64(t.${n})`),
    ...eNames.map((n) => `'${n}', toFloat64(ifNull(e.${n}, 0))`),
  ]
  return `
SELECT t.device_id AS device_id, t.community_id AS community_id, t.hour AS hour,
  map(${pairs.join(',\n    ')}) AS f
FROM (
  SELECT device_id, any(community_id) AS community_id, toStartOfHour(ts) AS hour,
    ${a.telemetry.map((x) => `${x.sql} AS ${x.name}`).join(',\n    ')}
  FROM ${from('telemetry')}
  WHERE kind = {kind:String} AND ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  GROUP BY device_id, hour
) AS t
LEFT JOIN (
  SELECT device_id, toStartOfHour(ts) AS hour,
    ${a.events.map((x) => `${x.sql} AS ${x.name}`).join(',\n    ')}
  FROM ${from('device_events')}
  WHERE kind = {kind:String} AND ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  GROUP BY device_id, hour
) AS e ON e.device_id = t.device_id AND e.hour = t.hour
SETTINGS join_use_nulls = 1`
}

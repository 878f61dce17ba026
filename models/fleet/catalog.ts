/**
 * What the predictive models look at, per device kind: window statistics over the hourly aggregates
 * (telemetry/hourly-sql.ts), each with the unit and wording maintenance sees in an alert's evidence. These are
 * the signals engineers watch for the faults the issue names (see ingest/simulator/README.md):
 *
 * - lifts: door close time, its relative scatter, door motor current and reversals per stop (door operator wear);
 *   motor temperature rise over the machine room per unit of I² work, and current of empty runs (overheating);
 *   levelling error and its scatter, start/stop vibration (brake wear);
 * - pumps: speed-normalised vibration and its scatter, bearing temperature (bearing wear); suction pressure,
 *   outlet pressure scatter and ripple (cavitation); electrical power per hydraulic work and per m³, restarts on
 *   pressure loss and sump alarms (seal leak).
 *
 * Context statistics (traffic, load, machine-room temperature, flow, speed) go in too, so a model can tell a busy
 * or cold day from wear. Every statistic is a ratio of sums over hours, so any window aggregates exactly.
 */
import type { PredictiveKind } from '../telemetry/hourly-sql.ts'

type Cells = Readonly<Record<string, number | null>>

/** A window statistic: Σ num / Σ den over the window's hours (hours with a non-finite part are skipped). */
export interface WindowStat {
  readonly num: (f: Cells) => number
  readonly den: (f: Cells) => number
  /** Smallest denominator sum that gives a usable value (e.g. 20 stops). */
  readonly minDen: number
}

/**
 * A per-device least-squares fit of a target on a few basis functions, over the baseline window: the feature is
 * then the target's relative residual (%) against that fit, e.g. a pump's power above what it drew at the same
 * flow and head. Named hourly sums (telemetry/hourly-sql.ts) carry the normal equations, so a window of any
 * length aggregates exactly. The first basis function is the constant 1 (its sum is the sample count).
 */
export interface RegressionDef {
  /** Σ φ_i φ_j, k × k hourly sums (symmetric). */
  readonly gram: readonly (readonly string[])[]
  /** Σ φ_i · y. */
  readonly cross: readonly string[]
  /** Σ y. */
  readonly target: string
}

/** One model feature before normalisation. */
export interface FeatureDef {
  readonly name: string
  /** What maintenance reads in the evidence (zh-CN first). */
  readonly label: string
  readonly unit: string
  readonly stat: WindowStat
  /**
   * Smallest scale of the device's normal range, in the feature's unit: a device whose baseline is unusually
   * steady must not turn a trivial change into a large deviation.
   */
  readonly floor: number
  /** Context: shown to the model, never offered as evidence of wear. */
  readonly context?: boolean
  /** When set, the feature is this fit's residual (%); `stat` then only counts the samples (its denominator). */
  readonly regression?: RegressionDef
}

const v = (f: Cells, name: string): number => {
  const x = f[name]
  return x === null || x === undefined ? Number.NaN : x
}

/** Σ value·weight / Σ weight: the mean of an hourly mean, weighted by its sample count. */
function mean(value: string, weight: string, minDen: number): WindowStat {
  return { num: (f) => v(f, value) * v(f, weight), den: (f) => v(f, weight), minDen }
}

/** Σ a / Σ b. */
function ratio(a: string, b: string, minDen: number): WindowStat {
  return { num: (f) => v(f, a), den: (f) => v(f, b), minDen }
}

export const ELEVATOR_FEATURES: readonly FeatureDef[] = [
  {
    name: 'door_close_s',
    label: '关门时间 door close time',
    unit: 's',
    stat: mean('door_close_s', 'stops', 20),
    floor: 0.03,
  },
  {
    name: 'door_close_cv',
    label: '关门时间离散度 door close scatter',
    unit: '%',
    stat: {
      num: (f) => (100 * v(f, 'door_close_sd') * v(f, 'stops')) / v(f, 'door_close_s'),
      den: (f) => v(f, 'stops'),
      minDen: 20,
    },
    floor: 0.3,
  },
  {
    name: 'door_open_s',
    label: '开门时间 door open time',
    unit: 's',
    stat: mean('door_open_s', 'stops', 20),
    floor: 0.03,
  },
  {
    name: 'door_current_a',
    label: '门机电流 door motor current',
    unit: 'A',
    stat: mean('door_current_a', 'stops', 20),
    floor: 0.01,
  },
  {
    name: 'reopen_rate',
    label: '重开门率 door reversals per stop',
    unit: '%',
    stat: { num: (f) => 100 * v(f, 'reopens'), den: (f) => v(f, 'stops'), minDen: 20 },
    floor: 0.5,
  },
  {
    name: 'level_error_mm',
    label: '平层误差 levelling error',
    unit: 'mm',
    stat: mean('level_error_mm', 'stops', 20),
    floor: 0.1,
  },
  {
    name: 'level_error_sd',
    label: '平层误差离散度 levelling scatter',
    unit: 'mm',
    stat: mean('level_error_sd', 'stops', 20),
    floor: 0.05,
  },
  {
    name: 'vibration',
    label: '轿厢振动 car vibration (RMS)',
    unit: 'm/s²',
    stat: mean('vibration', 'moving', 30),
    floor: 0.001,
  },
  {
    name: 'vibration_p95',
    label: '振动峰值 vibration p95',
    unit: 'm/s²',
    stat: mean('vibration_p95', 'moving', 30),
    floor: 0.002,
  },
  {
    name: 'vibration_sd',
    label: '振动离散度 vibration scatter',
    unit: 'm/s²',
    stat: mean('vibration_sd', 'moving', 30),
    floor: 0.001,
  },
  {
    name: 'thermal_rise',
    label: '电机温升/负荷 motor heating per I² work',
    unit: 'K/kA²',
    stat: {
      num: (f) => v(f, 'temp_rise_c') * 1000,
      den: (f) => (v(f, 'run_current_sq') * v(f, 'moving')) / 720,
      minDen: 0.5,
    },
    floor: 0.5,
  },
  {
    name: 'temp_rise_c',
    label: '电机温升 motor temperature over machine room',
    unit: 'K',
    stat: mean('temp_rise_c', 'beats', 60),
    floor: 0.2,
  },
  {
    name: 'empty_current_a',
    label: '空载运行电流 empty-car current',
    unit: 'A',
    stat: mean('empty_current_a', 'empty_moving', 10),
    floor: 0.05,
  },
  {
    name: 'run_current_a',
    label: '运行电流 running current',
    unit: 'A',
    stat: mean('run_current_a', 'moving', 30),
    floor: 0.05,
    context: true,
  },
  {
    name: 'stops_per_h',
    label: '停站数 stops per hour',
    unit: '/h',
    stat: { num: (f) => v(f, 'stops'), den: (f) => (Number.isFinite(v(f, 'beats')) ? 1 : 0), minDen: 1 },
    floor: 1,
    context: true,
  },
  {
    name: 'stop_load_kg',
    label: '停站载重 load at stops',
    unit: 'kg',
    stat: mean('stop_load_kg', 'stops', 20),
    floor: 5,
    context: true,
  },
  {
    name: 'machine_room_c',
    label: '机房温度 machine-room temperature',
    unit: '°C',
    stat: mean('machine_room_c', 'beats', 60),
    // A few days of baseline rarely hold a weather front: without a wide floor a cold spell reads as ±12 spreads.
    floor: 2,
    context: true,
  },
]

export const PUMP_FEATURES: readonly FeatureDef[] = [
  {
    name: 'vibration_norm',
    label: '振动(转速归一) vibration, speed-normalised',
    unit: 'mm/s',
    stat: mean('vibration_norm', 'run_samples', 60),
    floor: 0.02,
  },
  {
    name: 'vibration_sd',
    label: '振动离散度 vibration scatter',
    unit: 'mm/s',
    stat: mean('vibration_sd', 'run_samples', 60),
    floor: 0.005,
  },
  {
    name: 'vibration_p95',
    label: '振动峰值 vibration p95',
    unit: 'mm/s',
    stat: mean('vibration_p95', 'run_samples', 60),
    floor: 0.03,
  },
  {
    name: 'bearing_temp_c',
    label: '轴承温度 bearing temperature',
    unit: '°C',
    stat: mean('bearing_temp_c', 'running_status', 10),
    floor: 0.3,
  },
  {
    name: 'bearing_over_motor_c',
    label: '轴承-电机温差 bearing over motor temperature',
    unit: 'K',
    stat: {
      num: (f) =>
        (v(f, 'bearing_temp_c') - v(f, 'motor_temp_c')) *
        Math.min(v(f, 'running_status'), v(f, 'run_samples') / 12),
      den: (f) => Math.min(v(f, 'running_status'), v(f, 'run_samples') / 12),
      minDen: 10,
    },
    floor: 0.3,
  },
  {
    name: 'inlet_bar',
    label: '进口压力 suction pressure',
    unit: 'bar',
    stat: mean('inlet_bar', 'run_samples', 60),
    floor: 0.01,
  },
  {
    name: 'inlet_min_bar',
    label: '进口最低压力 lowest suction pressure',
    unit: 'bar',
    stat: mean('inlet_min_bar', 'run_samples', 60),
    floor: 0.01,
  },
  {
    name: 'outlet_sd',
    label: '出口压力波动 outlet pressure scatter',
    unit: 'bar',
    stat: mean('outlet_sd', 'run_samples', 60),
    floor: 0.001,
  },
  {
    name: 'ripple_bar',
    label: '压力脉动 pressure ripple',
    unit: 'bar',
    stat: mean('ripple_bar', 'running_status', 10),
    floor: 0.001,
  },
  {
    name: 'power_per_hydraulic',
    label: '单位水力功耗 power per hydraulic work',
    unit: 'kW/(m³/h·bar)',
    stat: ratio('power_sum', 'hydraulic_sum', 100),
    floor: 0.0005,
  },
  {
    name: 'power_per_flow',
    label: '单位流量功耗 power per m³/h',
    unit: 'kW/(m³/h)',
    stat: ratio('power_sum', 'flow_sum', 100),
    floor: 0.002,
  },
  {
    name: 'power_residual',
    label: '功耗偏差(同工况) power above normal for the same flow and head',
    unit: '%',
    stat: mean('power_sum', 'run_samples', 120),
    floor: 0.3,
    regression: {
      gram: [
        ['run_samples', 'flow_sum', 'hydraulic_sum'],
        ['flow_sum', 'flow_sq_sum', 'flow_hydraulic_sum'],
        ['hydraulic_sum', 'flow_hydraulic_sum', 'hydraulic_sq_sum'],
      ],
      cross: ['power_sum', 'power_flow_sum', 'power_hydraulic_sum'],
      target: 'power_sum',
    },
  },
  {
    name: 'pressure_starts',
    label: '失压启动 restarts on pressure loss',
    unit: '/day',
    stat: {
      num: (f) => 24 * v(f, 'pressure_starts'),
      den: (f) => (Number.isFinite(v(f, 'status_samples')) ? 1 : 0),
      minDen: 1,
    },
    floor: 0.5,
  },
  {
    name: 'sump_high',
    label: '集水坑高液位 sump high-level alarms',
    unit: '/day',
    stat: {
      num: (f) => 24 * v(f, 'sump_high'),
      den: (f) => (Number.isFinite(v(f, 'status_samples')) ? 1 : 0),
      minDen: 1,
    },
    floor: 0.5,
  },
  {
    name: 'motor_temp_c',
    label: '电机温度 motor temperature',
    unit: '°C',
    stat: mean('motor_temp_c', 'run_samples', 60),
    floor: 0.3,
    context: true,
  },
  {
    name: 'flow_m3h',
    label: '流量 flow',
    unit: 'm³/h',
    stat: mean('flow_m3h', 'run_samples', 60),
    floor: 0.1,
    context: true,
  },
  {
    name: 'frequency_hz',
    label: '频率 drive frequency',
    unit: 'Hz',
    stat: mean('frequency_hz', 'run_samples', 60),
    floor: 0.2,
    context: true,
  },
  {
    name: 'duty',
    label: '运行占比 duty',
    unit: '%',
    stat: {
      num: (f) => 100 * v(f, 'duty') * v(f, 'status_samples'),
      den: (f) => v(f, 'status_samples'),
      minDen: 60,
    },
    floor: 2,
    context: true,
  },
]

/** The hourly sums the catalog's regressions read, each once. */
export function regressionColumns(catalog: readonly FeatureDef[]): string[] {
  const names = new Set<string>()
  for (const f of catalog) {
    if (!f.regression) continue
    for (const row of f.regression.gram) for (const n of row) names.add(n)
    for (const n of f.regression.cross) names.add(n)
    names.add(f.regression.target)
  }
  return [...names]
}

/** The feature catalog of a kind. */
export function featureCatalog(kind: PredictiveKind): readonly FeatureDef[] {
  return kind === 'elevator' ? ELEVATOR_FEATURES : PUMP_FEATURES
}

/** Bumped whenever a definition above changes meaning: saved models record it, scoring refuses a mismatch. */
export const CATALOG_VERSION = 2

/**
 * The fault injector: which lifts and pumps degrade (and when they fail and are repaired), which water meters leak,
 * which sensors stick and which devices drop off the network, plus benign "confounder" episodes (a flat being
 * renovated: heavy lift loads for days) that models must not mistake for wear.
 *
 * Faults are drawn per device per 28-day block of the calendar (from EPOCH), each block from its own stream keyed
 * by (seed, category, device, block). The plan is therefore a function of the calendar, not of the simulation's
 * start: a simulator restarted mid-degradation continues the same fault, and the ground truth of overlapping runs
 * agrees. A block's candidate is dropped when the previous block's candidate (drawn the same way) still overlaps it.
 */
import type { Device, DeviceKind } from '../../data/index.ts'
import { DAY, EPOCH, HOUR, MINUTE } from './calendar.ts'
import { createRng } from './rng.ts'
import type { Rng } from './rng.ts'

export const ELEVATOR_FAULTS = ['door_bearing_wear', 'motor_overheat', 'brake_wear'] as const
export const PUMP_FAULTS = ['bearing_wear', 'cavitation', 'seal_leak'] as const
export type ElevatorFault = (typeof ELEVATOR_FAULTS)[number]
export type PumpFault = (typeof PUMP_FAULTS)[number]
export type DegradationFault = ElevatorFault | PumpFault
export type FaultCategory = 'degradation' | 'meter_leak' | 'stuck_sensor' | 'offline' | 'confounder'
export type FaultName = DegradationFault | 'meter_leak' | 'stuck_sensor' | 'offline' | 'renovation_traffic'

/** One injected fault: a line of the ground truth. Times are epoch ms. */
export interface InjectedFault {
  readonly deviceId: string
  readonly communityId: string
  readonly kind: DeviceKind
  readonly category: FaultCategory
  readonly fault: FaultName
  /** Degradation onset; start of a leak, a stuck window, an outage or an episode. */
  readonly onset: number
  /** When a degrading device fails (status `fault`); null for the other categories. */
  readonly failure: number | null
  /** Back to normal: repaired, leak fixed, sensor or link recovered, episode over. */
  readonly end: number
  /**
   * Degradation: `repairStart` (status `maintenance`) and `curve` (severity = progress^curve). Leak: `rateM3h`.
   * Stuck sensor: `metrics` ("all" or a comma-separated list). Renovation: `scope` "entrance", `floorShare` (which
   * floor, as a share of the building's height).
   */
  readonly detail: Readonly<Record<string, number | string>>
}

/** Chance that a fault of each category starts in a given 28-day block, per eligible device. */
export interface FaultRates {
  readonly elevatorDegradation: number
  readonly pumpDegradation: number
  /** Per water meter. */
  readonly meterLeak: number
  /** Per meter, environment sensor, people counter or pump. */
  readonly stuckSensor: number
  /** Per device of any kind. */
  readonly offline: number
  /** Per entrance with lifts (drawn on its fire lift): a flat is being renovated. */
  readonly renovation: number
}

/**
 * Far above real failure rates on purpose: a two-week replay of the default community (39 lifts, 11 pumps) should
 * hold a few failures of each kind to train and score models on.
 */
export const defaultFaultRates: FaultRates = {
  elevatorDegradation: 0.3,
  pumpDegradation: 0.35,
  meterLeak: 0.02,
  stuckSensor: 0.01,
  offline: 0.015,
  renovation: 0.12,
}

/** A fault to inject at a given time, for tests and experiments. Missing times get sensible defaults. */
export interface FaultInjection {
  readonly deviceId: string
  readonly fault: FaultName
  readonly onset: number
  /** Degradations: failure time (default onset + 5 days). */
  readonly failure?: number
  /** Default: failure + 8 h for degradations, onset + 1 day otherwise. */
  readonly end?: number
  readonly detail?: Readonly<Record<string, number | string>>
}

export interface FaultOptions {
  /** Random fault rates; missing ones use `defaultFaultRates`. Set all to 0 for a clean run. */
  readonly rates?: Partial<FaultRates>
  /** Faults injected exactly as given (random ones of the same category overlapping them are dropped). */
  readonly inject?: readonly FaultInjection[]
}

/** Length of a planning block. */
export const BLOCK = 28 * DAY

const STUCK_KINDS: ReadonlySet<DeviceKind> = new Set([
  'electricity_meter',
  'water_meter',
  'env_sensor',
  'people_counter',
  'water_pump',
])
/** Pump sensors that can stick (the others are computed by the drive itself). */
const PUMP_STUCK_METRICS = ['outlet_pressure_bar', 'vibration_rms_mms', 'motor_temp_c'] as const

function categoryOf(fault: FaultName): FaultCategory {
  switch (fault) {
    case 'meter_leak':
    case 'stuck_sensor':
    case 'offline':
      return fault
    case 'renovation_traffic':
      return 'confounder'
    case 'door_bearing_wear':
    case 'motor_overheat':
    case 'brake_wear':
    case 'bearing_wear':
    case 'cavitation':
    case 'seal_leak':
      return 'degradation'
  }
}

type Draft = Omit<InjectedFault, 'deviceId' | 'communityId' | 'kind'>

function draftDegradation(rng: Rng, device: Device, onset: number): Draft {
  const fault = rng.pick<DegradationFault>(device.kind === 'elevator' ? ELEVATOR_FAULTS : PUMP_FAULTS)
  // Days of visible wear before the failure: long enough for a 48 h warning, short enough to fit a replay.
  const failure = Math.round(onset + rng.uniform(3, 12) * DAY)
  const repairStart = Math.round(failure + rng.uniform(1, 6) * HOUR)
  return {
    category: 'degradation',
    fault,
    onset,
    failure,
    end: Math.round(repairStart + rng.uniform(2, 20) * HOUR),
    detail: { repairStart, curve: Math.round(rng.uniform(1.6, 2.6) * 100) / 100 },
  }
}

/** The candidate of one category for one device in one block, or null. Pure in (seed, category, device, block). */
function candidate(
  seed: number,
  category: FaultCategory,
  device: Device,
  block: number,
  rate: number,
): Draft | null {
  const rng = createRng(seed, 'fault', category, device.id, block)
  // Draw the chance first so that changing a rate never moves the faults that remain.
  const hit = rng.next() < rate
  const onset = Math.round(EPOCH + block * BLOCK + rng.next() * BLOCK)
  if (!hit) return null
  switch (category) {
    case 'degradation':
      return draftDegradation(rng, device, onset)
    case 'meter_leak':
      return {
        category,
        fault: 'meter_leak',
        onset,
        failure: null,
        end: Math.round(onset + rng.uniform(2, 21) * DAY),
        // A running toilet cistern (5–60 L/h).
        detail: { rateM3h: Math.round(rng.uniform(0.005, 0.06) * 10000) / 10000 },
      }
    case 'stuck_sensor':
      return {
        category,
        fault: 'stuck_sensor',
        onset,
        failure: null,
        end: Math.round(onset + Math.exp(rng.uniform(Math.log(3 * HOUR), Math.log(3 * DAY)))),
        detail: { metrics: device.kind === 'water_pump' ? rng.pick(PUMP_STUCK_METRICS) : 'all' },
      }
    case 'offline':
      return {
        category,
        fault: 'offline',
        onset,
        failure: null,
        end: Math.round(onset + Math.exp(rng.uniform(Math.log(10 * MINUTE), Math.log(DAY)))),
        detail: {},
      }
    case 'confounder':
      return {
        category,
        fault: 'renovation_traffic',
        onset,
        failure: null,
        end: Math.round(onset + rng.uniform(5, 14) * DAY),
        detail: { scope: 'entrance', floorShare: Math.round(rng.next() * 1000) / 1000 },
      }
  }
}

function rateFor(category: FaultCategory, device: Device, rates: FaultRates): number {
  const kind = device.kind
  switch (category) {
    case 'degradation':
      return kind === 'elevator'
        ? rates.elevatorDegradation
        : kind === 'water_pump'
          ? rates.pumpDegradation
          : 0
    case 'meter_leak':
      return kind === 'water_meter' ? rates.meterLeak : 0
    case 'stuck_sensor':
      return STUCK_KINDS.has(kind) ? rates.stuckSensor : 0
    case 'offline':
      return rates.offline
    case 'confounder':
      // Renovation happens to an entrance; its first lift (the fire lift) carries the record.
      return kind === 'elevator' && device.spec.role === 'fire' ? rates.renovation : 0
  }
}

const CATEGORIES: readonly FaultCategory[] = [
  'degradation',
  'meter_leak',
  'stuck_sensor',
  'offline',
  'confounder',
]

function overlaps(a: { onset: number; end: number }, b: { onset: number; end: number }, margin = 0): boolean {
  return a.onset < b.end + margin && b.onset < a.end + margin
}

/** Turns an injection into a full record, with defaults. */
function fromInjection(device: Device, f: FaultInjection): InjectedFault {
  const category = categoryOf(f.fault)
  const failure = category === 'degradation' ? (f.failure ?? f.onset + 5 * DAY) : null
  const end = f.end ?? (failure !== null ? failure + 8 * HOUR : f.onset + DAY)
  const defaults: Record<string, number | string> =
    category === 'degradation'
      ? { repairStart: Math.min(end, (failure as number) + 2 * HOUR), curve: 2 }
      : category === 'meter_leak'
        ? { rateM3h: 0.02 }
        : category === 'stuck_sensor'
          ? { metrics: 'all' }
          : {}
  return {
    deviceId: device.id,
    communityId: device.communityId,
    kind: device.kind,
    category,
    fault: f.fault,
    onset: f.onset,
    failure,
    end,
    detail: { ...defaults, ...f.detail },
  }
}

/**
 * Every fault that overlaps [from, to) for `devices`, sorted by onset then device id. Throws a RangeError for an
 * injection that names an unknown device or a fault its kind cannot have.
 */
export function planFaults(
  devices: readonly Device[],
  seed: number,
  from: number,
  to: number,
  options: FaultOptions = {},
): InjectedFault[] {
  const rates: FaultRates = { ...defaultFaultRates, ...options.rates }
  const byId = new Map(devices.map((d) => [d.id, d]))
  const injected = (options.inject ?? []).map((f) => {
    const device = byId.get(f.deviceId)
    if (!device) throw new RangeError(`fault injection names unknown device "${f.deviceId}"`)
    const record = fromInjection(device, f)
    if (record.category === 'degradation') {
      const allowed: readonly string[] = device.kind === 'elevator' ? ELEVATOR_FAULTS : PUMP_FAULTS
      if (!allowed.includes(record.fault))
        throw new RangeError(`a ${device.kind} cannot have ${record.fault}`)
    }
    return record
  })
  const firstBlock = Math.floor((from - EPOCH) / BLOCK) - 1
  const lastBlock = Math.floor((to - EPOCH) / BLOCK)
  const out: InjectedFault[] = [...injected.filter((f) => f.end > from && f.onset < to)]
  for (const device of devices) {
    const mine = injected.filter((f) => f.deviceId === device.id)
    for (const category of CATEGORIES) {
      const rate = rateFor(category, device, rates)
      if (rate <= 0) continue
      let previous = candidate(seed, category, device, firstBlock - 1, rate)
      for (let block = firstBlock; block <= lastBlock; block++) {
        const draft = candidate(seed, category, device, block, rate)
        const keep =
          draft !== null &&
          !(previous !== null && overlaps(previous, draft, DAY)) &&
          !mine.some((f) => f.category === category && overlaps(f, draft, DAY)) &&
          // A lift or pump under repair is not also "offline": its status already says why it is silent.
          !(
            category === 'offline' &&
            out.some(
              (f) => f.deviceId === device.id && f.category === 'degradation' && overlaps(f, draft, HOUR),
            )
          )
        if (keep && draft.end > from && draft.onset < to) {
          out.push({ deviceId: device.id, communityId: device.communityId, kind: device.kind, ...draft })
        }
        previous = draft
      }
    }
  }
  return out.sort(
    (a, b) => a.onset - b.onset || (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0),
  )
}

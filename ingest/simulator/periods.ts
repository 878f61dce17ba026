/**
 * How often each kind of device reports, in milliseconds. The defaults follow what such devices do in Chinese
 * residential estates: smart electricity meters collected over HPLC (load curve points), NB-IoT water meters
 * (battery-bound, so sparse), lift and pump controllers streaming while they work, LoRaWAN environment sensors,
 * NB-IoT smoke detectors with an hourly heartbeat. Every value can be overridden.
 */
import { HOUR, MINUTE, SECOND } from './calendar.ts'

export interface ReportingPeriods {
  /** A household's or shop's electricity meter. */
  readonly householdElectricity: number
  /** Public electricity meters (stair lighting, lifts, pumps, garage, clubhouse): RS485 to the building gateway. */
  readonly publicElectricity: number
  /** A household's NB-IoT water meter. */
  readonly householdWater: number
  /** Public water meters (pump-room supply, clubhouse, kindergarten). */
  readonly publicWater: number
  /** A lift while its car moves or its doors work. */
  readonly elevatorActive: number
  /** A lift's heartbeat (position, temperatures, counters), always. */
  readonly elevatorIdle: number
  /** A pump while it runs. */
  readonly pumpRunning: number
  /** A pump's status and counters, always. */
  readonly pumpStatus: number
  readonly peopleCounter: number
  /** Turnstiles, door stations and barriers: counts since the last heartbeat. */
  readonly accessHeartbeat: number
  readonly envSensor: number
  readonly streetLight: number
  readonly smokeDetector: number
  readonly firePanel: number
}

export const defaultPeriods = {
  householdElectricity: 5 * MINUTE,
  publicElectricity: MINUTE,
  householdWater: 15 * MINUTE,
  publicWater: MINUTE,
  elevatorActive: 5 * SECOND,
  elevatorIdle: MINUTE,
  pumpRunning: 5 * SECOND,
  pumpStatus: MINUTE,
  peopleCounter: MINUTE,
  accessHeartbeat: 5 * MINUTE,
  envSensor: 5 * MINUTE,
  streetLight: 15 * MINUTE,
  smokeDetector: HOUR,
  firePanel: 5 * MINUTE,
} as const satisfies ReportingPeriods

/** Defaults overridden by `overrides`; throws a RangeError for a period that is not a positive whole second. */
export function resolvePeriods(overrides: Partial<ReportingPeriods> = {}): ReportingPeriods {
  const periods: ReportingPeriods = { ...defaultPeriods, ...overrides }
  for (const [name, value] of Object.entries(periods)) {
    if (!Number.isInteger(value) || value < SECOND || value % SECOND !== 0) {
      throw new RangeError(
        `reporting period ${name} must be a whole number of seconds in ms, got ${String(value)}`,
      )
    }
  }
  return periods
}

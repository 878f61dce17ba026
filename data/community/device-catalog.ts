/**
 * What devices are: model strings in the naming style of Chinese equipment (DDZY smart meters, LXSY water meters,
 * JTY-GD smoke detectors, JB-QB fire panels; the brands are synthetic), and when they were installed: with the
 * building, or in one of the retrofit waves (smart meters, NB-IoT water meters, face-recognition access, LED
 * lighting) that older estates went through.
 */
import type { Device, DeviceKind, Vec3 } from './types.ts'
import type { Rng } from './rng.ts'
import { randomDayInYears } from './dates.ts'

export const MODELS = {
  unitElectricity: 'DDZY285-Z',
  publicElectricity: 'DTZY285',
  unitWater: 'LXSY-20E',
  supplyWater: 'LXLC-100E',
  smoke: 'JTY-GD-S100',
  firePanel: 'JB-QB-FA200',
  turnstile: 'ZJ-FG320',
  doorStation: 'MJ-FR210',
  peopleCounter: 'PC-3D200',
  barrier: 'DZ-LPR600',
  envSensor: 'ENV-6S-LoRa',
  streetLight: 'LED-SL60-NB',
} as const

/** Synthetic lift makers: brand and series used in the model string. */
export const ELEVATOR_MAKERS: readonly { readonly brand: string; readonly series: string }[] = [
  { brand: '恒通电梯', series: 'HT-MRL' },
  { brand: '迅升电梯', series: 'XS-Neo' },
  { brand: '嘉力电梯', series: 'JL-3000' },
  { brand: '华梯电梯', series: 'HT-Arc' },
  { brand: '永安电梯', series: 'YA-Evo' },
]

/** Synthetic pump makers: brand and series (vertical multistage pumps, as secondary supply sets use). */
export const PUMP_MAKERS: readonly { readonly brand: string; readonly series: string }[] = [
  { brand: '清源泵业', series: 'QYL' },
  { brand: '丰沃泵业', series: 'FWV' },
  { brand: '川流泵业', series: 'CLG' },
]

/**
 * Install date for a device of `kind` in something completed in `builtYear`: the handover year, or a later
 * retrofit year where older estates were commonly refitted. Never before `builtYear`, never after the reference
 * date.
 */
export function installDate(rng: Rng, kind: DeviceKind, builtYear: number): string {
  const handover = () => randomDayInYears(rng, builtYear, builtYear)
  const retrofit = (from: number, to: number) =>
    randomDayInYears(rng, Math.max(builtYear, from), Math.max(builtYear, to))
  switch (kind) {
    case 'electricity_meter':
      return builtYear < 2014 && rng.chance(0.85) ? retrofit(2014, 2021) : handover()
    case 'water_meter':
      return builtYear < 2018 && rng.chance(0.7) ? retrofit(2018, 2023) : handover()
    case 'elevator':
      return builtYear <= 2008 && rng.chance(0.25) ? retrofit(2018, 2024) : handover()
    case 'water_pump':
      // Pumps wear out: past ten years most have been replaced once.
      return 2025 - builtYear > 10 && rng.chance(0.6) ? retrofit(builtYear + 8, builtYear + 12) : handover()
    case 'fire_panel':
      return builtYear < 2012 && rng.chance(0.5) ? retrofit(2016, 2023) : handover()
    case 'smoke_detector':
      return builtYear < 2010 ? retrofit(2019, 2023) : handover()
    case 'access_gate':
    case 'people_counter':
    case 'env_sensor':
      return retrofit(2019, 2024)
    case 'parking_barrier':
      return retrofit(2016, 2023)
    case 'street_light':
      return builtYear <= 2015 && rng.chance(0.7) ? retrofit(2016, 2022) : handover()
  }
}

/** Short codes used in device ids, e.g. `c01-dev-em-b03-e2-1502`. */
export const KIND_CODES: Readonly<Record<DeviceKind, string>> = {
  electricity_meter: 'em',
  water_meter: 'wm',
  elevator: 'el',
  water_pump: 'wp',
  access_gate: 'ag',
  people_counter: 'pc',
  parking_barrier: 'pb',
  fire_panel: 'fp',
  smoke_detector: 'sd',
  env_sensor: 'es',
  street_light: 'sl',
}

export interface DeviceFields {
  readonly kind: DeviceKind
  /** Id tail after the kind code; only [A-Za-z0-9_-]. */
  readonly tail: string
  readonly model: string
  readonly builtYear: number
  readonly position: Vec3
  readonly buildingId?: string | null
  readonly unitId?: string | null
  readonly gateId?: string | null
  readonly lotId?: string | null
  readonly public?: boolean
  readonly spec?: Readonly<Record<string, number | string>>
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}

/** Builds a device with a stable key order (so JSON output is byte-stable) and its install date. */
export function makeDevice(rng: Rng, communityId: string, f: DeviceFields): Device {
  return {
    id: `${communityId}-dev-${KIND_CODES[f.kind]}-${f.tail}`,
    communityId,
    kind: f.kind,
    model: f.model,
    installDate: installDate(rng, f.kind, f.builtYear),
    position: [f.position[0], f.position[1], round2(f.position[2])],
    buildingId: f.buildingId ?? null,
    unitId: f.unitId ?? null,
    gateId: f.gateId ?? null,
    lotId: f.lotId ?? null,
    public: f.public ?? false,
    spec: f.spec ?? {},
  }
}

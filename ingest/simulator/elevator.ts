/**
 * Lift physics and the features a lift controller reports, as pure functions of the lift's nameplate, its drawn
 * traits, its health and the moment's load and temperature.
 *
 * Fault signatures (each grows with severity s, 0 → 1 at failure), chosen to be what maintenance engineers watch:
 * - door_bearing_wear: the door operator's close (and less so open) stroke lengthens and gets jerkier, the door
 *   motor draws more current, reversals (door.reopen) grow frequent. Confounded by cold (stiff grease in winter),
 *   crowding, and the lubrication cycle of the fortnightly maintenance, which healthy lifts show too.
 * - motor_overheat: the machine's thermal resistance rises (failing fan, clogged vents), so the temperature rise per
 *   unit of work grows, and current for the same load creeps up. Confounded by the machine-room temperature
 *   (season, afternoon sun) and by traffic (rush hours heat every motor).
 * - brake_wear: levelling error at stops drifts and scatters, and start/stop jolts raise vibration RMS and its
 *   variance. Confounded by load (heavy cars overshoot) and renovation traffic.
 */
import type { Building, Device } from '../../data/index.ts'
import type { Health } from './degradation.ts'
import type { Rng } from './rng.ts'

/** Height of one garage level, metres (as the community generator uses). */
const GARAGE_LEVEL = 3.6
const ACCELERATION = 0.8
const COUNTERWEIGHT_BALANCE = 0.45

/** What a lift is, from its nameplate. */
export interface LiftSpec {
  readonly ratedLoadKg: number
  readonly ratedSpeed: number
  readonly lowestFloor: number
  readonly topFloor: number
  readonly floorHeight: number
  /** Motor rated current, A (from rated load, speed and the counterweight balance). */
  readonly ratedCurrentA: number
}

export function liftSpec(device: Device, building: Building | undefined): LiftSpec {
  const ratedLoadKg = Number(device.spec.ratedLoadKg ?? 1000)
  const ratedSpeed = Number(device.spec.ratedSpeedMs ?? 1.75)
  const kw = (ratedLoadKg * 9.81 * ratedSpeed * (1 - COUNTERWEIGHT_BALANCE)) / (0.85 * 1000)
  return {
    ratedLoadKg,
    ratedSpeed,
    lowestFloor: Number(device.spec.lowestFloor ?? 1),
    topFloor: Number(device.spec.topFloor ?? building?.floors ?? 10),
    floorHeight: building?.floorHeight ?? 2.9,
    ratedCurrentA: (kw * 1000) / (Math.sqrt(3) * 380 * 0.9),
  }
}

/** Height of a floor's sill above ground, metres (floor 1 is at 0; basements below). */
export function heightOf(spec: LiftSpec, floor: number): number {
  return floor >= 1 ? (floor - 1) * spec.floorHeight : floor * GARAGE_LEVEL
}

/** Seconds a run of `distance` metres takes with a trapezoidal speed profile. */
export function runSeconds(spec: LiftSpec, distance: number): number {
  const v = spec.ratedSpeed
  if (distance <= 0) return 0
  if (distance >= (v * v) / ACCELERATION) return distance / v + v / ACCELERATION
  return 2 * Math.sqrt(distance / ACCELERATION)
}

/** Position travelled and speed `tau` seconds into a run of `distance` metres; `ramping` while accelerating. */
export function runState(
  spec: LiftSpec,
  distance: number,
  tau: number,
  out: { travelled: number; speed: number; ramping: boolean },
): void {
  const total = runSeconds(spec, distance)
  const vmax = Math.min(spec.ratedSpeed, Math.sqrt(distance * ACCELERATION))
  const ramp = vmax / ACCELERATION
  const t = Math.min(Math.max(0, tau), total)
  if (t < ramp) {
    out.speed = ACCELERATION * t
    out.travelled = 0.5 * ACCELERATION * t * t
    out.ramping = true
  } else if (t > total - ramp) {
    const r = total - t
    out.speed = ACCELERATION * r
    out.travelled = distance - 0.5 * ACCELERATION * r * r
    out.ramping = true
  } else {
    out.speed = vmax
    out.travelled = 0.5 * vmax * ramp + vmax * (t - ramp)
    out.ramping = false
  }
}

/** Trips and run hours of a lift `ageYears` old before the simulation: ~350 trips a day of ~40 s running. */
export function liftLifetime(ageYears: number, rng: Rng): { runHours: number; trips: number } {
  const trips = Math.round(Math.max(0, ageYears) * 365 * 350 * rng.uniform(0.7, 1.3))
  return { trips, runHours: (trips * 40) / 3600 }
}

/** A lift's own constants, drawn once: no two lifts have the same baselines. */
export interface LiftTraits {
  readonly doorOpenS: number
  readonly doorCloseS: number
  readonly doorCurrentA: number
  readonly vibration: number
  readonly levelBiasMm: number
  /** Steady temperature rise per unit of (I/I_rated)², K. */
  readonly thermalK: number
  /** Thermal time constant, s. */
  readonly thermalTauS: number
  /** Machine room (or shaft head) above outdoor temperature, K. */
  readonly roomOffsetK: number
}

export function liftTraits(rng: Rng, ageYears: number): LiftTraits {
  return {
    doorOpenS: rng.uniform(2.0, 2.7),
    doorCloseS: rng.uniform(2.6, 3.5),
    doorCurrentA: rng.uniform(0.9, 1.5),
    vibration: rng.uniform(0.035, 0.06) * (1 + 0.012 * ageYears),
    levelBiasMm: rng.uniform(-1.5, 2),
    thermalK: rng.uniform(110, 150),
    thermalTauS: rng.uniform(900, 1500),
    roomOffsetK: rng.uniform(3, 9),
  }
}

function severityOf(health: Health, fault: Health['fault']): number {
  return health.fault === fault && health.condition === 'degrading'
    ? health.severity
    : health.fault === fault
      ? 1
      : 0
}

/** Conditions at a stop that healthy lifts also respond to. */
export interface StopContext {
  readonly loadKg: number
  readonly passengers: number
  /** 0 when the machine room is ≥ 15 °C, up to 1 at 0 °C. */
  readonly cold: number
  /** 0 … 1: days since the last lubrication over the maintenance cycle. */
  readonly lubricationAge: number
  /** Slow benign drift in [-1, 1]. */
  readonly wander: number
}

/** What a stop reports. */
export interface StopFeatures {
  doorOpenS: number
  doorCloseS: number
  holdS: number
  doorCurrentA: number
  levelErrorMm: number
  reopened: boolean
}

export function stopFeatures(
  traits: LiftTraits,
  spec: LiftSpec,
  health: Health,
  ctx: StopContext,
  rng: Rng,
  out: StopFeatures,
): StopFeatures {
  const door = severityOf(health, 'door_bearing_wear')
  const brake = severityOf(health, 'brake_wear')
  const common = 1 + 0.05 * ctx.cold + 0.03 * ctx.lubricationAge + 0.015 * ctx.wander
  out.doorOpenS = traits.doorOpenS * (common + 0.16 * door) * (1 + 0.035 * (1 + 1.5 * door) * rng.normal())
  out.doorCloseS = traits.doorCloseS * (common + 0.36 * door) * (1 + 0.04 * (1 + 2 * door) * rng.normal())
  out.doorCurrentA = traits.doorCurrentA * (1 + 0.03 * ctx.cold + 0.45 * door) * (1 + 0.05 * rng.normal())
  const crowd = Math.min(1, ctx.passengers / 6)
  out.reopened = rng.chance(0.012 + 0.03 * crowd + 0.12 * door)
  out.holdS = 2.5 + 1.1 * ctx.passengers + rng.exponential(0.8) + (out.reopened ? 3 : 0)
  const loadShare = ctx.loadKg / spec.ratedLoadKg
  out.levelErrorMm = traits.levelBiasMm + 1.6 * loadShare + 7 * brake + 1.3 * (1 + 1.8 * brake) * rng.normal()
  return out
}

/** Motor current, A, while running with `loadKg` in the car; `ramping` during acceleration and braking. */
export function motorCurrent(
  spec: LiftSpec,
  health: Health,
  loadKg: number,
  ramping: boolean,
  wander: number,
  noise: number,
): number {
  const imbalance = Math.abs(loadKg - COUNTERWEIGHT_BALANCE * spec.ratedLoadKg) / spec.ratedLoadKg
  const wear = 1 + 0.07 * severityOf(health, 'motor_overheat') + 0.03 * severityOf(health, 'brake_wear')
  return (
    spec.ratedCurrentA * (0.22 + 1.1 * imbalance + (ramping ? 0.35 : 0)) * wear * (1 + 0.02 * wander) +
    0.025 * spec.ratedCurrentA * noise
  )
}

/** Car vibration RMS, m/s², at `speed`; `ramping` during acceleration and braking. */
export function carVibration(
  traits: LiftTraits,
  spec: LiftSpec,
  health: Health,
  speed: number,
  ramping: boolean,
  wander: number,
  noise: number,
): number {
  const brake = severityOf(health, 'brake_wear')
  const overheat = severityOf(health, 'motor_overheat')
  const base = traits.vibration * (0.45 + 0.55 * (speed / spec.ratedSpeed)) * (1 + 0.04 * wander)
  const jolt = ramping ? 0.012 + 0.07 * brake : 0.012 * brake
  return Math.max(0.005, base + jolt + 0.006 * overheat + 0.006 * (1 + 1.6 * brake) * noise)
}

/** Thermal resistance multiplier of the motor: grows with overheating faults. */
export function thermalFactor(health: Health): number {
  return 1 + 1.2 * severityOf(health, 'motor_overheat')
}

const LIFT_CODES: Readonly<Record<string, string>> = {
  door_bearing_wear: 'E-DOOR-OPERATOR',
  motor_overheat: 'E-MOTOR-OVERTEMP',
  brake_wear: 'E-BRAKE',
}

/** The controller's error code when a fault trips the lift. */
export function liftFaultCode(fault: Health['fault']): string {
  return (fault !== null && LIFT_CODES[fault]) || 'E-UNKNOWN'
}

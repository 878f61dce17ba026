/**
 * Booster-pump physics for a secondary water supply set (变频恒压供水): a variable-speed pump holding the outlet at
 * its setpoint, so its speed follows the boost it must add to the mains pressure and the flow it must deliver
 * (affinity laws over a quadratic pump curve), and its power follows flow × head / efficiency.
 *
 * Fault signatures (each grows with severity s, 0 → 1 at failure):
 * - bearing_wear: vibration RMS rises (ISO 10816 zone A/B towards C/D) with more scatter, bearing and motor
 *   temperatures rise per unit of load, efficiency dips slightly.
 * - cavitation (a clogging suction strainer): suction pressure falls with flow, outlet-pressure ripple and vibration
 *   grow at high flow, efficiency falls (flow per kW down). Healthy pumps show some of this at the evening peak,
 *   when the mains pressure is lowest.
 * - seal_leak: water lost through the mechanical seal must be pumped too (power up for the same metered flow, flow
 *   per kW down), and the set loses pressure while idle, so it restarts more often at night.
 */
import type { Device } from '../../data/index.ts'
import type { Health } from './degradation.ts'
import type { Rng } from './rng.ts'

export interface PumpSpec {
  readonly ratedFlow: number
  readonly headM: number
  readonly powerKw: number
}

export function pumpSpec(device: Device): PumpSpec {
  return {
    ratedFlow: Number(device.spec.ratedFlowM3h ?? 12),
    headM: Number(device.spec.headM ?? 60),
    powerKw: Number(device.spec.powerKw ?? 5.5),
  }
}

/** A pump's own constants. */
export interface PumpTraits {
  readonly bestEfficiency: number
  /** Vibration RMS at full speed when healthy, mm/s. */
  readonly vibration: number
  /** Motor temperature rise at rated power, K. */
  readonly thermalK: number
  readonly thermalTauS: number
  readonly flowBias: number
}

export function pumpTraits(rng: Rng, ageYears: number): PumpTraits {
  return {
    bestEfficiency: rng.uniform(0.66, 0.74) - 0.004 * ageYears,
    vibration: rng.uniform(1.0, 1.8) * (1 + 0.015 * ageYears),
    thermalK: rng.uniform(38, 52),
    thermalTauS: rng.uniform(1500, 2400),
    flowBias: rng.uniform(-0.02, 0.02),
  }
}

function severityOf(health: Health, fault: Health['fault']): number {
  return health.fault === fault ? health.severity : 0
}

/** Water lost through a leaking seal, m³/h (also while the pump stands still under pressure). */
export function sealLeak(spec: PumpSpec, health: Health): number {
  return 0.06 * spec.ratedFlow * severityOf(health, 'seal_leak')
}

/** The pump's working point and what its sensors read. */
export interface PumpReading {
  frequencyHz: number
  powerKw: number
  currentA: number
  vibration: number
  /** Suction pressure after the strainer, bar. */
  inletBar: number
  outletBar: number
  /** Outlet pressure ripple (standard deviation over a minute), bar. */
  rippleBar: number
  /** Steady-state motor and bearing temperature rises for this load, K. */
  motorRiseK: number
  bearingRiseK: number
}

/**
 * Runs the pump delivering `flow` m³/h (its share of the demand) from mains pressure `mainsBar` to the outlet
 * setpoint `setpointBar`. `wander` is the slow benign drift; `noise` two standard normals.
 */
export function operate(
  spec: PumpSpec,
  traits: PumpTraits,
  health: Health,
  flow: number,
  mainsBar: number,
  setpointBar: number,
  wander: number,
  noise: readonly [number, number],
  out: PumpReading,
): PumpReading {
  const bearing = severityOf(health, 'bearing_wear')
  const cavitation = severityOf(health, 'cavitation')
  const q = flow + sealLeak(spec, health)
  const load = q / spec.ratedFlow
  const inlet = mainsBar - 0.05 * load * load - 0.5 * cavitation * (0.2 + load) * load
  const shutoff = 1.3 * spec.headM
  const k = (shutoff - spec.headM) / (spec.ratedFlow * spec.ratedFlow)
  const boost = Math.max(0, (setpointBar - inlet) * 10.2)
  let speed = Math.sqrt((boost + k * q * q) / shutoff)
  let delivered = boost
  if (speed > 1) {
    speed = 1
    delivered = Math.max(0, shutoff - k * q * q)
  }
  speed = Math.max(0.5, speed)
  const offDesign = q / (speed * spec.ratedFlow) - 1
  const efficiency =
    Math.min(
      traits.bestEfficiency,
      Math.max(0.15, traits.bestEfficiency * (1 - 0.8 * offDesign * offDesign)),
    ) *
    (1 - 0.12 * cavitation * (0.4 + Math.min(1.2, load))) *
    (1 - 0.03 * bearing)
  const hydraulic = (q * delivered) / 367
  out.powerKw = hydraulic / (efficiency * 0.92) + 0.03 * spec.powerKw
  out.currentA = (out.powerKw * 1000) / (Math.sqrt(3) * 380 * 0.86)
  out.frequencyHz = 50 * speed
  // Low suction pressure brings healthy pumps closer to cavitation at the evening peak too.
  const margin = Math.max(0, 1.3 - inlet)
  out.rippleBar = 0.012 + 0.03 * margin * load + 0.1 * cavitation * (0.35 + load) + 0.003 * Math.abs(noise[1])
  out.vibration = Math.max(
    0.2,
    traits.vibration * (0.35 + 0.65 * speed * speed) * (1 + 0.05 * wander) +
      4.5 * bearing * speed +
      0.4 * margin * load * load +
      1.6 * cavitation * (0.3 + load) +
      0.08 * (1 + 4 * bearing + 2 * cavitation) * noise[0],
  )
  out.inletBar = inlet
  out.outletBar = inlet + delivered / 10.2
  const relative = out.powerKw / spec.powerKw
  out.motorRiseK = traits.thermalK * relative + 8 * bearing
  out.bearingRiseK = 0.6 * traits.thermalK * relative + 18 * bearing + 4 * cavitation
  return out
}

const PUMP_CODES: Readonly<Record<string, string>> = {
  bearing_wear: 'P-VIBRATION-TRIP',
  cavitation: 'P-LOW-SUCTION',
  seal_leak: 'P-LEAK-DETECTED',
}

/** The drive's error code when a fault trips the pump. */
export function pumpFaultCode(fault: Health['fault']): string {
  return (fault !== null && PUMP_CODES[fault]) || 'P-UNKNOWN'
}

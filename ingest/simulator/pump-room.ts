/**
 * The actor of one pump room: a constant-pressure booster set whose pumps follow the water demand of the
 * households it serves. Every `pumpRunning` it updates the demand, the mains pressure and the set's pressure tank,
 * decides which pumps run (a lead pump rotated every 8 h among the available ones, a lag pump staged in at high
 * demand, a "sleep" stop at night when demand falls below the minimum flow and a restart when the tank pressure
 * has dropped), and reports every running pump. Every `pumpStatus` each pump reports its counters.
 */
import { HOUR, MINUTE, SECOND, dayOf, hourOf, isWeekend, nextOnGrid } from './calendar.ts'
import type { Climate } from './climate.ts'
import type { HealthTrack } from './degradation.ts'
import { wander } from './degradation.ts'
import type { Emitter } from './emitter.ts'
import { telemetryShape } from './payload.ts'
import type { ReportingPeriods } from './periods.ts'
import { operate, pumpFaultCode, sealLeak } from './pump.ts'
import type { PumpReading, PumpSpec, PumpTraits } from './pump.ts'
import type { LoadProfile } from './register.ts'
import { mixKey, smoothNoise, unitHash } from './rng.ts'
import type { Rng } from './rng.ts'
import type { Actor } from './scheduler.ts'

export const PUMP_FAST_SHAPE = telemetryShape({
  flow_m3h: 2,
  inlet_pressure_bar: 3,
  outlet_pressure_bar: 3,
  frequency_hz: 1,
  power_kw: 2,
  motor_current_a: 1,
  vibration_rms_mms: 2,
  motor_temp_c: 1,
})
export const PUMP_STATUS_SHAPE = telemetryShape({
  running: 0,
  run_hours: 2,
  starts: 0,
  pressure_ripple_bar: 3,
  bearing_temp_c: 1,
})

const ROTATION = 8 * HOUR
/** Pressure tank capacity, m³ per bar: sets how long the set can sleep at night. */
const TANK_M3_PER_BAR = 0.12

export interface PumpUnit {
  readonly device: number
  readonly spec: PumpSpec
  readonly traits: PumpTraits
  readonly health: HealthTrack
  readonly rng: Rng
  readonly key: number
  /** Estimated run hours and starts before the simulation, from the pump's age. */
  readonly runHours0: number
  readonly starts0: number
}

interface PumpState extends PumpUnit {
  running: boolean
  available: boolean
  startedAt: number
  runMs: number
  starts: number
  motorC: number
  bearingC: number
  rippleSum: number
  rippleCount: number
  changes: { t: number; kind: 'fail' | 'repair' | 'restore' }[]
}

export interface PumpRoomOptions {
  readonly pumps: readonly PumpUnit[]
  /** The served households' water demand, m³/h. */
  readonly demand: LoadProfile
  readonly climate: Climate
  readonly periods: ReportingPeriods
  readonly start: number
  readonly end: number
  readonly key: number
}

/** Linear interpolation of an hourly curve between hour centres. */
function hourly(curve: Float64Array, h: number): number {
  const x = h - 0.5
  const i = Math.floor(x)
  const f = x - i
  const a = curve[(i + 24) % 24] as number
  const b = curve[(i + 25) % 24] as number
  return a + (b - a) * f
}

export class PumpRoomActor implements Actor {
  next: number
  private readonly pumps: PumpState[]
  private readonly setpointBar: number
  private readonly mainsBase: number
  private readonly peak: number
  private tankBar = 0
  private nextStatus: number
  private lead = -1
  private readonly reading: PumpReading = {
    frequencyHz: 0,
    powerKw: 0,
    currentA: 0,
    vibration: 0,
    inletBar: 0,
    outletBar: 0,
    rippleBar: 0,
    motorRiseK: 0,
    bearingRiseK: 0,
  }
  private readonly values = new Float64Array(8)
  private readonly noise: [number, number] = [0, 0]

  constructor(private readonly o: PumpRoomOptions) {
    const head = o.pumps[0]?.spec.headM ?? 60
    this.setpointBar = (0.92 * head) / 10.2
    this.mainsBase = 1.7 + 0.6 * unitHash(o.key, 1)
    this.peak = Math.max(...o.demand.weekday, ...o.demand.weekend, 0.01)
    this.tankBar = this.setpointBar
    const ambient = this.ambientC(o.start)
    this.pumps = o.pumps.map((p) => {
      const condition = p.health.at(o.start).condition
      const kinds = ['fail', 'repair', 'restore'] as const
      const changes: PumpState['changes'] = []
      p.health.changes().forEach((t, i) => {
        if (t >= o.start && t < o.end) changes.push({ t, kind: kinds[i % 3] as 'fail' })
      })
      return {
        ...p,
        running: false,
        available: condition === 'healthy' || condition === 'degrading',
        startedAt: -Infinity,
        runMs: 0,
        starts: 0,
        motorC: ambient,
        bearingC: ambient,
        rippleSum: 0,
        rippleCount: 0,
        changes,
      }
    })
    this.next = nextOnGrid(o.start, o.periods.pumpRunning, 0)
    this.nextStatus = nextOnGrid(o.start, o.periods.pumpStatus, Math.floor(unitHash(o.key, 2) * 60) * SECOND)
    this.next = Math.min(this.next, this.nextStatus, this.nextChange())
  }

  private nextChange(): number {
    let t = Infinity
    for (const p of this.pumps) t = Math.min(t, p.changes[0]?.t ?? Infinity)
    return t
  }

  private ambientC(t: number): number {
    // A basement room: damped outdoor swings, warmed by the motors.
    return 15 + 0.35 * (this.o.climate.outdoorC(t) - 15) + 3
  }

  /** Served demand at t, m³/h: the households' curve with minute-scale fluctuations. */
  demandAt(t: number): number {
    const d = this.o.demand
    const day = dayOf(t)
    const curve = isWeekend(day) ? d.weekend : d.weekday
    const mean = hourly(curve, hourOf(t)) * (1 + d.seasonal * this.o.climate.conditioningIndex(day))
    const wobble =
      1 +
      0.14 * smoothNoise(this.o.key, t / (10 * MINUTE)) +
      0.07 * smoothNoise(this.o.key ^ 0x55, t / MINUTE)
    return Math.max(0, mean * wobble)
  }

  step(out: Emitter): void {
    const t = this.next
    for (const p of this.pumps)
      while (p.changes[0]?.t === t)
        this.change(out, p, t, (p.changes.shift() as PumpState['changes'][number]).kind)
    if (t % this.o.periods.pumpRunning === 0) this.control(out, t)
    if (t === this.nextStatus) this.status(out, t)
    const period = this.o.periods.pumpRunning
    this.next = Math.min(t - (t % period) + period, this.nextStatus, this.nextChange())
  }

  private change(out: Emitter, p: PumpState, t: number, kind: 'fail' | 'repair' | 'restore'): void {
    switch (kind) {
      case 'fail': {
        const code = pumpFaultCode(p.health.at(t).fault)
        if (p.running) this.stop(out, p, t, 'fault')
        p.available = false
        out.status(p.device, t, 'fault', code)
        out.event(p.device, t, 'fault.raised', { code })
        break
      }
      case 'repair':
        out.status(p.device, t, 'maintenance', 'repair')
        out.event(p.device, t, 'maintenance.start', { reason: 'repair' })
        break
      case 'restore':
        p.available = true
        out.event(p.device, t, 'fault.cleared', {})
        out.event(p.device, t, 'maintenance.end', { reason: 'repair' })
        out.status(p.device, t, 'online')
        break
    }
  }

  private start(out: Emitter, p: PumpState, t: number, reason: string): void {
    p.running = true
    p.startedAt = t
    p.starts++
    out.event(p.device, t, 'pump.start', { reason })
  }

  private stop(out: Emitter, p: PumpState, t: number, reason: string): void {
    p.running = false
    out.event(p.device, t, 'pump.stop', { reason })
  }

  /** The state machine of the set, then a fast sample of every running pump. */
  private control(out: Emitter, t: number): void {
    const dt = this.o.periods.pumpRunning
    const demand = this.demandAt(t)
    const mains =
      this.mainsBase -
      0.45 * Math.min(1.2, demand / this.peak) +
      0.06 * smoothNoise(this.o.key ^ 0x77, t / (20 * MINUTE))
    const available = this.pumps.filter((p) => p.available)
    let running = this.pumps.filter((p) => p.running)
    const rated = this.pumps[0]?.spec.ratedFlow ?? 10

    // Rotate the lead pump every 8 h among the available ones.
    const lead =
      available.length > 0 ? (available[Math.floor(t / ROTATION) % available.length] as PumpState) : null
    if (lead && lead.device !== this.lead) {
      const previous = running.find((p) => p.device === this.lead)
      if (running.length > 0 && !lead.running) {
        this.start(out, lead, t, 'rotation')
        if (previous) this.stop(out, previous, t, 'rotation')
      }
      this.lead = lead.device
    }
    running = this.pumps.filter((p) => p.running)

    const leak = this.pumps.reduce((sum, p) => sum + sealLeak(p.spec, p.health.at(t)), 0)
    if (running.length === 0) {
      // Asleep: the tank feeds the building until its pressure has dropped by 0.4 bar.
      this.tankBar -= ((demand + leak) * (dt / HOUR)) / TANK_M3_PER_BAR
      if (this.tankBar < this.setpointBar - 0.4 && lead) {
        this.start(out, lead, t, 'pressure')
        running = [lead]
      }
    } else {
      this.tankBar = this.setpointBar
      const capacity = 0.95 * rated * running.length
      const spare = available.find((p) => !p.running)
      if (demand > capacity && spare) {
        this.start(out, spare, t, 'demand')
        running.push(spare)
      } else if (running.length > 1 && demand < 0.7 * rated * (running.length - 1)) {
        // Two pumps run, so one of them is not the lead.
        const lag = running.find((p) => p.device !== this.lead)
        if (lag) {
          this.stop(out, lag, t, 'demand')
          running = running.filter((p) => p !== lag)
        }
      } else if (
        running.length === 1 &&
        demand < 0.1 * rated &&
        t - (running[0] as PumpState).startedAt >= 2 * MINUTE
      ) {
        // Sleep: boost the tank and stop.
        this.stop(out, running[0] as PumpState, t, 'low_demand')
        running = []
        this.tankBar = this.setpointBar + 0.3
      }
    }

    const ambient = this.ambientC(t)
    for (const p of this.pumps) {
      const health = p.health.at(t)
      let motorTarget = ambient
      let bearingTarget = ambient
      if (p.running) {
        this.noise[0] = p.rng.normal()
        this.noise[1] = p.rng.normal()
        const r = operate(
          p.spec,
          p.traits,
          health,
          demand / running.length,
          mains,
          this.setpointBar,
          wander(p.key, t),
          this.noise,
          this.reading,
        )
        motorTarget = ambient + r.motorRiseK
        bearingTarget = ambient + r.bearingRiseK
        p.runMs += dt
        p.rippleSum += r.rippleBar
        p.rippleCount++
        const v = this.values
        v[0] = (demand / running.length) * (1 + p.traits.flowBias) * (1 + 0.01 * p.rng.normal())
        v[1] = r.inletBar + 0.01 * p.rng.normal()
        v[2] = r.outletBar + (0.008 + 0.5 * r.rippleBar) * p.rng.normal()
        v[3] = r.frequencyHz
        v[4] = r.powerKw * (1 + 0.01 * p.rng.normal())
        v[5] = r.currentA * (1 + 0.01 * p.rng.normal())
        v[6] = r.vibration
        v[7] = p.motorC
        out.telemetry(p.device, t, PUMP_FAST_SHAPE, v)
        if (health.fault === 'seal_leak' && health.severity > 0.6 && p.rng.chance(dt / (6 * HOUR))) {
          out.event(p.device, t, 'sump.high_level', { levelCm: Math.round(20 + 30 * health.severity) })
        }
      }
      const decay = Math.exp(-dt / 1000 / p.traits.thermalTauS)
      p.motorC = motorTarget + (p.motorC - motorTarget) * decay
      p.bearingC = bearingTarget + (p.bearingC - bearingTarget) * decay
    }
  }

  private status(out: Emitter, t: number): void {
    const v = this.values
    for (const p of this.pumps) {
      v[0] = p.running ? 1 : 0
      v[1] = p.runHours0 + p.runMs / HOUR
      v[2] = p.starts0 + p.starts
      v[3] = p.rippleCount > 0 ? p.rippleSum / p.rippleCount : 0
      v[4] = p.bearingC
      p.rippleSum = 0
      p.rippleCount = 0
      out.telemetry(p.device, t, PUMP_STATUS_SHAPE, v)
    }
    this.nextStatus = t + this.o.periods.pumpStatus
  }
}

/** Estimated lifetime counters of a pump `ageYears` old in a set of `pumps`. */
export function lifetimeCounters(
  ageYears: number,
  pumps: number,
  key: number,
): { runHours: number; starts: number } {
  const runHours =
    Math.max(0, ageYears) * 8760 * (0.75 / Math.max(1, pumps)) * (0.85 + 0.3 * unitHash(mixKey(key, 5), 0))
  return { runHours, starts: Math.round(runHours * 1.1) }
}

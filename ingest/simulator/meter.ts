/**
 * Electricity and water meters. Each reading comes from the meter's `Register` (a pure function of time, so it is
 * restart-safe); power and flow are the register's increase over the last reporting period, as smart meters report
 * them. Electricity meters add the phase voltage (shared by the whole community's low-voltage grid, sagging at the
 * evening peak) and the current; NB-IoT water meters add their battery voltage.
 */
import { HOUR, MINUTE, DAY, hourOf, nextOnGrid } from './calendar.ts'
import type { Emitter } from './emitter.ts'
import { telemetryShape } from './payload.ts'
import type { Register } from './register.ts'
import { signedHash, smoothNoise, unitHash } from './rng.ts'
import type { Actor } from './scheduler.ts'

export const ELECTRICITY_SHAPE = telemetryShape({ energy_kwh: 3, power_kw: 3, voltage_v: 1, current_a: 2 })
export const WATER_SHAPE = telemetryShape({ volume_m3: 4, flow_m3h: 4, battery_v: 2 })

/** Phase voltage of the community's grid at `t`: 220 V nominal, lower when everyone cooks and showers. */
export function gridVoltage(gridKey: number, t: number): number {
  const h = hourOf(t)
  const peak = Math.exp(-(((h - 20.5) / 2) ** 2)) + 0.5 * Math.exp(-(((h - 8) / 1.5) ** 2))
  return 221 + 4 * smoothNoise(gridKey, t / (40 * MINUTE)) - 6 * peak
}

/** The grid voltage, computed once per minute for all the meters of a community. */
export class GridVoltage {
  private minute = NaN
  private value = 0

  constructor(private readonly key: number) {}

  at(t: number): number {
    const minute = Math.floor(t / MINUTE)
    if (minute !== this.minute) {
      this.minute = minute
      this.value = gridVoltage(this.key, minute * MINUTE)
    }
    return this.value
  }
}

export interface MeterOptions {
  readonly device: number
  readonly water: boolean
  readonly register: Register
  readonly period: number
  /** Start of the simulation: the first reading is the first grid point at or after it. */
  readonly start: number
  /** Per-device key (reporting phase, offsets, noise). */
  readonly key: number
  readonly grid: GridVoltage
  readonly threePhase: boolean
  /** Installation time, epoch ms (battery ageing). */
  readonly installed: number
}

/** One meter, reporting every `period` on its own phase. */
export class MeterActor implements Actor {
  next: number
  private previous: number
  private readonly values = new Float64Array(4)
  private readonly offsetV: number
  private readonly powerFactor: number

  constructor(private readonly o: MeterOptions) {
    const phase = Math.floor(unitHash(o.key, 1) * (o.period / 1000)) * 1000
    this.next = nextOnGrid(o.start, o.period, phase)
    this.previous = o.register.valueAt(this.next - o.period)
    this.offsetV = 1.5 * signedHash(o.key, 2)
    this.powerFactor = 0.92 + 0.07 * unitHash(o.key, 3)
  }

  step(out: Emitter): void {
    const o = this.o
    const t = this.next
    const reading = o.register.valueAt(t)
    const rate = Math.max(0, (reading - this.previous) / (o.period / HOUR))
    this.previous = reading
    const v = this.values
    v[0] = reading
    v[1] = rate
    if (o.water) {
      const years = (t - o.installed) / (365 * DAY)
      v[2] = Math.max(
        2.9,
        3.62 - 0.06 * years + 0.03 * signedHash(o.key, 4) + 0.01 * signedHash(o.key, t / HOUR),
      )
      out.telemetry(o.device, t, WATER_SHAPE, v)
    } else {
      const volts = o.grid.at(t) + this.offsetV + 0.4 * signedHash(o.key, Math.floor(t / MINUTE))
      v[2] = volts
      v[3] = o.threePhase
        ? (rate * 1000) / (Math.sqrt(3) * 380 * this.powerFactor)
        : (rate * 1000) / (volts * this.powerFactor)
      out.telemetry(o.device, t, ELECTRICITY_SHAPE, v)
    }
    this.next = t + o.period
  }
}

/**
 * Meters that share a reporting period, run as one actor: they keep their own phases, but the scheduler's heap
 * holds one entry instead of thousands (a community's meters are most of its devices and of its messages).
 */
export class MeterBank implements Actor {
  next: number
  private readonly meters: MeterActor[]
  private cursor = 0

  /** `meters` must share one period. */
  constructor(meters: readonly MeterActor[]) {
    // Each meter's first reading lies within one period of the start, so this order repeats every period.
    this.meters = [...meters].sort((a, b) => a.next - b.next)
    this.next = this.meters[0]?.next ?? Infinity
  }

  step(out: Emitter): void {
    const t = this.next
    const meters = this.meters
    let meter = meters[this.cursor] as MeterActor
    while (meter.next === t) {
      meter.step(out)
      this.cursor = this.cursor + 1 === meters.length ? 0 : this.cursor + 1
      meter = meters[this.cursor] as MeterActor
    }
    this.next = meter.next
  }
}

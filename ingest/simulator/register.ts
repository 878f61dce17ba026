/**
 * A meter's register (cumulative kWh or m³) as a pure function of time, so that a simulator restarted at any time
 * continues every meter exactly where the previous run would have been: readings never go backwards, and two runs
 * over the same interval agree to the digit.
 *
 * How: the consumption of each local day is its profile's mean day (weekday/weekend shape × season) plus a
 * telescoping day-to-day noise a·(g(D+1) − g(D)), whose sum over days before D collapses to a·(g(D) − g(0)); the
 * mean part is summed in O(1) from `SeasonTable`'s prefix sums. Within a day the day's total is spread over its
 * 1,440 minutes in proportion to per-minute weights (hourly rate × hashed minute texture), so power and flow look
 * like real appliances and taps. Leaks add a constant flow over their window.
 */
import { DAY, MINUTE, HOUR, dayOf, dayStart, isWeekend } from './calendar.ts'
import type { Climate, SeasonTable } from './climate.ts'
import { mixKey, signedHash, unitHash } from './rng.ts'

/** How consumption is spread within an hour. */
export type Texture = 'smooth' | 'appliance' | 'bursty'

/** The mean consumption of a meter, in units per hour (kW or m³/h). */
export interface LoadProfile {
  /** Mean rate for each local hour of a weekday (24 values). */
  readonly weekday: Float64Array
  /** Mean rate for each local hour of a Saturday or Sunday (24 values). */
  readonly weekend: Float64Array
  /** How strongly the conditioning index (hot summers, cold winters) scales the whole day. */
  readonly seasonal: number
  /** Day-to-day variation, a share of the smaller mean day (kept below 0.45 so no day is negative). */
  readonly dayNoise: number
  readonly texture: Texture
  /** For `bursty` texture: the rate of one use (a tap running), units per hour. */
  readonly burstRate: number
}

/** A leak or any other constant extra flow over [start, end). */
export interface ExtraFlow {
  readonly start: number
  readonly end: number
  /** Units per hour. */
  readonly rate: number
}

const scratch = new Float64Array(4)

/**
 * Minute textures come from shared tables of fixed random draws rather than a hash per meter-minute (the hot path
 * of a community's thousands of meters): each meter reads them from its own offset per day with its own odd
 * stride, which is as good as independent for load curves.
 */
const TABLE_BITS = 16
const TABLE_MASK = (1 << TABLE_BITS) - 1
const UNIFORM = Float64Array.from({ length: 1 << TABLE_BITS }, (_, i) => unitHash(0x2f6b3c1d, i))
/** 0.3 + 0.7 × Exp(1): a base load plus an appliance tail (kettles, cookers, air conditioners cycling); mean 1. */
const APPLIANCE = UNIFORM.map((u) => 0.3 - 0.7 * Math.log(1 - u * 0.9999))

function sum(values: Float64Array): number {
  let s = 0
  for (const v of values) s += v
  return s
}

/** The register of one meter. `valueAt` is cheapest when called with non-decreasing times. */
export class Register {
  private readonly weekdayTotal: number
  private readonly weekendTotal: number
  private readonly noiseAmplitude: number
  private readonly dayKey: number
  private readonly minuteKey: number
  private readonly stride: number
  private textureOffset = 0
  private day = NaN
  private rates: Float64Array
  private prefix = 0
  private total = 0
  private norm = 0
  private cumulative = 0
  private cursor = 0

  constructor(
    private readonly profile: LoadProfile,
    private readonly climate: Climate,
    private readonly table: SeasonTable,
    key: number,
    /** Reading at EPOCH. */
    private readonly offset: number,
    private readonly extra: readonly ExtraFlow[] = [],
  ) {
    this.weekdayTotal = sum(profile.weekday)
    this.weekendTotal = sum(profile.weekend)
    this.noiseAmplitude = Math.min(0.45, profile.dayNoise) * Math.min(this.weekdayTotal, this.weekendTotal)
    this.dayKey = mixKey(key, 0x6a09e667)
    this.minuteKey = mixKey(key, 0x3c6ef372)
    this.stride = (mixKey(key, 0x510e527f) | 1) & TABLE_MASK
    this.rates = profile.weekday
  }

  /** The reading at `t`, in the profile's unit (kWh or m³). */
  valueAt(t: number): number {
    const day = dayOf(t)
    const into = t - dayStart(day)
    const minute = Math.floor(into / MINUTE)
    if (day !== this.day || minute < this.cursor) this.startDay(day)
    while (this.cursor < minute) this.cumulative += this.weight(this.cursor++)
    const within =
      this.norm > 0
        ? (this.cumulative + ((into - minute * MINUTE) / MINUTE) * this.weight(minute)) / this.norm
        : into / DAY
    return this.offset + this.prefix + this.total * within + this.extraVolume(t)
  }

  private startDay(day: number): void {
    const p = this.profile
    const sums = this.table.before(day, scratch)
    const g = (d: number) => signedHash(this.dayKey, d)
    this.prefix =
      this.weekdayTotal * ((sums[0] as number) + p.seasonal * (sums[1] as number)) +
      this.weekendTotal * ((sums[2] as number) + p.seasonal * (sums[3] as number)) +
      this.noiseAmplitude * (g(day) - g(0))
    const weekend = isWeekend(day)
    const mean =
      (weekend ? this.weekendTotal : this.weekdayTotal) *
      (1 + p.seasonal * this.climate.conditioningIndex(day))
    this.total = mean + this.noiseAmplitude * (g(day + 1) - g(day))
    this.rates = weekend ? p.weekend : p.weekday
    this.day = day
    this.textureOffset = mixKey(this.minuteKey, day) & TABLE_MASK
    this.norm = 0
    for (let m = 0; m < 1440; m++) this.norm += this.weight(m)
    this.cumulative = 0
    this.cursor = 0
  }

  /** Relative consumption of minute `m` of the current day. */
  private weight(m: number): number {
    const rate = this.rates[(m / 60) | 0] as number
    if (rate <= 0) return 0
    const i = (this.textureOffset + m * this.stride) & TABLE_MASK
    const u = UNIFORM[i] as number
    switch (this.profile.texture) {
      case 'smooth':
        return rate * (1 + 0.25 * (u * 2 - 1))
      case 'appliance':
        return rate * (APPLIANCE[i] as number)
      case 'bursty': {
        // Most minutes nothing runs; a use draws `burstRate`. Expected weight per minute equals `rate`.
        const p = Math.min(0.9, rate / this.profile.burstRate)
        return u < p ? (rate / p) * (0.5 + (UNIFORM[(i + 7919) & TABLE_MASK] as number)) : 0
      }
    }
  }

  private extraVolume(t: number): number {
    let volume = 0
    for (const e of this.extra) if (t > e.start) volume += (e.rate * (Math.min(t, e.end) - e.start)) / HOUR
    return volume
  }
}

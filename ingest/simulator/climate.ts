/**
 * The weather of one community: outdoor temperature (season by latitude, a daily cycle, multi-day weather
 * fronts), humidity, sunrise and sunset, and the cooling/heating index that makes household load seasonal. Every
 * value is a pure function of time, so two runs that overlap agree, and the prefix sums that meter registers need
 * (`SeasonTable`) can be computed from EPOCH once.
 */
import { DAY, HOUR, dayOf, dayOfYear, dayStart, hourOf, isWeekend } from './calendar.ts'
import { smoothNoise } from './rng.ts'

/** Weather of one place. */
export interface Climate {
  /** Outdoor air temperature, °C. */
  outdoorC(t: number): number
  /** Mean outdoor temperature of a local day, °C. */
  dailyMeanC(day: number): number
  /** Relative humidity, %. */
  humidityPct(t: number): number
  /**
   * How much a day's weather raises electricity use for cooling or heating: 0 in spring and autumn, about 1 on a
   * hot summer day (air conditioning). Northern cities heat with district heating, so winter counts less there.
   */
  conditioningIndex(day: number): number
  /** Local sunrise and sunset hours (China Standard Time) of a day. */
  sunHours(day: number): { readonly rise: number; readonly set: number }
  /** Whether street lights are on at `t` (from 15 min after sunset to 15 min before sunrise). */
  isDark(t: number): boolean
}

/** Climate of a community at latitude/longitude `lat`/`lon`; `key` seeds its weather fronts. */
export function createClimate(lat: number, lon: number, key: number): Climate {
  // Annual mean and swing fitted to Chinese cities: Guangzhou (23°) 22 °C ± 7, Shanghai (31°) 17 ± 11,
  // Beijing (40°) 12 ± 16.
  const mean = 35.5 - 0.6 * lat
  const swing = Math.max(5, 0.55 * lat - 6)
  const heatingWeight = lat >= 34 ? 0.3 : 1
  const fronts = (t: number) => 3 * smoothNoise(key, (t - dayStart(0)) / (3 * DAY))
  const seasonal = (t: number) => mean + swing * Math.cos((2 * Math.PI * (dayOfYear(t) - 200)) / 365.2425)
  const solarNoon = 12 + (120 - lon) / 15

  const climate: Climate = {
    outdoorC(t) {
      return seasonal(t) + fronts(t) + 4.5 * Math.cos((2 * Math.PI * (hourOf(t) - 15)) / 24)
    },
    dailyMeanC(day) {
      const noon = dayStart(day) + 12 * HOUR
      return seasonal(noon) + fronts(noon)
    },
    humidityPct(t) {
      // Driest in mid-afternoon, wettest at dawn; monsoon summers are humid, northern winters dry.
      const diurnal = 12 * Math.cos((2 * Math.PI * (hourOf(t) - 15)) / 24)
      const summer = 10 * Math.cos((2 * Math.PI * (dayOfYear(t) - 190)) / 365.2425)
      const value =
        68 - (lat - 30) * 0.8 + summer - diurnal + 8 * smoothNoise(key ^ 0x5bd1e995, t / (2 * DAY))
      return Math.min(98, Math.max(15, value))
    },
    conditioningIndex(day) {
      const c = climate.dailyMeanC(day)
      return Math.max(0, c - 22) / 8 + (heatingWeight * Math.max(0, 10 - c)) / 10
    },
    sunHours(day) {
      const doy = dayOfYear(dayStart(day) + 12 * HOUR)
      const declination = ((-23.44 * Math.PI) / 180) * Math.cos((2 * Math.PI * (doy + 10)) / 365.2425)
      const phi = (lat * Math.PI) / 180
      const cosH = Math.min(1, Math.max(-1, -Math.tan(phi) * Math.tan(declination)))
      const half = (Math.acos(cosH) * 12) / Math.PI
      return { rise: solarNoon - half, set: solarNoon + half }
    },
    isDark(t) {
      const { rise, set } = climate.sunHours(dayOf(t))
      const h = hourOf(t)
      return h < rise - 0.25 || h >= set + 0.25
    },
  }
  return climate
}

/**
 * Prefix sums over days since EPOCH, split by weekday/weekend: the day count and the sum of the conditioning index.
 * A meter whose mean day is `S_weekday * (1 + ac * c(day))` on weekdays (likewise on weekends) has consumed
 * `S_wd * (N_wd + ac * C_wd) + S_we * (N_we + ac * C_we)` before day D, in O(1).
 */
export class SeasonTable {
  private weekdays: Float64Array = new Float64Array(1)
  private weekdayIndex: Float64Array = new Float64Array(1)
  private weekends: Float64Array = new Float64Array(1)
  private weekendIndex: Float64Array = new Float64Array(1)
  private filled = 0

  constructor(private readonly climate: Climate) {}

  /** Sums over days [0, day): weekday count, weekday index sum, weekend count, weekend index sum. */
  before(day: number, out: Float64Array): Float64Array {
    if (day < 0) throw new RangeError('the simulator starts no earlier than 2020-01-01')
    this.fill(day)
    out[0] = this.weekdays[day] as number
    out[1] = this.weekdayIndex[day] as number
    out[2] = this.weekends[day] as number
    out[3] = this.weekendIndex[day] as number
    return out
  }

  private fill(day: number): void {
    if (day <= this.filled) return
    if (day >= this.weekdays.length) {
      const size = Math.max(day + 1, this.weekdays.length * 2, 4096)
      this.weekdays = grow(this.weekdays, size)
      this.weekdayIndex = grow(this.weekdayIndex, size)
      this.weekends = grow(this.weekends, size)
      this.weekendIndex = grow(this.weekendIndex, size)
    }
    for (let d = this.filled; d < day; d++) {
      const c = this.climate.conditioningIndex(d)
      const weekend = isWeekend(d)
      this.weekdays[d + 1] = (this.weekdays[d] as number) + (weekend ? 0 : 1)
      this.weekdayIndex[d + 1] = (this.weekdayIndex[d] as number) + (weekend ? 0 : c)
      this.weekends[d + 1] = (this.weekends[d] as number) + (weekend ? 1 : 0)
      this.weekendIndex[d + 1] = (this.weekendIndex[d] as number) + (weekend ? c : 0)
    }
    this.filled = day
  }
}

function grow(array: Float64Array, size: number): Float64Array {
  const next = new Float64Array(size)
  next.set(array)
  return next
}

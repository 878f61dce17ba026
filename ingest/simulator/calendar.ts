/**
 * Simulated local time. Every community is in China (UTC+8 all year, no daylight saving), so hours of the day,
 * weekdays and seasons are computed from epoch milliseconds with a fixed offset. Day indices count local days from
 * EPOCH (2020-01-01 00:00 China time, a Wednesday); time-indexed noise and meter registers are anchored there, which
 * is what makes them independent of the simulation's start.
 */

export const SECOND = 1000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

/** China Standard Time, UTC+8. */
export const TZ_OFFSET = 8 * HOUR

/** 2020-01-01 00:00 China Standard Time. Simulations cannot start before it. */
export const EPOCH = Date.UTC(2020, 0, 1) - TZ_OFFSET

/** Local day index of `t` (0 = 2020-01-01). */
export function dayOf(t: number): number {
  return Math.floor((t - EPOCH) / DAY)
}

/** Epoch ms of local midnight starting day `day`. */
export function dayStart(day: number): number {
  return EPOCH + day * DAY
}

/** Local hour of day as a fraction in [0, 24). */
export function hourOf(t: number): number {
  const ms = (t - EPOCH) % DAY
  return (ms < 0 ? ms + DAY : ms) / HOUR
}

/** Local minute of the day, 0..1439. */
export function minuteOfDay(t: number): number {
  return Math.floor(hourOf(t) * 60)
}

/** Day of week, Monday = 0 … Sunday = 6 (day 0 was a Wednesday). */
export function weekdayOf(day: number): number {
  return (((day + 2) % 7) + 7) % 7
}

/** Saturday or Sunday. Public holidays (Spring Festival, National Day) are not modelled. */
export function isWeekend(day: number): boolean {
  return weekdayOf(day) >= 5
}

/** Fractional day of the year, 0 = 1 January, with a 365.2425-day year (good enough for seasons). */
export function dayOfYear(t: number): number {
  const days = (t - EPOCH) / DAY
  return days - Math.floor(days / 365.2425) * 365.2425
}

/** The smallest time ≥ t on the grid `phase + k * period`. */
export function nextOnGrid(t: number, period: number, phase: number): number {
  const k = Math.ceil((t - phase) / period)
  return phase + k * period
}

/** ISO-8601 text of an epoch ms in UTC (for logs and truth files). */
export function iso(t: number): string {
  return new Date(t).toISOString()
}

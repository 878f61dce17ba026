/**
 * Calendar helpers for the generator. Every date is derived from the seed and a fixed reference date (the day the
 * synthetic data "is as of"), never from the clock, so output does not change from one day to the next.
 */
import type { Rng } from './rng.ts'

/** The day the generated data describes: ages, tenancies and install dates are all on or before it. */
export const REFERENCE_DATE = '2025-06-30'
export const REFERENCE_YEAR = 2025

const DAY_MS = 86_400_000
const REFERENCE_MS = Date.UTC(2025, 5, 30)

/** YYYY-MM-DD for a UTC day. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Milliseconds of a YYYY-MM-DD day at 00:00 UTC. */
export function dayMs(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)))
}

/** A uniformly random day in [from, to], both inclusive; `to` is capped at the reference date. */
export function randomDay(rng: Rng, from: string, to: string): string {
  const a = dayMs(from)
  const b = Math.min(dayMs(to), REFERENCE_MS)
  if (b <= a) return isoDay(a)
  return isoDay(a + rng.int(0, Math.round((b - a) / DAY_MS)) * DAY_MS)
}

/** A random day within the given calendar years (inclusive), never after the reference date. */
export function randomDayInYears(rng: Rng, fromYear: number, toYear: number): string {
  return randomDay(rng, `${fromYear}-01-01`, `${Math.max(fromYear, toYear)}-12-31`)
}

/** A birth date for someone who is exactly `age` whole years old on the reference date. */
export function birthDateForAge(rng: Rng, age: number): string {
  // Birthdays between one year and one day before the reference date keep the age exact.
  const lastBirthday = Date.UTC(REFERENCE_YEAR - age, 5, 30)
  return isoDay(lastBirthday - rng.int(0, 364) * DAY_MS)
}

/** Whole years between a birth date and a later day. */
export function ageOn(birthDate: string, on: string = REFERENCE_DATE): number {
  const by = Number(birthDate.slice(0, 4))
  const oy = Number(on.slice(0, 4))
  const hadBirthday = on.slice(5) >= birthDate.slice(5)
  return oy - by - (hadBirthday ? 0 : 1)
}

/** The year of a YYYY-MM-DD date. */
export function yearOf(iso: string): number {
  return Number(iso.slice(0, 4))
}

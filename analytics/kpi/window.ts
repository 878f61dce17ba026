/**
 * Time windows of the KPIs: bucket alignment in the community's time zone (hours, local days, local months) and
 * the rollup level each grain reads. Pure; `Intl` supplies the zone offsets.
 */
import type { Level } from './source.ts'

export type Grain = 'hour' | 'day' | 'month'

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** How far before a window counter baselines are looked for, at the hour and the day level. */
const BASELINE_HOURS = 6
const BASELINE_DAYS = 3

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(tz, f)
  }
  return f
}

/** Local calendar fields of an instant in `tz`. */
export function localParts(
  ms: number,
  tz: string,
): { y: number; mo: number; d: number; h: number; mi: number } {
  const parts: Record<string, number> = {}
  for (const p of formatter(tz).formatToParts(new Date(ms)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  return {
    y: parts.year ?? 0,
    mo: parts.month ?? 1,
    d: parts.day ?? 1,
    h: parts.hour ?? 0,
    mi: parts.minute ?? 0,
  }
}

/** The zone's offset from UTC at an instant, ms (east positive). */
export function offsetAt(ms: number, tz: string): number {
  const p = localParts(ms, tz)
  const seconds = Math.floor(ms / 1000) % 60
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, seconds)
  return asUtc - (ms - (ms % 1000))
}

/** The instant of local wall-clock time (y, mo, d) 00:00 in `tz`. */
function localMidnight(y: number, mo: number, d: number, tz: string): number {
  const guess = Date.UTC(y, mo - 1, d)
  // Two passes settle the offset even across a DST change.
  let at = guess - offsetAt(guess, tz)
  at = guess - offsetAt(at, tz)
  return at
}

/** Start of the local day that contains `ms`. */
export function startOfDay(ms: number, tz: string): number {
  const p = localParts(ms, tz)
  return localMidnight(p.y, p.mo, p.d, tz)
}

/** Start of the local month that contains `ms`. */
export function startOfMonth(ms: number, tz: string): number {
  const p = localParts(ms, tz)
  return localMidnight(p.y, p.mo, 1, tz)
}

/** Start of the hour that contains `ms` (whole-hour zones: the same in UTC and locally). */
export function startOfHour(ms: number): number {
  return Math.floor(ms / HOUR) * HOUR
}

export interface AlignedWindow {
  readonly from: number
  readonly to: number
  /**
   * Where counter deltas start reading, before `from`: the last reading before the window is the baseline of
   * its first bucket. A meter silent for longer than this before the window starts at its own first reading.
   */
  readonly scanFrom: number
  readonly level: Level
}

/** Aligns [from, to) outward to whole buckets of `grain` and names the level to read. */
export function alignWindow(from: number, to: number, grain: Grain, tz: string): AlignedWindow {
  switch (grain) {
    case 'hour': {
      const start = startOfHour(from)
      const end = to % HOUR === 0 ? to : startOfHour(to) + HOUR
      return { from: start, to: end, scanFrom: start - BASELINE_HOURS * HOUR, level: 'hour' }
    }
    case 'day': {
      const start = startOfDay(from, tz)
      const dayOfTo = startOfDay(to, tz)
      const end = dayOfTo === to ? to : startOfDay(dayOfTo + DAY + 2 * HOUR, tz)
      return { from: start, to: end, scanFrom: startOfDay(start - BASELINE_DAYS * DAY, tz), level: 'day' }
    }
    case 'month': {
      const start = startOfMonth(from, tz)
      const monthOfTo = startOfMonth(to, tz)
      const end = monthOfTo === to ? to : startOfMonth(monthOfTo + 32 * DAY, tz)
      return { from: start, to: end, scanFrom: startOfDay(start - BASELINE_DAYS * DAY, tz), level: 'day' }
    }
  }
}

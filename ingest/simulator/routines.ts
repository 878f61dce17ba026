/**
 * Residents' daily routines by occupation: when a commuter, a student, a retiree, someone at home or a
 * kindergarten child goes out and comes back on a weekday or a weekend day, and whether they take the car. The
 * demand model samples these per resident per day (elevator trips, door and gate passages, barrier events); the
 * expected share of each hour spent away (`awayShare`) shapes the household's electricity and water curves, so
 * meters and movements tell the same story.
 */
import type { Resident } from '../../data/index.ts'
import { Rng, keyOf } from './rng.ts'

export type Occupation = Resident['occupation']

/** Why someone goes out: `leisure` and `kindergarten` stay inside the community (no gate passage). */
export type Purpose = 'work' | 'school' | 'errand' | 'leisure' | 'kindergarten'

/** One trip out of the home and back, in local hours of the day. */
export interface Outing {
  leave: number
  back: number
  purpose: Purpose
  car: boolean
}

/** Every outing starts after this hour and ends before LAST_BACK, so a day's movements stay inside its day. */
const FIRST_LEAVE = 5.25
const LAST_BACK = 23.4

function push(out: Outing[], leave: number, duration: number, purpose: Purpose, car: boolean): void {
  const start = Math.max(FIRST_LEAVE, leave)
  const back = Math.min(LAST_BACK, start + Math.max(0.25, duration))
  if (back > start + 0.1) out.push({ leave: start, back, purpose, car })
}

/**
 * Appends one person's outings for a day to `out`, in time order. `driver` means the person has the household's
 * car; drivers take it to work most days.
 */
export function sampleOutings(
  rng: Rng,
  occupation: Occupation,
  weekend: boolean,
  driver: boolean,
  out: Outing[],
): void {
  switch (occupation) {
    case 'commuter': {
      // About one in six also works on a weekend day (shops, services, overtime).
      if (!weekend ? rng.chance(0.92) : rng.chance(0.16)) {
        const leave = rng.gaussian(7.9, 0.55, 6.25, 9.75)
        const back = rng.gaussian(18.7, 0.95, 16.5, 22.8)
        push(out, leave, back - leave, 'work', driver && rng.chance(0.85))
        if (rng.chance(0.08))
          push(out, rng.uniform(back + 0.4, back + 1.2), rng.uniform(0.4, 1.5), 'errand', false)
      } else if (rng.chance(0.7)) {
        const leave = rng.uniform(9, 16)
        push(out, leave, rng.uniform(1, 5), 'errand', driver && rng.chance(0.6))
      }
      break
    }
    case 'student': {
      if (!weekend) {
        const leave = rng.gaussian(7.1, 0.25, 6.4, 7.9)
        const back = rng.gaussian(17.4, 0.7, 16, 21.6)
        push(out, leave, back - leave, 'school', false)
      } else if (rng.chance(0.55)) {
        push(out, rng.uniform(9, 17), rng.uniform(1.5, 4), 'errand', false)
      }
      break
    }
    case 'retired': {
      // Morning market or exercise, an afternoon errand, an evening walk in the grounds.
      if (rng.chance(0.75)) push(out, rng.uniform(6.3, 9.5), rng.uniform(0.5, 2.5), 'errand', false)
      if (rng.chance(0.45)) push(out, rng.uniform(14, 16.5), rng.uniform(0.75, 2), 'errand', false)
      if (rng.chance(0.35)) push(out, rng.uniform(18.8, 20), rng.uniform(0.5, 1.5), 'leisure', false)
      break
    }
    case 'home': {
      if (rng.chance(0.8))
        push(out, rng.uniform(9, 17), rng.uniform(1, 3.5), 'errand', driver && rng.chance(0.4))
      if (rng.chance(0.3)) push(out, rng.uniform(19, 20.5), rng.uniform(0.5, 1.2), 'leisure', false)
      break
    }
    case 'preschool': {
      if (!weekend) {
        if (rng.chance(0.95)) {
          const leave = rng.gaussian(8, 0.2, 7.4, 8.7)
          push(out, leave, rng.gaussian(16.6, 0.25, 15.8, 17.5) - leave, 'kindergarten', false)
        }
      } else if (rng.chance(0.6)) {
        push(out, rng.uniform(9.5, 16), rng.uniform(2, 4), 'errand', false)
      }
      break
    }
  }
}

const awayCache = new Map<string, Float64Array>()

/**
 * Expected share of each local hour (24 values) that a person of `occupation` spends away from home, on a weekday
 * or a weekend day. Estimated once by sampling the same routines the movements use (fixed seed, 4,000 days).
 */
export function awayShare(occupation: Occupation, weekend: boolean): Float64Array {
  const cacheKey = `${occupation}:${weekend}`
  const cached = awayCache.get(cacheKey)
  if (cached) return cached
  const samples = 4000
  const share = new Float64Array(24)
  const rng = new Rng(keyOf(0, 'away', cacheKey))
  const outings: Outing[] = []
  for (let i = 0; i < samples; i++) {
    outings.length = 0
    sampleOutings(rng, occupation, weekend, false, outings)
    for (const o of outings) {
      for (let h = Math.floor(o.leave); h < Math.ceil(o.back) && h < 24; h++) {
        share[h] = (share[h] as number) + Math.max(0, Math.min(h + 1, o.back) - Math.max(h, o.leave))
      }
    }
  }
  for (let h = 0; h < 24; h++) share[h] = (share[h] as number) / samples
  awayCache.set(cacheKey, share)
  return share
}

/**
 * Free walking speeds by age, as the RiMEA guideline tabulates them (after Weidmann 1993) for test 7:
 * under 30: 0.58–1.61 m/s; 30–50: 1.41–1.54 m/s; over 50: 0.68–1.41 m/s; mobility impaired: 0.46–0.76 m/s.
 * Speeds are drawn from a normal distribution around an age-dependent mean and redrawn until they fall in the
 * group's range, so the table's range is guaranteed while the mean follows Weidmann's age curve.
 */
import type { Rng } from './rng.ts'

/** The RiMEA 7 age groups. */
export type SpeedGroup = 'under30' | '30to50' | 'over50' | 'impaired'

/** A group's speed range and the spread of the draw. */
export interface SpeedRange {
  readonly min: number
  readonly max: number
  readonly sd: number
}

/** The RiMEA test 7 table (m/s). */
export const rimeaSpeedTable: Readonly<Record<SpeedGroup, SpeedRange>> = {
  under30: { min: 0.58, max: 1.61, sd: 0.2 },
  '30to50': { min: 1.41, max: 1.54, sd: 0.03 },
  over50: { min: 0.68, max: 1.41, sd: 0.13 },
  impaired: { min: 0.46, max: 0.76, sd: 0.05 },
}

/** The RiMEA group of a person of the given age (years). */
export function speedGroupOf(age: number, impaired = false): SpeedGroup {
  if (impaired) return 'impaired'
  return age < 30 ? 'under30' : age <= 50 ? '30to50' : 'over50'
}

/**
 * Mean free speed at an age, m/s: Weidmann's curve, rising through childhood to ~1.45 m/s in the twenties,
 * ~1.47 at 30–50, falling to ~0.9 at 80 (piecewise linear between those anchors).
 */
export function meanSpeedAtAge(age: number): number {
  const pts: readonly (readonly [number, number])[] = [
    [3, 0.7],
    [10, 1.15],
    [18, 1.4],
    [25, 1.45],
    [40, 1.47],
    [50, 1.42],
    [65, 1.2],
    [80, 0.9],
    [95, 0.75],
  ]
  if (age <= pts[0]![0]) return pts[0]![1]
  for (let k = 1; k < pts.length; k++) {
    const [a1, v1] = pts[k]!
    const [a0, v0] = pts[k - 1]!
    if (age <= a1) return v0 + ((v1 - v0) * (age - a0)) / (a1 - a0)
  }
  return pts[pts.length - 1]![1]
}

/** Draws a free walking speed for a person of `age` years, inside the RiMEA range of their group. */
export function drawSpeed(rng: Rng, age: number, impaired = false): number {
  const g = rimeaSpeedTable[speedGroupOf(age, impaired)]
  const mean = impaired ? (g.min + g.max) / 2 : Math.min(g.max, Math.max(g.min, meanSpeedAtAge(age)))
  return rng.truncatedNormal(mean, g.sd, g.min, g.max)
}

/** Draws a speed for a group directly (the mean at the middle of its range), for RiMEA 7 populations. */
export function drawGroupSpeed(rng: Rng, group: SpeedGroup): number {
  const g = rimeaSpeedTable[group]
  return rng.truncatedNormal((g.min + g.max) / 2, g.sd, g.min, g.max)
}

/**
 * A plausible age for a community resident group, years: used when only the model's age group is known.
 * Children 3–17, adults 18–59, elderly 60–90, uniformly.
 */
export function drawAge(rng: Rng, group: 'child' | 'adult' | 'elderly'): number {
  return group === 'child'
    ? rng.uniform(3, 18)
    : group === 'adult'
      ? rng.uniform(18, 60)
      : rng.uniform(60, 90)
}

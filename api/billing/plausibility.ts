/**
 * Which meter readings are implausible, decided before anything is billed from them: a counter that went
 * backwards (negative use), a use far above the meter's own history or the community's typical use (a jump), a
 * meter whose counter stood still although it was in use the cycle before (stuck), and a meter without a value
 * (missing). Pure: the reading service supplies the numbers.
 */
import type { MeterKind } from './meter-source.ts'

export type ReadingFlag = 'negative' | 'jump' | 'stuck' | 'missing'

export interface PlausibilityOptions {
  /** A use above this many times the baseline is a jump… */
  readonly jumpFactor: number
  /** …when it also exceeds the baseline by at least this much (kWh or m³), so small meters are not noisy. */
  readonly minJump: Readonly<Record<MeterKind, number>>
}

export const defaultPlausibility: PlausibilityOptions = {
  jumpFactor: 5,
  minJump: { electricity_meter: 100, water_meter: 10 },
}

export interface ReadingInput {
  readonly kind: MeterKind
  /** The counter at the previous close (null: never read). */
  readonly previous: number | null
  /** The counter at this close (null: no value). */
  readonly value: number | null
  /** The meter's use in the cycle before (null: unknown). */
  readonly previousUsage: number | null
  /** Typical use of comparable meters this cycle (the community's median for the kind), or null. */
  readonly typicalUsage: number | null
}

export interface Assessed {
  readonly usage: number | null
  readonly flag: ReadingFlag | null
}

/** Rounds to the 4 decimals the readings are stored with, so that JS and SQL agree on the use. */
export function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4
}

/** The use since the previous reading and the reading's flag, if any. */
export function assessReading(r: ReadingInput, options: PlausibilityOptions = defaultPlausibility): Assessed {
  if (r.value === null || r.previous === null) return { usage: null, flag: 'missing' }
  const usage = round4(r.value - r.previous)
  if (usage < 0) return { usage, flag: 'negative' }
  if (usage === 0 && r.previousUsage !== null && r.previousUsage > 0) return { usage, flag: 'stuck' }
  const baseline = r.previousUsage !== null && r.previousUsage > 0 ? r.previousUsage : r.typicalUsage
  if (baseline !== null && baseline > 0) {
    if (usage > options.jumpFactor * baseline && usage - baseline >= options.minJump[r.kind]) {
      return { usage, flag: 'jump' }
    }
  }
  return { usage, flag: null }
}

/** The median of the values (null for none). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

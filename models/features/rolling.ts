/**
 * Rolling statistics over a device's last rows: level (mean, last, min, max), spread (std), trend (least-squares
 * slope per row) and step (delta from the previous row). They turn a short history into a fixed-size vector for
 * the MLP and the autoencoder; the same code runs at training and at scoring. Writes into caller-provided typed
 * arrays: no allocation per sample.
 */
import type { BaseMatrix } from './base.ts'

/** The statistics available per numeric feature. */
export type Stat = 'last' | 'mean' | 'std' | 'slope' | 'min' | 'max' | 'delta'

/** Appended to each row in row mode with `rolling` > 0. */
export const ROW_STATS: readonly Stat[] = ['mean', 'std', 'slope', 'delta']
/** Summarise a device's last `window` rows in group mode. */
export const SUMMARY_STATS: readonly Stat[] = ['last', 'mean', 'std', 'slope', 'min', 'max']

/** Position -> first position of its group, so a window never crosses into another device. */
export function groupStartOfPositions(groupStarts: Int32Array): Int32Array {
  const total = groupStarts[groupStarts.length - 1]!
  const out = new Int32Array(total)
  for (let g = 0; g + 1 < groupStarts.length; g++)
    out.fill(groupStarts[g]!, groupStarts[g], groupStarts[g + 1])
  return out
}

/**
 * Writes `stats` for each numeric base feature over positions [max(groupStart, p - window + 1), p] into
 * `out[offset …]`, feature-major (f0:s0, f0:s1, …, f1:s0, …).
 */
export function writeWindowStats(
  base: BaseMatrix,
  groupStart: number,
  p: number,
  window: number,
  stats: readonly Stat[],
  out: Float32Array,
  offset: number,
): void {
  const { values, width, numericWidth } = base
  const from = Math.max(groupStart, p - window + 1)
  const m = p - from + 1
  // Centred step index t - t̄ has sum of squares m(m²-1)/12; the slope is Σ(t - t̄)v / that.
  const tMean = (m - 1) / 2
  const tSs = (m * (m * m - 1)) / 12
  let k = offset
  for (let j = 0; j < numericWidth; j++) {
    let sum = 0
    let min = Number.POSITIVE_INFINITY
    let max = Number.NEGATIVE_INFINITY
    let cross = 0
    for (let q = from; q <= p; q++) {
      const v = values[q * width + j]!
      sum += v
      if (v < min) min = v
      if (v > max) max = v
      cross += (q - from - tMean) * v
    }
    const mean = sum / m
    let ss = 0
    for (let q = from; q <= p; q++) {
      const d = values[q * width + j]! - mean
      ss += d * d
    }
    const last = values[p * width + j]!
    for (const stat of stats) {
      switch (stat) {
        case 'last':
          out[k++] = last
          break
        case 'mean':
          out[k++] = mean
          break
        case 'std':
          out[k++] = Math.sqrt(ss / m)
          break
        case 'slope':
          out[k++] = tSs > 0 ? cross / tSs : 0
          break
        case 'min':
          out[k++] = min
          break
        case 'max':
          out[k++] = max
          break
        case 'delta':
          out[k++] = p > groupStart ? last - values[(p - 1) * width + j]! : 0
          break
      }
    }
  }
}

/** Names matching `writeWindowStats`' layout. */
export function statNames(numericNames: readonly string[], stats: readonly Stat[]): string[] {
  const names: string[] = []
  for (const name of numericNames) for (const stat of stats) names.push(`${name}:${stat}`)
  return names
}

/**
 * Small summary statistics for run outputs (percentiles of waits and search times).
 */

/** The p-quantile (0–1) of the values by linear interpolation; NaN for none. Does not modify its input. */
export function quantile(values: ArrayLike<number>, p: number): number {
  const n = values.length
  if (n === 0) return Number.NaN
  const s = Float64Array.from(values).sort()
  const h = (n - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(n - 1, lo + 1)
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!)
}

/** Median, p95, mean and max in one object, rounded to 0.1. Zeros for an empty list. */
export function summarize(values: ArrayLike<number>): {
  n: number
  p50: number
  p95: number
  mean: number
  max: number
} {
  const n = values.length
  if (n === 0) return { n: 0, p50: 0, p95: 0, mean: 0, max: 0 }
  let sum = 0
  let max = -Infinity
  for (let i = 0; i < n; i++) {
    sum += values[i]!
    if (values[i]! > max) max = values[i]!
  }
  const r = (x: number): number => Math.round(x * 10) / 10
  return { n, p50: r(quantile(values, 0.5)), p95: r(quantile(values, 0.95)), mean: r(sum / n), max: r(max) }
}

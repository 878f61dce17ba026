/**
 * Regression metrics for remaining useful life: RMSE, MAE and the PHM08 / C-MAPSS scoring function, which
 * punishes late predictions (predicted RUL above the truth: the part fails before we act) harder than early ones.
 */

/** Root mean squared error; NaN for no samples. */
export function rmse(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < truth.length; i++) {
    const d = predicted[i]! - truth[i]!
    s += d * d
  }
  return truth.length === 0 ? Number.NaN : Math.sqrt(s / truth.length)
}

/** Mean absolute error; NaN for no samples. */
export function mae(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < truth.length; i++) s += Math.abs(predicted[i]! - truth[i]!)
  return truth.length === 0 ? Number.NaN : s / truth.length
}

/**
 * The NASA scoring function (Saxena et al., PHM08): sum over units of e^(-d/13) - 1 for early predictions
 * (d = predicted - true < 0) and e^(d/10) - 1 for late ones. Lower is better; 0 is perfect.
 */
export function nasaScore(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < truth.length; i++) {
    const d = predicted[i]! - truth[i]!
    s += d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1
  }
  return s
}

/**
 * Classification metrics on class indices (typed arrays, one pass, no per-sample allocation): accuracy,
 * precision / recall / F1 for one positive class, and macro-averaged F1. Samples whose true class is negative
 * (an unseen label) are skipped and should be counted by the caller.
 */

/** Counts of one class treated as positive. */
interface BinaryCounts {
  tp: number
  fp: number
  fn: number
}

function countsFor(truth: ArrayLike<number>, predicted: ArrayLike<number>, positive: number): BinaryCounts {
  let tp = 0
  let fp = 0
  let fn = 0
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!
    if (t < 0) continue
    const p = predicted[i]!
    if (p === positive && t === positive) tp++
    else if (p === positive) fp++
    else if (t === positive) fn++
  }
  return { tp, fp, fn }
}

/** Share of samples whose predicted class equals the true class; NaN for no samples. */
export function accuracy(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let n = 0
  let hits = 0
  for (let i = 0; i < truth.length; i++) {
    if (truth[i]! < 0) continue
    n++
    if (truth[i] === predicted[i]) hits++
  }
  return n === 0 ? Number.NaN : hits / n
}

/** Precision, recall and F1 of class `positive`. A zero denominator gives 0 (sklearn's zero_division=0). */
export function binaryScores(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  positive: number,
): { precision: number; recall: number; f1: number } {
  const { tp, fp, fn } = countsFor(truth, predicted, positive)
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp)
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn)
  const f1 = 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)
  return { precision, recall, f1 }
}

/** Unweighted mean of the per-class F1 over classes that occur in the truth or the predictions. */
export function macroF1(truth: ArrayLike<number>, predicted: ArrayLike<number>, classCount: number): number {
  let sum = 0
  let used = 0
  for (let c = 0; c < classCount; c++) {
    const { tp, fp, fn } = countsFor(truth, predicted, c)
    if (tp + fp + fn === 0) continue
    sum += (2 * tp) / (2 * tp + fp + fn)
    used++
  }
  return used === 0 ? Number.NaN : sum / used
}

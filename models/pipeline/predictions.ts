/**
 * Network outputs turned into task answers (class and probability, RUL in cycles, anomaly score and flag with
 * the features that carry the error) and the task metrics computed from them. Works on plain typed arrays so
 * cross-validation can pool the folds' predictions before measuring.
 */
import type { TargetSpec } from '../features/spec.ts'
import { accuracy, binaryScores, macroF1 } from '../metrics/classification.ts'
import { mae, nasaScore, rmse } from '../metrics/regression.ts'
import { macroRocAuc, rocAuc } from '../metrics/roc-auc.ts'

/** Raw network outputs for some samples, with their truth where known. */
export interface Predictions {
  /** Encoded truth (class index / capped RUL / 0-1), NaN where unknown. */
  readonly truth: Float64Array | undefined
  /** Row-major network outputs; for the autoencoder, the anomaly score (width 1). */
  readonly output: Float32Array
  readonly width: number
}

/** A metric value for JSON: rounded, NaN as null. */
export type MetricValue = number | null

export function metricValue(x: number, digits = 4): MetricValue {
  return Number.isFinite(x) ? Number(x.toFixed(digits)) : null
}

/** Predicted class indices (binary: P(positive) >= 0.5). */
export function predictedClasses(target: TargetSpec & { kind: 'classes' }, p: Predictions): Int32Array {
  const n = p.output.length / p.width
  const out = new Int32Array(n)
  if (p.width === 1) {
    const pos = target.classes.indexOf(target.positive!)
    const neg = pos === 0 ? 1 : 0
    for (let i = 0; i < n; i++) out[i] = p.output[i]! >= 0.5 ? pos : neg
    return out
  }
  for (let i = 0; i < n; i++) {
    let best = 0
    for (let c = 1; c < p.width; c++) if (p.output[i * p.width + c]! > p.output[i * p.width + best]!) best = c
    out[i] = best
  }
  return out
}

/** RUL in cycles from the regression output: unscaled, clipped to [0, cap]. */
export function predictedRul(target: TargetSpec & { kind: 'rul' }, p: Predictions): Float32Array {
  const out = new Float32Array(p.output.length)
  const cap = target.cap ?? Number.POSITIVE_INFINITY
  for (let i = 0; i < out.length; i++) out[i] = Math.min(cap, Math.max(0, p.output[i]! * target.scale))
  return out
}

/** The task's metrics over the samples with known truth. */
export function predictionMetrics(target: TargetSpec, p: Predictions): Record<string, MetricValue> {
  const n = p.output.length / p.width
  const known: number[] = []
  if (p.truth !== undefined) for (let i = 0; i < n; i++) if (!Number.isNaN(p.truth[i]!)) known.push(i)
  switch (target.kind) {
    case 'classes': {
      if (p.truth === undefined) return { labelled_samples: 0 }
      const predicted = predictedClasses(target, p)
      const truth = Int32Array.from(known, (i) => p.truth![i]!)
      const pred = Int32Array.from(known, (i) => predicted[i]!)
      const unseen = truth.filter((t) => t < 0).length
      const metrics: Record<string, MetricValue> = {
        accuracy: metricValue(accuracy(truth, pred)),
        macro_f1: metricValue(macroF1(truth, pred, target.classes.length)),
      }
      if (target.positive !== null) {
        const pos = target.classes.indexOf(target.positive)
        const s = binaryScores(truth, pred, pos)
        const labels = Int8Array.from(truth, (t) => (t < 0 ? -1 : t === pos ? 1 : 0))
        const scores = Float32Array.from(known, (i) => p.output[i]!)
        Object.assign(metrics, {
          f1: metricValue(s.f1),
          precision: metricValue(s.precision),
          recall: metricValue(s.recall),
          roc_auc: metricValue(rocAuc(labels, scores)),
        })
      } else {
        const probs = new Float32Array(known.length * p.width)
        known.forEach((i, k) => probs.set(p.output.subarray(i * p.width, (i + 1) * p.width), k * p.width))
        Object.assign(metrics, {
          f1: null,
          precision: null,
          recall: null,
          roc_auc: metricValue(macroRocAuc(truth, probs, p.width)),
        })
      }
      return { ...metrics, labelled_samples: known.length - unseen, unseen_label_samples: unseen }
    }
    case 'rul': {
      if (p.truth === undefined) return { labelled_samples: 0 }
      const rul = predictedRul(target, p)
      const truth = Float64Array.from(known, (i) => p.truth![i]!)
      const pred = Float64Array.from(known, (i) => rul[i]!)
      return {
        rmse: metricValue(rmse(truth, pred)),
        mae: metricValue(mae(truth, pred)),
        nasa_score: metricValue(nasaScore(truth, pred), 2),
        labelled_samples: known.length,
      }
    }
    case 'anomaly': {
      let flagged = 0
      for (let i = 0; i < n; i++) if (p.output[i]! > target.threshold) flagged++
      const metrics: Record<string, MetricValue> = {
        flagged_fraction: metricValue(n === 0 ? Number.NaN : flagged / n, 5),
        flagged,
        threshold: metricValue(target.threshold, 6),
        roc_auc: null,
      }
      if (known.length > 0) {
        metrics.roc_auc = metricValue(
          rocAuc(
            Int8Array.from(known, (i) => p.truth![i]!),
            Float32Array.from(known, (i) => p.output[i]!),
          ),
        )
      }
      return metrics
    }
  }
}

/** The q-quantile of `values` (linear interpolation between order statistics). */
export function quantile(values: Float32Array, q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = Float32Array.from(values).sort()
  const pos = q * (sorted.length - 1)
  const lo = Math.floor(pos)
  const hi = Math.min(sorted.length - 1, lo + 1)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

/**
 * Training the three networks of a fleet model from labelled samples (window-features.ts + labels.ts):
 *
 * - classifier: P(failure within the horizon), an MLP with a sigmoid head, positives repeated `positiveRepeat`
 *   times per epoch (failures are a few % of device-hours);
 * - rul: hours to failure / cap, an MLP regression over every sample whose RUL is known (censored ones left out);
 * - anomaly: the dense autoencoder (nets/autoencoder.ts) fitted on samples far from any failure, the detector for
 *   kinds and devices without failure labels; its threshold is a training quantile of the score.
 *
 * The MLP widths are part 1's measured tabular default (nets/mlp.ts); no fleet-specific architecture search was
 * run (see bench/models-fleet.ts for what the fleet benchmark measures).
 */
import type * as tf from '@tensorflow/tfjs'
import { reconstructionErrors } from '../nets/autoencoder.ts'
import { buildNetwork } from '../nets/network.ts'
import type { NetworkPlan } from '../nets/network.ts'
import { predictAll } from '../nets/predict.ts'
import { fitModel } from '../nets/train.ts'
import type { Labels } from './labels.ts'

/** Samples for training: inputs row-major [count × width] and their labels. */
export interface TrainingSamples {
  readonly values: Float32Array
  readonly width: number
  readonly count: number
  readonly labels: Labels
}

export interface FleetTrainOptions {
  /** Classifier hidden widths ([] = logistic regression). */
  readonly hidden: readonly number[]
  readonly rulHidden: readonly number[]
  readonly epochs: number
  readonly rulEpochs: number
  readonly anomalyEpochs: number
  readonly batchSize: number
  readonly learningRate: number
  /** Each positive sample is shown this many times per epoch. */
  readonly positiveRepeat: number
  /** Ensemble members of the classifier (averaged). */
  readonly members: number
  /** Anomaly threshold: this quantile of the healthy training scores. */
  readonly anomalyQuantile: number
  readonly seed: number
}

export const DEFAULT_FLEET_TRAINING: FleetTrainOptions = {
  hidden: [64, 32],
  rulHidden: [64, 32],
  epochs: 12,
  rulEpochs: 8,
  anomalyEpochs: 8,
  batchSize: 256,
  learningRate: 1e-3,
  positiveRepeat: 4,
  members: 1,
  anomalyQuantile: 0.99,
  seed: 1,
}

export interface TrainedNets {
  readonly classifier: tf.LayersModel
  readonly rul: tf.LayersModel
  readonly anomaly: tf.LayersModel
  readonly plans: { classifier: NetworkPlan; rul: NetworkPlan; anomaly: NetworkPlan }
  readonly anomalyThreshold: number
  readonly errorScale: number[]
  readonly counts: { classifier: number; rul: number; anomaly: number }
  readonly seconds: number
}

/** Gathers the samples `pick` selects (repeated `repeat(i)` times) into training arrays. */
function gather(
  s: TrainingSamples,
  repeat: (i: number) => number,
  target: (i: number) => number,
): { x: Float32Array; y: Float32Array; count: number } {
  let count = 0
  for (let i = 0; i < s.count; i++) count += repeat(i)
  const x = new Float32Array(count * s.width)
  const y = new Float32Array(count)
  let k = 0
  for (let i = 0; i < s.count; i++) {
    const times = repeat(i)
    for (let r = 0; r < times; r++) {
      x.set(s.values.subarray(i * s.width, (i + 1) * s.width), k * s.width)
      y[k++] = target(i)
    }
  }
  return { x, y, count }
}

/** Quantile q of values (linear between order statistics). */
export function quantileOf(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort()
  if (sorted.length === 0) return Number.NaN
  const pos = q * (sorted.length - 1)
  const lo = Math.floor(pos)
  const hi = Math.min(sorted.length - 1, lo + 1)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

/** Trains classifier, RUL regressor and anomaly detector on `samples`. */
export async function trainFleetNets(
  samples: TrainingSamples,
  rulCapHours: number,
  options: FleetTrainOptions = DEFAULT_FLEET_TRAINING,
): Promise<TrainedNets> {
  const started = performance.now()
  const { labels, width } = samples
  const fit = { batchSize: options.batchSize, learningRate: options.learningRate, averageFrom: 0.5 }

  const cls = gather(
    samples,
    (i) => (labels.keep[i] === 0 ? 0 : labels.y[i] === 1 ? options.positiveRepeat : 1),
    (i) => labels.y[i]!,
  )
  const classifierPlan: NetworkPlan = {
    arch: 'mlp',
    inputShape: [width],
    head: { kind: 'binary' },
    members: options.members,
    hidden: options.hidden,
  }
  const classifier = buildNetwork(classifierPlan, options.seed)
  for (let m = 0; m < classifier.members.length; m++) {
    await fitModel(
      classifier.members[m]!,
      { x: cls.x, shape: [width], y: cls.y, targetWidth: 1, count: cls.count },
      { ...fit, epochs: options.epochs, loss: 'binary-crossentropy', seed: options.seed + 17 * m },
    )
  }

  const reg = gather(
    samples,
    (i) => (labels.keep[i] === 1 && Number.isFinite(labels.rul[i]!) ? 1 : 0),
    (i) => labels.rul[i]! / rulCapHours,
  )
  const rulPlan: NetworkPlan = {
    arch: 'mlp',
    inputShape: [width],
    head: { kind: 'regression' },
    members: 1,
    hidden: options.rulHidden,
  }
  const rul = buildNetwork(rulPlan, options.seed + 1)
  await fitModel(
    rul.serving,
    { x: reg.x, shape: [width], y: reg.y, targetWidth: 1, count: reg.count },
    { ...fit, epochs: options.rulEpochs, loss: 'mse', seed: options.seed + 1 },
  )

  // Healthy reference: kept samples whose device is not failing within the RUL cap, or not within the rest of
  // the history (censored: no failure known ahead).
  const healthy = gather(
    samples,
    (i) => (labels.keep[i] === 1 && labels.y[i] === 0 && !(labels.rul[i]! < rulCapHours) ? 1 : 0),
    () => 0,
  )
  const anomalyPlan: NetworkPlan = {
    arch: 'autoencoder',
    inputShape: [width],
    head: { kind: 'reconstruction' },
    members: 1,
  }
  const anomaly = buildNetwork(anomalyPlan, options.seed + 2)
  await fitModel(
    anomaly.serving,
    { x: healthy.x, shape: [width], y: healthy.x, targetWidth: width, count: healthy.count },
    { ...fit, epochs: options.anomalyEpochs, loss: 'mse', seed: options.seed + 2 },
  )
  const recon = predictAll(anomaly.serving, healthy.x, [width], healthy.count).values
  const raw = reconstructionErrors(healthy.x, recon, width)
  const errorScale = new Array<number>(width).fill(0)
  for (let i = 0; i < healthy.count; i++)
    for (let j = 0; j < width; j++) errorScale[j]! += raw.perFeature[i * width + j]! / healthy.count
  for (let j = 0; j < width; j++) errorScale[j] = Math.max(errorScale[j]!, 1e-6)
  const scaled = reconstructionErrors(healthy.x, recon, width, errorScale)
  const anomalyThreshold = quantileOf(scaled.score, options.anomalyQuantile)

  return {
    classifier: classifier.serving,
    rul: rul.serving,
    anomaly: anomaly.serving,
    plans: { classifier: classifierPlan, rul: rulPlan, anomaly: anomalyPlan },
    anomalyThreshold,
    errorScale,
    counts: { classifier: cls.count, rul: reg.count, anomaly: healthy.count },
    seconds: (performance.now() - started) / 1000,
  }
}

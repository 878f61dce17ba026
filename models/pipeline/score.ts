/**
 * Scoring a table with a trained model: rebuild the inputs with the saved spec (never refitted), run the
 * network, and for the autoencoder turn reconstructions into scores and per-feature evidence.
 */
import type * as tf from '@tensorflow/tfjs'
import type { Table } from '../csv/table.ts'
import type { FeatureSpec } from '../features/spec.ts'
import { reconstructionErrors } from '../nets/autoencoder.ts'
import { predictAll } from '../nets/predict.ts'
import { buildSamples, prepare, samplePositions } from './dataset.ts'
import type { Prepared, Samples } from './dataset.ts'
import type { Predictions } from './predictions.ts'
import { encodeLabels } from './target.ts'

/** Predictions for samples, with provenance and (anomaly) per-feature squared errors. */
export interface Scored {
  readonly prepared: Prepared
  readonly samples: Samples
  readonly predictions: Predictions
  /** Anomaly only: squared reconstruction error per sample and input feature [count × features]. */
  readonly perFeature: Float32Array | undefined
}

/** Runs the model on built samples. */
export function runModel(
  model: tf.LayersModel,
  spec: Pick<FeatureSpec, 'task' | 'target'>,
  samples: Samples,
): { predictions: Predictions; perFeature: Float32Array | undefined } {
  const { inputs } = samples
  const out = predictAll(model, inputs.values, inputs.shape, inputs.count)
  if (spec.task !== 'anomaly') {
    return {
      predictions: { truth: samples.truth, output: out.values, width: out.width },
      perFeature: undefined,
    }
  }
  const scale = spec.target.kind === 'anomaly' ? (spec.target.errorScale ?? undefined) : undefined
  const { score, perFeature } = reconstructionErrors(inputs.values, out.values, inputs.size, scale)
  return { predictions: { truth: samples.truth, output: score, width: 1 }, perFeature }
}

/**
 * Scores every sample of `table` (restricted to rows with include[row] = 1 when given): each row, or each device
 * in group mode. Labels are read when the table has the spec's label column, for metrics.
 */
export function scoreTable(
  model: tf.LayersModel,
  spec: FeatureSpec,
  table: Table,
  include?: Uint8Array,
): Scored {
  const prepared = prepare(table, spec.group, spec.time)
  const labels = encodeLabels(table, spec.label, spec.target)
  const positions = samplePositions(prepared, spec.mode, include, undefined)
  const samples = buildSamples(prepared, spec, positions, labels)
  return { prepared, samples, ...runModel(model, spec, samples) }
}

/**
 * For each sample, the input features carrying the largest share of its reconstruction error (anomaly evidence):
 * up to `top` pairs of feature index and share.
 */
export function topContributors(
  perFeature: Float32Array,
  features: number,
  sample: number,
  top = 3,
): { feature: number; share: number }[] {
  let total = 0
  for (let j = 0; j < features; j++) total += perFeature[sample * features + j]!
  const ranked: { feature: number; share: number }[] = []
  for (let j = 0; j < features; j++) {
    ranked.push({ feature: j, share: total > 0 ? perFeature[sample * features + j]! / total : 0 })
  }
  return ranked.sort((a, b) => b.share - a.share).slice(0, top)
}

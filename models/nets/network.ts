/**
 * Assembles a complete network from a plan: trunk (MLP, temporal CNN or autoencoder), output head, and an
 * ensemble of independently initialised members averaged into one serving model. The members share the serving
 * model's layers, so training each member trains the serving model in place; one model.json holds them all.
 */
import * as tf from '@tensorflow/tfjs'
import { Rng } from '../rng.ts'
import { buildAutoencoder } from './autoencoder.ts'
import { MLP_HIDDEN, mlpTrunk } from './mlp.ts'
import { TEMPORAL_CNN_DEFAULTS, temporalCnnTrunk } from './temporal-cnn.ts'
import type { TemporalCnnOptions } from './temporal-cnn.ts'

export type Arch = 'mlp' | 'temporal-cnn' | 'autoencoder'

/** What the output layer predicts. */
export type Head =
  | { readonly kind: 'regression' }
  | { readonly kind: 'binary' }
  | { readonly kind: 'multiclass'; readonly classes: number }
  | { readonly kind: 'reconstruction' }

/** Everything needed to rebuild the architecture. */
export interface NetworkPlan {
  readonly arch: Arch
  readonly inputShape: readonly number[]
  readonly head: Head
  /** Ensemble size (averaged outputs); 1 = a single model. */
  readonly members: number
  readonly cnn?: TemporalCnnOptions
  /** Autoencoder widths (default autoencoderWidths(features)). */
  readonly autoencoder?: { readonly hidden: number; readonly code: number }
  /** MLP hidden widths (default MLP_HIDDEN). */
  readonly hidden?: readonly number[]
}

/** The serving model and the per-member models that train it. */
export interface Network {
  readonly serving: tf.LayersModel
  readonly members: readonly tf.LayersModel[]
}

function addHead(x: tf.SymbolicTensor, head: Head, rng: Rng): tf.SymbolicTensor {
  const kernelInitializer = tf.initializers.glorotUniform({ seed: rng.seed() })
  switch (head.kind) {
    case 'regression':
      return tf.layers.dense({ units: 1, kernelInitializer }).apply(x) as tf.SymbolicTensor
    case 'binary':
      return tf.layers
        .dense({ units: 1, activation: 'sigmoid', kernelInitializer })
        .apply(x) as tf.SymbolicTensor
    case 'multiclass':
      return tf.layers
        .dense({ units: head.classes, activation: 'softmax', kernelInitializer })
        .apply(x) as tf.SymbolicTensor
    case 'reconstruction':
      throw new Error('a reconstruction head belongs to the autoencoder')
  }
}

/** Builds the network for `plan`; `seed` fixes every initialiser, so the same seed gives the same weights. */
export function buildNetwork(plan: NetworkPlan, seed: number): Network {
  const rng = new Rng(seed)
  if (plan.arch === 'autoencoder') {
    const model = buildAutoencoder(plan.inputShape[0]!, rng, plan.autoencoder)
    return { serving: model, members: [model] }
  }
  const input = tf.input({ shape: [...plan.inputShape] })
  const outputs: tf.SymbolicTensor[] = []
  for (let m = 0; m < plan.members; m++) {
    const trunk =
      plan.arch === 'mlp'
        ? mlpTrunk(input, rng, plan.hidden ?? MLP_HIDDEN)
        : temporalCnnTrunk(input, rng, plan.cnn ?? TEMPORAL_CNN_DEFAULTS)
    outputs.push(addHead(trunk, plan.head, rng))
  }
  const members = outputs.map((output) => tf.model({ inputs: input, outputs: output }))
  if (members.length === 1) return { serving: members[0]!, members }
  const averaged = tf.layers.average().apply(outputs) as tf.SymbolicTensor
  return { serving: tf.model({ inputs: input, outputs: averaged }), members }
}

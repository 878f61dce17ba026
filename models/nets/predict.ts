/**
 * Batched inference into one typed array. The wasm backend pays per call, so batches are large (4,096 samples:
 * C-MAPSS test windows score in one call); tensors are disposed per batch so memory stays flat on big files.
 */
import * as tf from '@tensorflow/tfjs'

/** Runs `model` on `count` inputs of `shape`; returns the outputs row-major [count × outputWidth]. */
export function predictAll(
  model: tf.LayersModel,
  x: Float32Array,
  shape: readonly number[],
  count: number,
  batchSize = 4096,
): { values: Float32Array; width: number } {
  const size = shape.reduce((a, b) => a * b, 1)
  const outShape = model.outputs[0]!.shape
  const width = outShape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1)
  const values = new Float32Array(count * width)
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start)
    const out = tf.tidy(() => {
      const xs = tf.tensor(x.subarray(start * size, (start + n) * size), [n, ...shape])
      return (model.predict(xs) as tf.Tensor).dataSync() as Float32Array
    })
    values.set(out, start * width)
  }
  return { values, width }
}

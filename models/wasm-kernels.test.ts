/**
 * The replacement wasm kernels against naive loops: a wrong gradient would not crash anything, it would just train
 * worse, so the identities are checked numerically here.
 */
import { describe, it, before } from 'node:test'
import assert from 'node:assert/strict'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from './backend.ts'
import { Rng } from './rng.ts'

function randomArray(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) out[i] = rng.next() * 2 - 1
  return out
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4): void {
  assert.equal(actual.length, expected.length)
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!)
    assert.ok(d <= tol * (1 + Math.abs(expected[i]!)), `index ${i}: ${actual[i]} vs ${expected[i]}`)
  }
}

describe('wasm kernels', () => {
  before(async () => {
    await initBackend()
  })

  it('runs on the wasm backend', () => {
    assert.equal(tf.getBackend(), 'wasm')
  })

  it('tanh matches Math.tanh', () => {
    const xs = Float32Array.from({ length: 401 }, (_, i) => (i - 200) / 20)
    const ys = tf.tidy(() => tf.tanh(tf.tensor1d(xs)).dataSync())
    xs.forEach((x, i) => assert.ok(Math.abs(ys[i]! - Math.tanh(x)) < 1e-6, `tanh(${x}) = ${ys[i]}`))
  })

  it('matMul with transposed operands matches the naive product', () => {
    const rng = new Rng(1)
    const [m, k, n] = [5, 7, 3]
    const a = randomArray(k * m, rng) // stored as [k, m], used transposed
    const b = randomArray(n * k, rng) // stored as [n, k], used transposed
    const expected = new Float32Array(m * n)
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0
        for (let t = 0; t < k; t++) s += a[t * m + i]! * b[j * k + t]!
        expected[i * n + j] = s
      }
    }
    const out = tf.tidy(() =>
      tf.matMul(tf.tensor2d(a, [k, m]), tf.tensor2d(b, [n, k]), true, true).dataSync(),
    )
    assertClose(out, expected)
  })

  for (const padding of ['same', 'valid'] as const) {
    it(`conv1d gradients (${padding} padding) match naive loops`, () => {
      const rng = new Rng(2)
      const [batch, steps, cin, cout, width] = [3, 9, 4, 5, 3]
      const x = randomArray(batch * steps * cin, rng)
      const w = randomArray(width * cin * cout, rng)
      const left = padding === 'same' ? Math.floor((width - 1) / 2) : 0
      const outSteps = padding === 'same' ? steps : steps - width + 1
      const g = randomArray(batch * outSteps * cout, rng) // upstream gradient: loss = sum(y * g)
      const dx = new Float32Array(x.length)
      const dw = new Float32Array(w.length)
      for (let b = 0; b < batch; b++) {
        for (let t = 0; t < outSteps; t++) {
          for (let i = 0; i < width; i++) {
            const s = t + i - left
            if (s < 0 || s >= steps) continue
            for (let c = 0; c < cin; c++) {
              for (let f = 0; f < cout; f++) {
                const gv = g[(b * outSteps + t) * cout + f]!
                dx[(b * steps + s) * cin + c]! += w[(i * cin + c) * cout + f]! * gv
                dw[(i * cin + c) * cout + f]! += x[(b * steps + s) * cin + c]! * gv
              }
            }
          }
        }
      }
      const [gx, gw] = tf.tidy(() => {
        const gT = tf.tensor3d(g, [batch, outSteps, cout])
        const f = (xi: tf.Tensor, wi: tf.Tensor) =>
          tf
            .conv1d(xi as tf.Tensor3D, wi as tf.Tensor3D, 1, padding)
            .mul(gT)
            .sum()
        return tf.grads(f)([tf.tensor3d(x, [batch, steps, cin]), tf.tensor3d(w, [width, cin, cout])])
      })
      assertClose(gx!.dataSync(), dx)
      assertClose(gw!.dataSync(), dw)
      tf.dispose([gx!, gw!])
    })
  }
})

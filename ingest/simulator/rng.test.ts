import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Rng, createRng, hashString, keyOf, mixKey, smoothNoise, unitHash } from './rng.ts'

describe('Rng', () => {
  it('gives the same stream for the same key and a different one for another key', () => {
    const a = createRng(1, 'device', 'x')
    const b = createRng(1, 'device', 'x')
    const c = createRng(1, 'device', 'y')
    const seqA = Array.from({ length: 20 }, () => a.uint32())
    assert.deepEqual(
      seqA,
      Array.from({ length: 20 }, () => b.uint32()),
    )
    assert.notDeepEqual(
      seqA,
      Array.from({ length: 20 }, () => c.uint32()),
    )
  })

  it('draws uniform floats in [0, 1) with the right mean, and normals with unit variance', () => {
    const rng = new Rng(42)
    let sum = 0
    let sq = 0
    for (let i = 0; i < 20000; i++) {
      const u = rng.next()
      assert.ok(u >= 0 && u < 1)
      sum += u
      const z = rng.normal()
      sq += z * z
    }
    assert.ok(Math.abs(sum / 20000 - 0.5) < 0.01)
    assert.ok(Math.abs(sq / 20000 - 1) < 0.05)
  })

  it('draws Poisson counts with the requested mean, small and large', () => {
    const rng = new Rng(7)
    for (const mean of [0.3, 4, 80]) {
      let total = 0
      for (let i = 0; i < 5000; i++) total += rng.poisson(mean)
      assert.ok(Math.abs(total / 5000 - mean) < mean * 0.05 + 0.02, `mean ${mean}`)
    }
  })
})

describe('hashes', () => {
  it('are pure functions of their inputs, including indices beyond 2^32', () => {
    const key = keyOf(5, 'meter', 'c01-dev-em-1')
    assert.equal(unitHash(key, 123), unitHash(key, 123))
    assert.notEqual(mixKey(key, 1), mixKey(key, 1 + 2 ** 32))
    assert.notEqual(hashString('a'), hashString('b'))
  })

  it('smoothNoise stays in [-1, 1] and has no jumps', () => {
    let previous = smoothNoise(9, 0)
    for (let x = 0.001; x < 50; x += 0.001) {
      const v = smoothNoise(9, x)
      assert.ok(v >= -1 && v <= 1)
      assert.ok(Math.abs(v - previous) < 0.01)
      previous = v
    }
  })
})

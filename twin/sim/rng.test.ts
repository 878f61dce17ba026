import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { Rng } from './rng.ts'

describe('Rng', () => {
  it('replays the same sequence for the same seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = new Rng(seed)
        const b = new Rng(seed)
        for (let i = 0; i < 20; i++) assert.equal(a.nextUint32(), b.nextUint32())
      }),
    )
  })

  it('gives different sequences for neighbouring seeds', () => {
    const a = new Rng(1)
    const b = new Rng(2)
    let same = 0
    for (let i = 0; i < 100; i++) if (a.nextUint32() === b.nextUint32()) same++
    assert.ok(same < 3)
  })

  it('draws uniforms in [0, 1) with the right mean and variance', () => {
    const r = new Rng(42)
    let sum = 0
    let sum2 = 0
    const n = 100_000
    for (let i = 0; i < n; i++) {
      const x = r.next()
      assert.ok(x >= 0 && x < 1)
      sum += x
      sum2 += x * x
    }
    const mean = sum / n
    assert.ok(Math.abs(mean - 0.5) < 0.005)
    assert.ok(Math.abs(sum2 / n - mean * mean - 1 / 12) < 0.002)
  })

  it('draws normals with the requested mean and sd', () => {
    const r = new Rng(7)
    let sum = 0
    let sum2 = 0
    const n = 100_000
    for (let i = 0; i < n; i++) {
      const x = r.normal(1.34, 0.26)
      sum += x
      sum2 += x * x
    }
    const mean = sum / n
    assert.ok(Math.abs(mean - 1.34) < 0.005)
    assert.ok(Math.abs(Math.sqrt(sum2 / n - mean * mean) - 0.26) < 0.005)
  })

  it('keeps truncated normals inside their range', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0.1, max: 2, noNaN: true }), (seed, lo) => {
        const r = new Rng(seed)
        const x = r.truncatedNormal(lo + 0.2, 0.3, lo, lo + 0.4)
        assert.ok(x >= lo && x <= lo + 0.4)
      }),
    )
  })

  it('shuffles into a permutation', () => {
    const xs = new Rng(3).shuffle([1, 2, 3, 4, 5, 6, 7, 8])
    assert.deepEqual(
      [...xs].sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8],
    )
  })
})

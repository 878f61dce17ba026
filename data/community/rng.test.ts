// Tests for the seeded PRNG: determinism, ranges, independence of forked streams.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createRng, hashString, seedFrom } from './rng.ts'

function draws(seed: number, n: number): number[] {
  const rng = createRng(seed)
  return Array.from({ length: n }, () => rng.next())
}

describe('Rng', () => {
  it('repeats the same sequence for the same seed', () => {
    assert.deepEqual(draws(42, 100), draws(42, 100))
  })

  it('gives different sequences for different seeds, including seeds that differ only above 32 bits', () => {
    assert.notDeepEqual(draws(1, 10), draws(2, 10))
    assert.notEqual(seedFrom(1), seedFrom(1 + 2 ** 32))
    assert.notEqual(seedFrom(-1), seedFrom(1))
  })

  it('rejects seeds that are not safe integers', () => {
    assert.throws(() => createRng(1.5), RangeError)
    assert.throws(() => createRng(Number.NaN), RangeError)
  })

  it('draws floats in [0, 1) with a mean near one half', () => {
    const xs = draws(7, 20_000)
    assert.ok(xs.every((x) => x >= 0 && x < 1))
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`)
  })

  it('draws integers over the whole inclusive range and nothing outside it', () => {
    const rng = createRng(3)
    const seen = new Set<number>()
    for (let i = 0; i < 2_000; i++) seen.add(rng.int(-2, 3))
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      [-2, -1, 0, 1, 2, 3],
    )
  })

  it('never picks a zero-weight entry and follows the weights', () => {
    const rng = createRng(5)
    const counts = { a: 0, b: 0, c: 0 }
    for (let i = 0; i < 10_000; i++) {
      counts[
        rng.weighted([
          ['a', 1],
          ['b', 0],
          ['c', 3],
        ] as const)
      ]++
    }
    assert.equal(counts.b, 0)
    assert.ok(counts.c / counts.a > 2.6 && counts.c / counts.a < 3.4, JSON.stringify(counts))
  })

  it('shuffles into a permutation of the input', () => {
    const items = Array.from({ length: 50 }, (_, i) => i)
    const shuffled = createRng(9).shuffle([...items])
    assert.notDeepEqual(shuffled, items)
    assert.deepEqual(
      [...shuffled].sort((a, b) => a - b),
      items,
    )
  })

  it('forks streams that depend on the label but not on earlier draws', () => {
    const a = createRng(11)
    const b = createRng(11)
    b.next()
    b.next()
    assert.deepEqual(
      Array.from({ length: 5 }, () => a.fork('roads').next()),
      Array.from({ length: 5 }, () => b.fork('roads').next()),
    )
    assert.notEqual(createRng(11).fork('roads').next(), createRng(11).fork('people').next())
  })

  it('hashes strings to stable 32-bit values', () => {
    assert.equal(hashString(''), 0x811c9dc5)
    assert.equal(hashString('a'), 0xe40c292c)
  })
})

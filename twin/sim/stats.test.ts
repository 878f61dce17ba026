import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { quantile, summarize } from './stats.ts'

describe('stats', () => {
  it('interpolates quantiles', () => {
    assert.equal(quantile([1, 2, 3, 4, 5], 0.5), 3)
    assert.equal(quantile([0, 10], 0.95), 9.5)
    assert.ok(Number.isNaN(quantile([], 0.5)))
  })

  it('summarizes without touching the input', () => {
    const xs = [5, 1, 3]
    assert.deepEqual(summarize(xs), { n: 3, p50: 3, p95: 4.8, mean: 3, max: 5 })
    assert.deepEqual(xs, [5, 1, 3])
  })
})

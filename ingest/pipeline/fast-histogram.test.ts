import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Histogram, Registry } from 'prom-client'
import { FastHistogram } from './fast-histogram.ts'

describe('FastHistogram', () => {
  it('renders the same buckets, sum and count as prom-client for the same observations', async () => {
    const buckets = [0.1, 0.5, 1, 5]
    const fast = new FastHistogram('h', 'help text', buckets)
    const registry = new Registry()
    const reference = new Histogram({ name: 'h', help: 'help text', buckets, registers: [registry] })
    for (const v of [0, 0.1, 0.2, 0.5, 0.7, 1, 3, 5, 7, 100]) {
      fast.observe(v)
      reference.observe(v)
    }
    const expected = (await registry.metrics()).trim()
    assert.equal(fast.exposition().trim(), expected)
  })
})

import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { MinHeap } from './min-heap.ts'

describe('MinHeap', () => {
  it('pops keys in ascending order with their values, growing past its capacity', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 300 }), (keys) => {
        const h = new MinHeap(2)
        keys.forEach((k, i) => h.push(k, i))
        const out: number[] = []
        while (h.size > 0) {
          const v = h.pop()
          assert.equal(h.lastKey, keys[v])
          out.push(h.lastKey)
        }
        assert.deepEqual(
          out,
          [...keys].sort((a, b) => a - b),
        )
      }),
    )
  })
})

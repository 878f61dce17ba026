import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { SpatialHash } from './spatial-hash.ts'

/** Slots found by gather() for slot k, as agent indices within `cutoff`. */
function found(h: SpatialHash, k: number, px: Float64Array, py: Float64Array, cutoff: number): number[] {
  h.gather(k)
  const out: number[] = []
  for (let m = 0; m < h.rangeCount; m++) {
    for (let s = h.rangeStart[m]!; s < h.rangeEnd[m]!; s++) {
      if (h.rangeFilter && (h.cellX[s] !== h.rangeCX[m] || h.cellY[s] !== h.rangeCY[m])) continue
      const j = h.items[s]!
      const i = h.items[k]!
      if (j !== i && Math.hypot(px[i]! - px[j]!, py[i]! - py[j]!) < cutoff) out.push(j)
    }
  }
  return out.sort((a, b) => a - b)
}

describe('SpatialHash', () => {
  for (const size of [20, 500]) {
    it(`finds exactly the neighbours within the cutoff (${size < 100 ? 'dense' : 'hash'} layout)`, () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
            { minLength: 1, maxLength: 60 },
          ),
          (pts) => {
            const n = pts.length
            const px = Float64Array.from(pts, (p) => p[0] * 20 - 2)
            const py = Float64Array.from(pts, (p) => p[1] * 20 - 2)
            const h = new SpatialHash(n, 1.5, { minX: 0, minY: 0, maxX: size, maxY: size }, null)
            h.rebuild(
              px,
              py,
              new Float32Array(n),
              Int32Array.from({ length: n }, (_, i) => i),
              n,
            )
            assert.equal(h.dense, size < 100)
            for (let k = 0; k < n; k++) {
              const i = h.items[k]!
              const brute: number[] = []
              for (let j = 0; j < n; j++)
                if (j !== i && Math.hypot(px[i]! - px[j]!, py[i]! - py[j]!) < 1.5) brute.push(j)
              assert.deepEqual(found(h, k, px, py, 1.5), brute)
            }
          },
        ),
        { numRuns: 40 },
      )
    })
  }
})

import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { segmentDistanceSq } from './geometry.ts'
import { SegmentGrid, toSegments } from './segment-grid.ts'

const coord = fc.double({ min: 0, max: 30, noNaN: true })
const pt = fc.tuple(coord, coord)

describe('SegmentGrid', () => {
  it('lists every segment within reach in the cell of any point', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(pt, pt), { minLength: 1, maxLength: 20 }),
        fc.array(pt, { maxLength: 20 }),
        (segs, probes) => {
          const grid = new SegmentGrid(segs, 1.5, 1)
          for (const [x, y] of probes) {
            let brute = Infinity
            for (const [a, b] of segs)
              brute = Math.min(brute, segmentDistanceSq(x, y, a[0], a[1], b[0], b[1]))
            const found = grid.nearestDistanceSq(x, y)
            if (brute <= 1.5 * 1.5) assert.ok(Math.abs(found - brute) < 1e-9)
            else assert.ok(found >= brute - 1e-9)
          }
        },
      ),
    )
  })

  it('splits polylines and closes polygons', () => {
    const s = toSegments(
      [
        [
          [0, 0],
          [1, 0],
          [1, 1],
        ],
      ],
      [
        [
          [0, 0],
          [1, 0],
          [0, 1],
        ],
      ],
    )
    assert.equal(s.length, 2 + 3)
  })
})

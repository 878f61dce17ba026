import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  longestEdge,
  pointInPolygon,
  polygonArea,
  rect,
  segmentDistanceSq,
  segmentsCross,
} from './geometry.ts'

describe('geometry', () => {
  it('measures the distance to a segment, clamping to its ends', () => {
    assert.equal(segmentDistanceSq(0, 1, -1, 0, 1, 0), 1)
    assert.equal(segmentDistanceSq(3, 0, -1, 0, 1, 0), 4)
    assert.equal(segmentDistanceSq(0, 0, 0, 0, 0, 0), 0)
  })

  it('finds points inside rectangles', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        (x, y) => {
          const inside = x > -2 && x < 2 && y > -1 && y < 1
          if (Math.abs(Math.abs(x) - 2) < 1e-9 || Math.abs(Math.abs(y) - 1) < 1e-9) return
          assert.equal(pointInPolygon(x, y, rect(-2, -1, 2, 1)), inside)
        },
      ),
    )
  })

  it('detects proper crossings only', () => {
    assert.equal(segmentsCross(0, 0, 2, 2, 0, 2, 2, 0), true)
    assert.equal(segmentsCross(0, 0, 1, 0, 1, 0, 2, 0), false)
    assert.equal(segmentsCross(0, 0, 1, 1, 2, 2, 3, 3), false)
  })

  it('computes areas and edges of rectangles', () => {
    assert.equal(polygonArea(rect(0, 0, 3, 2)), 6)
    assert.equal(longestEdge(rect(0, 0, 3, 2)), 3)
  })
})

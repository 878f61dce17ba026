// Tests for the plane-geometry predicates the generator and its invariants rely on.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Polygon, Vec2 } from './types.ts'
import {
  pointAlong,
  pointInPolygon,
  polygonArea,
  polygonCentroid,
  polygonSignedArea,
  polygonsOverlap,
  polylineClearance,
  polylineLength,
  projectOnPolyline,
  rectPolygon,
  segmentsCross,
} from './geometry.ts'

const square = rectPolygon({ x0: 0, y0: 0, x1: 10, y1: 10 })
const chamfered: Polygon = [
  [0, 0],
  [100, 0],
  [100, 100],
  [12, 100],
  [0, 88],
]

describe('polygonArea', () => {
  it('measures rectangles and polygons with a cut corner', () => {
    assert.equal(polygonArea(square), 100)
    assert.equal(polygonArea(chamfered), 10_000 - 72)
  })

  it('is positive for counter-clockwise rings and negative for clockwise ones', () => {
    assert.ok(polygonSignedArea(square) > 0)
    assert.ok(polygonSignedArea([...square].reverse()) < 0)
  })
})

describe('polygonCentroid', () => {
  it('finds the centre of a rectangle', () => {
    assert.deepEqual(polygonCentroid(rectPolygon({ x0: 2, y0: 4, x1: 6, y1: 10 })), [4, 7])
  })
})

describe('pointInPolygon', () => {
  it('tells inside from outside, including the cut corner', () => {
    assert.equal(pointInPolygon([5, 5], square), true)
    assert.equal(pointInPolygon([15, 5], square), false)
    assert.equal(pointInPolygon([50, 50], chamfered), true)
    assert.equal(pointInPolygon([2, 98], chamfered), false)
  })
})

describe('segmentsCross', () => {
  it('reports proper crossings but not touching or collinear segments', () => {
    assert.equal(segmentsCross([0, 0], [2, 2], [0, 2], [2, 0]), true)
    assert.equal(segmentsCross([0, 0], [2, 0], [2, 0], [3, 1]), false)
    assert.equal(segmentsCross([0, 0], [2, 0], [1, 0], [3, 0]), false)
  })
})

describe('polygonsOverlap', () => {
  const at = (x0: number, y0: number, x1: number, y1: number) => rectPolygon({ x0, y0, x1, y1 })

  it('reports crossing, containing and identical polygons', () => {
    assert.equal(polygonsOverlap(square, at(5, 5, 15, 15)), true)
    assert.equal(polygonsOverlap(square, at(2, 2, 4, 4)), true)
    assert.equal(polygonsOverlap(at(2, 2, 4, 4), square), true)
    assert.equal(polygonsOverlap(square, at(0, 0, 10, 10)), true)
    assert.equal(polygonsOverlap(square, at(-5, 2, 15, 4)), true)
  })

  it('does not report separate or merely touching polygons', () => {
    assert.equal(polygonsOverlap(square, at(11, 0, 20, 10)), false)
    assert.equal(polygonsOverlap(square, at(10, 0, 20, 10)), false)
    assert.equal(polygonsOverlap(square, at(10, 10, 20, 20)), false)
  })
})

describe('polylineClearance', () => {
  it('is the gap between a road centreline and a building, and zero when the road enters it', () => {
    assert.equal(
      polylineClearance(
        [
          [-5, 13],
          [15, 13],
        ],
        square,
      ),
      3,
    )
    assert.equal(
      polylineClearance(
        [
          [-5, 5],
          [15, 5],
        ],
        square,
      ),
      0,
    )
    assert.equal(
      polylineClearance(
        [
          [5, 5],
          [6, 6],
        ],
        square,
      ),
      0,
    )
  })
})

describe('polylineLength / pointAlong / projectOnPolyline', () => {
  const line: Vec2[] = [
    [0, 0],
    [10, 0],
    [10, 5],
  ]

  it('measures along the bends', () => {
    assert.equal(polylineLength(line), 15)
  })

  it('finds the point and direction at an arc length', () => {
    assert.deepEqual(pointAlong(line, 12), { point: [10, 2], dir: [0, 1] })
  })

  it('projects a point back to its arc length', () => {
    assert.deepEqual(projectOnPolyline(line, [10, 2]), { s: 12, offset: 0 })
    assert.deepEqual(projectOnPolyline(line, [4, -3]), { s: 4, offset: 3 })
  })
})

// Tests for stall geometry: strips, the garage grid and the stretches of wall left for parking.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { AISLE, STALL_DEPTH, STALL_WIDTH, freeStretches, garageStalls, stripStalls } from './parking-grid.ts'

describe('stripStalls', () => {
  it('fits whole stalls along a strip, centred in it', () => {
    const stalls = stripStalls({ rect: { x0: 0, y0: 0, x1: 5.5, y1: 26 }, along: 'y', roadPoint: [9, 13] })
    assert.equal(stalls.length, 10)
    assert.deepEqual(stalls[0], [2.75, 1.75])
    assert.deepEqual(stalls[9], [2.75, 24.25])
  })
})

describe('garageStalls', () => {
  const rect = { x0: 0, y0: 0, x1: 2 * AISLE + 10 * STALL_WIDTH, y1: 2 * AISLE + 2 * STALL_DEPTH }

  it('lines back-to-back rows between aisles', () => {
    const stalls = garageStalls(rect, [])
    assert.equal(stalls.length, 20)
    const rows = [...new Set(stalls.map((s) => s[1].toFixed(2)))]
    assert.deepEqual(rows, [(AISLE + STALL_DEPTH / 2).toFixed(2), (AISLE + 1.5 * STALL_DEPTH).toFixed(2)])
  })

  it('skips stalls that would overlap a hole', () => {
    const stalls = garageStalls(rect, [{ x0: AISLE, y0: 0, x1: AISLE + 2 * STALL_WIDTH, y1: rect.y1 }])
    assert.equal(stalls.length, 16)
  })
})

describe('freeStretches', () => {
  it('cuts the keep-clear intervals out and drops pieces too short for a lot', () => {
    assert.deepEqual(freeStretches(0, 100, [[40, 60]]), [
      [0, 40],
      [60, 100],
    ])
    assert.deepEqual(freeStretches(0, 100, [[5, 95]]), [])
  })
})

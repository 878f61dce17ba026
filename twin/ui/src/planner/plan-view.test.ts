import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { CompactHeatmap } from '../../../sim/index.ts'
import { nearestGate, nearestOnOutline, paintHeatFrame, rectAround } from './plan-view.ts'

const square: [number, number][] = [
  [0, 0],
  [200, 0],
  [200, 100],
  [0, 100],
]

describe('plan view', () => {
  it('puts a new gate on the nearest point of the wall', () => {
    assert.deepEqual(nearestOnOutline(square, [150, 97]).point, [150, 100])
    assert.deepEqual(nearestOnOutline(square, [-5, 40]).point, [0, 40])
    assert.equal(nearestOnOutline(square, [150, 97]).distance, 3)
  })

  it('finds the gate a click is on, and none when the click is too far away', () => {
    const gates = [{ position: [0, 50] as const }, { position: [100, 0] as const }]
    assert.equal(nearestGate(gates, [3, 48], 8), 0)
    assert.equal(nearestGate(gates, [97, 4], 8), 1)
    assert.equal(nearestGate(gates, [50, 50], 8), -1)
    assert.equal(nearestGate([], [0, 0], 8), -1)
  })

  it('draws a lot as a rectangle around the click', () => {
    assert.deepEqual(rectAround([50, 50], 30, 20), [
      [35, 40],
      [65, 40],
      [65, 60],
      [35, 60],
    ])
  })

  it('paints a heatmap frame into texels: empty cells clear, fuller cells hotter and more opaque', () => {
    const h: CompactHeatmap = {
      originX: 0,
      originY: 0,
      cell: 2,
      cols: 3,
      rows: 2,
      interval: 10,
      peak: 9,
      // Cell 1 (row 0, col 1) has 1 person, cell 5 (row 1, col 2) 9; a cell outside the grid is ignored.
      frames: [[1, 1, 5, 9, 99, 4], []],
    }
    const out = new Uint8Array(3 * 2 * 4).fill(7)
    assert.equal(paintHeatFrame(h, 0, out), 10)
    assert.deepEqual([...out.subarray(0, 4)], [0, 0, 0, 0])
    assert.ok(out[1 * 4 + 3]! > 0 && out[1 * 4 + 3]! < out[5 * 4 + 3]!, 'opacity grows with the count')
    assert.notDeepEqual([...out.subarray(4, 7)], [...out.subarray(20, 23)], 'colour grows with the count')
    assert.equal(out[5 * 4 + 3], 255, 'the peak is opaque')
    assert.equal(paintHeatFrame(h, 1, out), 0)
    assert.ok(
      out.every((v) => v === 0),
      'an empty frame clears the texture',
    )
    assert.equal(paintHeatFrame(h, 7, out), 0, 'a frame that does not exist paints nothing')
  })
})

/** Row ordering, sequence windows and rolling statistics: the history each sample sees. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseCsv } from '../csv/parse.ts'
import { buildTable } from '../csv/table.ts'
import type { BaseMatrix } from './base.ts'
import { orderRows } from './ordering.ts'
import { groupStartOfPositions, writeWindowStats } from './rolling.ts'
import { sequenceWindows } from './windows.ts'

/** One numeric feature per row, two devices: positions 0-2 are device A (1, 2, 4), 3-4 device B (10, 20). */
const base: BaseMatrix = {
  values: Float32Array.from([1, 2, 4, 10, 20]),
  width: 1,
  numericWidth: 1,
  imputed: 0,
}
const groupStart = groupStartOfPositions(Int32Array.from([0, 3, 5]))

describe('orderRows', () => {
  it('groups by first appearance, sorts by numeric time, leaves out rows without a group', () => {
    const t = buildTable(parseCsv('g,t\nB,2\nA,5\n,1\nB,1\nA,NA\nA,3\n'))
    const o = orderRows(t, 'g', 't')
    assert.deepEqual(o.groupKeys, ['B', 'A'])
    assert.deepEqual([...o.order], [3, 0, 5, 1, 4])
    assert.deepEqual([...o.groupStarts], [0, 2, 5])
    assert.equal(o.rowsWithoutGroup, 1)
    assert.equal(o.positionOf[2], -1)
  })

  it('sorts ISO-like text times', () => {
    const t = buildTable(parseCsv('t,v\n2024-03-02T10:00,1\n2024-03-01T23:00,2\n'))
    assert.deepEqual([...orderRows(t, undefined, 't').order], [1, 0])
  })
})

describe('sequenceWindows', () => {
  it('ends each window at its sample and left-pads with the device first row, never crossing devices', () => {
    const w = sequenceWindows(base, groupStart, Int32Array.from([0, 2, 4]), 3)
    assert.deepEqual([...w], [1, 1, 1, 1, 2, 4, 10, 10, 20])
  })

  it('writes into a caller-provided buffer', () => {
    const out = new Float32Array(4)
    sequenceWindows(base, groupStart, Int32Array.from([1, 3]), 2, out)
    assert.deepEqual([...out], [1, 2, 10, 10])
  })
})

describe('writeWindowStats', () => {
  it('computes last, mean, std, slope, min, max, delta over the window', () => {
    const out = new Float32Array(7)
    writeWindowStats(base, 0, 2, 3, ['last', 'mean', 'std', 'slope', 'min', 'max', 'delta'], out, 0)
    // Values 1, 2, 4: mean 7/3; variance ((4/3)² + (1/3)² + (5/3)²)/3 = 14/9; slope Σ(t - 1)v / 2 = (-1 + 4)/2.
    const expected = [4, 7 / 3, Math.sqrt(14 / 9), 1.5, 1, 4, 2]
    expected.forEach((e, i) => assert.ok(Math.abs(out[i]! - e) < 1e-6, `stat ${i}: ${out[i]} vs ${e}`))
  })

  it('uses only the device history: a first row has zero spread, slope and delta', () => {
    const out = new Float32Array(3)
    writeWindowStats(base, 3, 3, 5, ['std', 'slope', 'delta'], out, 0)
    assert.deepEqual([...out], [0, 0, 0])
  })
})

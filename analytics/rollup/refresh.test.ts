import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { plan, ranges } from './refresh.ts'

const H = 3_600_000
const D = 24 * H

describe('plan', () => {
  const marked = (hour: number, marked: number) => ({
    hour,
    day: Math.floor(hour / D) * D,
    dayEnd: Math.floor(hour / D) * D + D,
    marked,
  })

  it('computes closed hours never computed, and keeps the watermark below the first stale one', () => {
    const now = 3 * D + 10 * H + 5 * 60_000
    const result = plan(
      [marked(3 * D + 8 * H, 1), marked(3 * D + 9 * H, 2), marked(3 * D + 10 * H, 3)],
      new Map(),
      now,
      60_000,
    )
    assert.deepEqual(result.hours, [3 * D + 8 * H, 3 * D + 9 * H])
    assert.equal(result.watermarks.hourUntil, 3 * D + 8 * H)
    assert.deepEqual(result.days, [])
    assert.equal(result.watermarks.dayUntil, 3 * D)
  })

  it('recomputes a bucket whose newest marker is newer than its computation', () => {
    const progress = new Map([
      [`hour:${D + H}`, 100],
      [`hour:${D + 2 * H}`, 100],
      [`day:${D}`, 100],
    ])
    const result = plan([marked(D + H, 50), marked(D + 2 * H, 150)], progress, 5 * D, 60_000)
    assert.deepEqual(result.hours, [D + 2 * H])
    assert.deepEqual(result.days, [{ day: D, end: 2 * D }])
    assert.equal(result.watermarks.hourUntil, D + 2 * H)
  })

  it('puts the watermark after the last bucket when everything is computed', () => {
    const progress = new Map([
      [`hour:${D + H}`, 100],
      [`day:${D}`, 100],
    ])
    const result = plan([marked(D + H, 50)], progress, 5 * D, 60_000)
    assert.deepEqual(result.watermarks, { hourUntil: D + 2 * H, dayUntil: 2 * D })
    assert.deepEqual(plan([], new Map(), 5 * D, 0).watermarks, { hourUntil: 0, dayUntil: 0 })
  })
})

describe('ranges', () => {
  it('joins consecutive buckets up to a maximum, without crossing a boundary', () => {
    const hours = [0, 1, 2, 5, 22, 23, 24, 25].map((h) => [h * H, (h + 1) * H] as const)
    assert.deepEqual(ranges(hours, 24, D), [
      [0, 3 * H],
      [5 * H, 6 * H],
      [22 * H, 24 * H],
      [24 * H, 26 * H],
    ])
    assert.deepEqual(ranges(hours.slice(0, 3), 2), [
      [0, 2 * H],
      [2 * H, 3 * H],
    ])
  })
})

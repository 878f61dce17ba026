import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { alignWindow, offsetAt, startOfDay, startOfMonth } from './window.ts'

const H = 3_600_000
const shanghai = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h, mi) - 8 * H

describe('KPI windows', () => {
  it('knows local days and months in the time zone', () => {
    assert.equal(offsetAt(Date.UTC(2026, 2, 10), 'Asia/Shanghai'), 8 * H)
    assert.equal(startOfDay(shanghai(2026, 3, 10, 0, 30), 'Asia/Shanghai'), shanghai(2026, 3, 10))
    assert.equal(startOfDay(shanghai(2026, 3, 10, 23, 59), 'Asia/Shanghai'), shanghai(2026, 3, 10))
    assert.equal(startOfMonth(shanghai(2026, 3, 31, 23), 'Asia/Shanghai'), shanghai(2026, 3, 1))
    // A zone with daylight saving time: the local day of a spring-forward date still starts at local midnight.
    assert.equal(startOfDay(Date.UTC(2026, 2, 29, 12), 'Europe/Berlin'), Date.UTC(2026, 2, 28, 23))
  })

  it('aligns windows outward to whole buckets and reads the matching level', () => {
    const hour = alignWindow(
      shanghai(2026, 3, 10, 10, 20),
      shanghai(2026, 3, 10, 12, 5),
      'hour',
      'Asia/Shanghai',
    )
    assert.deepEqual(hour, {
      from: shanghai(2026, 3, 10, 10),
      to: shanghai(2026, 3, 10, 13),
      scanFrom: shanghai(2026, 3, 10, 4),
      level: 'hour',
    })
    const day = alignWindow(shanghai(2026, 3, 10, 10), shanghai(2026, 3, 12, 0), 'day', 'Asia/Shanghai')
    assert.deepEqual(day, {
      from: shanghai(2026, 3, 10),
      to: shanghai(2026, 3, 12),
      scanFrom: shanghai(2026, 3, 7),
      level: 'day',
    })
    const month = alignWindow(shanghai(2026, 3, 10), shanghai(2026, 4, 2), 'month', 'Asia/Shanghai')
    assert.equal(month.from, shanghai(2026, 3, 1))
    assert.equal(month.to, shanghai(2026, 5, 1))
    assert.equal(month.level, 'day')
  })
})

/** The temporary-parking fee at its boundaries: free minutes, started hours, the daily cap, several days. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { stayMinutes, temporaryFee, type Tariff } from './tariff.ts'

const tariff: Tariff = { freeMinutes: 30, hourlyFen: 500, dailyCapFen: 3000 }
const at = (minutes: number, seconds = 0) =>
  new Date(Date.UTC(2026, 10, 25, 8, 0, 0) + minutes * 60_000 + seconds * 1000)
const start = at(0)

describe('temporaryFee', () => {
  const cases: [string, number, number][] = [
    ['no time at all', 0, 0],
    ['one minute', 1, 0],
    ['exactly the free minutes', 30, 0],
    ['one minute past free: the first hour, from the start', 31, 500],
    ['exactly one hour', 60, 500],
    ['a started second hour', 61, 1000],
    ['five hours: below the cap', 300, 2500],
    ['six hours: exactly the cap', 360, 3000],
    ['seven hours: capped', 420, 3000],
    ['exactly 24 hours: one cap', 1440, 3000],
    ['24 hours and a minute: a cap and a started hour', 1441, 3500],
    ['48 hours: two caps', 2880, 6000],
    ['two days and ten hours: two caps and a capped day', 2880 + 600, 9000],
    ['two days and thirty minutes: the free minutes do not apply past the first', 2880 + 30, 6500],
  ]
  for (const [name, minutes, fee] of cases)
    it(`${name} (${minutes} min → ${fee} fen)`, () => assert.equal(temporaryFee(minutes, tariff), fee))

  it('charges nothing with a zero price and honours a zero cap', () => {
    assert.equal(temporaryFee(600, { ...tariff, hourlyFen: 0 }), 0)
    assert.equal(temporaryFee(600, { ...tariff, dailyCapFen: 0 }), 0)
    assert.equal(temporaryFee(1, { ...tariff, freeMinutes: 0 }), 500)
  })

  it('refuses fractional or negative input', () => {
    assert.throws(() => temporaryFee(-1, tariff), RangeError)
    assert.throws(() => temporaryFee(1.5, tariff), RangeError)
    assert.throws(() => temporaryFee(10, { ...tariff, hourlyFen: 2.5 }), RangeError)
  })
})

describe('stayMinutes', () => {
  it('counts started minutes', () => {
    assert.equal(stayMinutes(start, start), 0)
    assert.equal(stayMinutes(start, at(0, 1)), 1)
    assert.equal(stayMinutes(start, at(1)), 1)
    assert.equal(stayMinutes(start, at(1, 1)), 2)
  })
  it('refuses an exit before the entry', () => assert.throws(() => stayMinutes(at(5), start), RangeError))
})

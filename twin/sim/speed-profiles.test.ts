import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { Rng } from './rng.ts'
import { drawGroupSpeed, drawSpeed, meanSpeedAtAge, rimeaSpeedTable, speedGroupOf } from './speed-profiles.ts'

describe('speed profiles', () => {
  it('groups ages as the RiMEA table does', () => {
    assert.equal(speedGroupOf(12), 'under30')
    assert.equal(speedGroupOf(30), '30to50')
    assert.equal(speedGroupOf(50), '30to50')
    assert.equal(speedGroupOf(51), 'over50')
    assert.equal(speedGroupOf(40, true), 'impaired')
  })

  it('always draws inside the group range', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.double({ min: 1, max: 100, noNaN: true }),
        fc.boolean(),
        (seed, age, impaired) => {
          const v = drawSpeed(new Rng(seed), age, impaired)
          const g = rimeaSpeedTable[speedGroupOf(age, impaired)]
          assert.ok(v >= g.min && v <= g.max)
        },
      ),
    )
  })

  it('peaks in the prime of life and slows with age', () => {
    assert.ok(meanSpeedAtAge(40) > meanSpeedAtAge(10))
    assert.ok(meanSpeedAtAge(40) > meanSpeedAtAge(80))
    const rng = new Rng(1)
    const xs = Array.from({ length: 2000 }, () => drawGroupSpeed(rng, '30to50'))
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length
    assert.ok(Math.abs(mean - 1.475) < 0.01)
  })
})

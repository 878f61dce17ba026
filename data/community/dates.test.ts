// Tests for the calendar helpers: ages are exact on the reference date and nothing lands after it.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createRng } from './rng.ts'
import { REFERENCE_DATE, ageOn, birthDateForAge, randomDay, randomDayInYears } from './dates.ts'

describe('birthDateForAge', () => {
  it('gives people exactly the requested age on the reference date', () => {
    const rng = createRng(1)
    for (let age = 0; age <= 100; age++) {
      for (let i = 0; i < 20; i++) assert.equal(ageOn(birthDateForAge(rng, age)), age)
    }
  })
})

describe('ageOn', () => {
  it('counts a birthday on the day itself and not the day before', () => {
    assert.equal(ageOn('2000-06-30', '2025-06-30'), 25)
    assert.equal(ageOn('2000-07-01', '2025-06-30'), 24)
    assert.equal(ageOn('2004-02-29', '2025-03-01'), 21)
  })
})

describe('randomDay', () => {
  it('stays inside the range and never passes the reference date', () => {
    const rng = createRng(2)
    for (let i = 0; i < 500; i++) {
      const d = randomDay(rng, '2024-01-01', '2030-12-31')
      assert.ok(d >= '2024-01-01' && d <= REFERENCE_DATE, d)
      const y = randomDayInYears(rng, 2010, 2012)
      assert.ok(y >= '2010-01-01' && y <= '2012-12-31', y)
    }
  })
})

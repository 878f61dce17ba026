/**
 * Plausibility of meter readings, table-driven: which use is flagged negative, a jump, a stuck meter or missing,
 * and which passes.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { assessReading, median, type ReadingInput } from './plausibility.ts'

const reading = (over: Partial<ReadingInput>): ReadingInput => ({
  kind: 'electricity_meter',
  previous: 1000,
  value: 1120,
  previousUsage: 110,
  typicalUsage: 100,
  ...over,
})

describe('assessReading', () => {
  const cases: [string, Partial<ReadingInput>, { usage: number | null; flag: string | null }][] = [
    ['a normal month', {}, { usage: 120, flag: null }],
    ['a counter that went backwards', { value: 990 }, { usage: -10, flag: 'negative' }],
    ['no value at close', { value: null }, { usage: null, flag: 'missing' }],
    ['no earlier value', { previous: null }, { usage: null, flag: 'missing' }],
    ['a counter that stood still after a month of use', { value: 1000 }, { usage: 0, flag: 'stuck' }],
    [
      'no use, and none the month before (vacant)',
      { value: 1000, previousUsage: 0 },
      { usage: 0, flag: null },
    ],
    ['no use, no history', { value: 1000, previousUsage: null }, { usage: 0, flag: null }],
    ['six times its own history', { value: 1000 + 660 }, { usage: 660, flag: 'jump' }],
    ['five times its own history (the limit)', { value: 1000 + 550 }, { usage: 550, flag: null }],
    [
      'a jump against the community when the meter has no history',
      { previousUsage: null, typicalUsage: 100, value: 1000 + 700 },
      { usage: 700, flag: 'jump' },
    ],
    [
      'a large factor but a small absolute rise is not a jump',
      { kind: 'water_meter', previousUsage: 1, typicalUsage: 1, value: 1000 + 9 },
      { usage: 9, flag: null },
    ],
    [
      'a water jump',
      { kind: 'water_meter', previousUsage: 5, value: 1000 + 40 },
      { usage: 40, flag: 'jump' },
    ],
    ['fractions are kept to 4 decimals', { value: 1000.12345 }, { usage: 0.1235, flag: null }],
  ]
  for (const [name, input, expected] of cases) {
    it(name, () => assert.deepEqual(assessReading(reading(input)), expected))
  }
})

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    assert.equal(median([]), null)
    assert.equal(median([3, 1, 2]), 2)
    assert.equal(median([4, 1, 3, 2]), 2.5)
  })
})

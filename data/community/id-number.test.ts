// Tests for GB 11643 ID numbers: the standard's own examples, and properties of the MOD 11-2 check character.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  composeIdNumber,
  idNumberBirthDate,
  idNumberCheckDigit,
  idNumberGender,
  isValidIdNumber,
} from './id-number.ts'

const birthDates = fc
  .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2025, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))
const divisions = fc.integer({ min: 110000, max: 659999 }).map(String)
const genders = fc.constantFrom('M' as const, 'F' as const)
const orders = fc.integer({ min: 0, max: 499 })

const composed = fc.tuple(divisions, birthDates, orders, genders).map(([division, birth, half, gender]) => ({
  id: composeIdNumber(division, birth, half * 2 + (gender === 'M' ? 1 : 0), gender),
  birth,
  gender,
}))

describe('idNumberCheckDigit', () => {
  it('reproduces the examples printed in GB 11643-1999', () => {
    assert.equal(idNumberCheckDigit('11010519491231002'), 'X')
    assert.equal(idNumberCheckDigit('44052418800101001'), '4')
  })

  it('rejects input that is not 17 digits', () => {
    assert.throws(() => idNumberCheckDigit('1234'), RangeError)
    assert.throws(() => idNumberCheckDigit('1101051949123100X'), RangeError)
  })
})

describe('isValidIdNumber', () => {
  it('accepts the standard examples and rejects a wrong check character', () => {
    assert.equal(isValidIdNumber('11010519491231002X'), true)
    assert.equal(isValidIdNumber('440524188001010014'), false, '1880 is before 1900')
    assert.equal(isValidIdNumber('110105194912310021'), false)
    assert.equal(isValidIdNumber('11010519491231002x'), false, 'lower-case x')
  })

  it('rejects impossible birth dates even with a matching check character', () => {
    const first17 = '31010419990230001'
    assert.equal(isValidIdNumber(first17 + idNumberCheckDigit(first17)), false)
  })

  it('accepts every composed number and decodes its birth date and gender (property)', () => {
    fc.assert(
      fc.property(composed, ({ id, birth, gender }) => {
        assert.equal(isValidIdNumber(id), true)
        assert.equal(idNumberBirthDate(id), birth)
        assert.equal(idNumberGender(id), gender)
      }),
    )
  })

  it('catches every single-digit substitution (property)', () => {
    fc.assert(
      fc.property(
        composed,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        ({ id }, at, delta) => {
          const digit = (Number(id[at]) + delta) % 10
          const mutated = id.slice(0, at) + String(digit) + id.slice(at + 1)
          assert.equal(isValidIdNumber(mutated), false, mutated)
        },
      ),
    )
  })

  it('catches every swap of two different adjacent digits (property)', () => {
    fc.assert(
      fc.property(composed, fc.integer({ min: 0, max: 15 }), ({ id }, at) => {
        fc.pre(id[at] !== id[at + 1])
        const swapped = id.slice(0, at) + (id[at + 1] as string) + (id[at] as string) + id.slice(at + 2)
        assert.equal(isValidIdNumber(swapped), false, swapped)
      }),
    )
  })
})

describe('composeIdNumber', () => {
  it('refuses an order code whose parity contradicts the gender', () => {
    assert.throws(() => composeIdNumber('310104', '1990-05-01', 122, 'M'), RangeError)
    assert.throws(() => composeIdNumber('310104', '1990-05-01', 121, 'F'), RangeError)
  })
})

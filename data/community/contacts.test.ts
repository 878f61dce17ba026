// Tests for mobile numbers and licence plates: well-formed, of the right kind, never handed out twice.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createRng } from './rng.ts'
import { PhoneRegistry, PlateRegistry, isValidMobile, isValidPlate } from './contacts.ts'

describe('isValidMobile', () => {
  it('accepts 11-digit numbers with a mainland mobile prefix and nothing else', () => {
    assert.equal(isValidMobile('13812345678'), true)
    assert.equal(isValidMobile('19912345678'), true)
    assert.equal(isValidMobile('12012345678'), false)
    assert.equal(isValidMobile('1381234567'), false)
    assert.equal(isValidMobile('02112345678'), false)
  })
})

describe('PhoneRegistry', () => {
  it('hands out valid numbers that never repeat', () => {
    const rng = createRng(1)
    const registry = new PhoneRegistry()
    const phones = Array.from({ length: 20_000 }, () => registry.next(rng))
    assert.equal(new Set(phones).size, phones.length)
    assert.ok(phones.every(isValidMobile))
  })
})

describe('isValidPlate', () => {
  it('tells fuel plates (5 characters) from new-energy plates (D/F + 5)', () => {
    assert.equal(isValidPlate('沪A12345', 'fuel'), true)
    assert.equal(isValidPlate('沪AB1234', 'fuel'), true)
    assert.equal(isValidPlate('沪AD12345', 'electric'), true)
    assert.equal(isValidPlate('沪AD12345', 'fuel'), false)
    assert.equal(isValidPlate('沪A12345', 'electric'), false)
  })

  it('rejects the letters I and O, unknown provinces and bad lengths', () => {
    assert.equal(isValidPlate('沪A1234O'), false)
    assert.equal(isValidPlate('沪I12345'), false)
    assert.equal(isValidPlate('X A12345'), false)
    assert.equal(isValidPlate('沪A1234'), false)
  })
})

describe('PlateRegistry', () => {
  it('hands out unique plates of the province, mostly with the city letter', () => {
    const rng = createRng(2)
    const registry = new PlateRegistry()
    const plates = Array.from({ length: 5_000 }, (_, i) => {
      const energy = i % 3 === 0 ? 'electric' : 'fuel'
      const plate = registry.next(rng, '浙', ['A', 'B', 'C'], energy)
      assert.ok(isValidPlate(plate, energy), plate)
      return plate
    })
    assert.equal(new Set(plates).size, plates.length)
    assert.ok(plates.every((p) => p.startsWith('浙')))
    const own = plates.filter((p) => p.startsWith('浙A')).length / plates.length
    assert.ok(own > 0.8 && own < 0.95, String(own))
  })
})

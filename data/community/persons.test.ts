// Tests for one synthetic resident: consistent age group and occupation, valid unique ID numbers and phones.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createRng } from './rng.ts'
import { CITIES } from './cities.ts'
import { PhoneRegistry } from './contacts.ts'
import { ageOn } from './dates.ts'
import { idNumberBirthDate, idNumberGender, isValidIdNumber } from './id-number.ts'
import { ageGroupOf, makePerson, occupationFor } from './persons.ts'

const shanghai = CITIES[0] as (typeof CITIES)[number]
const xuhui = shanghai.districts[1] as (typeof shanghai.districts)[number]

describe('ageGroupOf', () => {
  it('splits at 18 and 60', () => {
    assert.deepEqual([0, 17, 18, 59, 60, 90].map(ageGroupOf), [
      'child',
      'child',
      'adult',
      'adult',
      'elderly',
      'elderly',
    ])
  })
})

describe('occupationFor', () => {
  it('keeps infants home, 3–5 in kindergarten, children at school and nobody retired before 60', () => {
    const rng = createRng(1)
    for (let i = 0; i < 2_000; i++) {
      const age = i % 95
      const job = occupationFor(rng, age)
      if (age < 3) assert.equal(job, 'home')
      else if (age < 6) assert.equal(job, 'preschool')
      else if (age < 18) assert.equal(job, 'student')
      if (age < 60) assert.notEqual(job, 'retired')
      if (age >= 65) assert.equal(job, 'retired')
    }
  })
})

describe('makePerson', () => {
  const make = (age: number, gender: 'M' | 'F', localShare = 1) => {
    const rng = createRng(age * 7 + (gender === 'M' ? 1 : 0))
    const registries = { phones: new PhoneRegistry(), idNumbers: new Set<string>() }
    return makePerson(
      rng,
      { city: shanghai, district: xuhui, registries },
      { id: 'r1', householdId: 'h1', surname: '王', gender, age, relation: 'owner', localShare },
    )
  }

  it('encodes birth date, gender and a local division code in a valid ID number', () => {
    const p = make(40, 'F')
    assert.ok(isValidIdNumber(p.idNumber))
    assert.equal(idNumberBirthDate(p.idNumber), p.birthDate)
    assert.equal(idNumberGender(p.idNumber), 'F')
    assert.ok(p.idNumber.startsWith('3101'), p.idNumber)
    assert.equal(ageOn(p.birthDate), 40)
    assert.ok(p.name.startsWith('王'))
  })

  it('uses another city’s division code for people born elsewhere', () => {
    assert.ok(!make(30, 'M', 0).idNumber.startsWith('3101'))
  })

  it('gives no phone to a child under twelve and one to a teenager', () => {
    assert.equal(make(8, 'M').phone, null)
    assert.match(make(15, 'M').phone ?? '', /^1\d{10}$/)
  })

  it('never repeats an ID number within shared registries', () => {
    const rng = createRng(5)
    const registries = { phones: new PhoneRegistry(), idNumbers: new Set<string>() }
    const ids = Array.from(
      { length: 3_000 },
      (_, i) =>
        makePerson(
          rng,
          { city: shanghai, district: xuhui, registries },
          {
            id: `r${i}`,
            householdId: 'h',
            surname: '李',
            gender: 'M',
            age: 30,
            relation: 'owner',
            localShare: 1,
          },
        ).idNumber,
    )
    assert.equal(new Set(ids).size, ids.length)
  })
})

// Tests for units: door numbers, floor areas and bedrooms by building type.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateCommunity } from './generate.ts'
import { bedroomsFor } from './units.ts'

const c = generateCommunity({ seed: 2, profile: 'default' }).communities[0] as ReturnType<
  typeof generateCommunity
>['communities'][number]
const kindOf = new Map(c.buildings.map((b) => [b.id, b.kind]))

describe('buildUnits', () => {
  it('numbers doors floor-then-position, so 1502 is floor 15, unit 02', () => {
    for (const u of c.units) {
      assert.equal(u.number, `${u.floor}${u.number.slice(-2)}`)
      assert.match(u.number.slice(-2), /^0[1-9]|1\d$/)
      assert.ok(u.id.endsWith(`-e${u.entrance}-u${u.number}`), u.id)
    }
  })

  it('sizes walk-up flats 60–120 m² and tower flats 80–180 m²', () => {
    for (const u of c.units) {
      const kind = kindOf.get(u.buildingId)
      if (kind === 'walkup') assert.ok(u.area >= 60 && u.area <= 120, `${u.id} ${u.area}`)
      if (kind === 'tower') assert.ok(u.area >= 80 && u.area <= 180, `${u.id} ${u.area}`)
    }
  })

  it('marks shop units commercial and flats residential', () => {
    for (const u of c.units)
      assert.equal(u.usage, kindOf.get(u.buildingId) === 'commercial' ? 'commercial' : 'residential')
  })

  it('gives 2–4 units per floor per tower entrance and 2 per walk-up landing', () => {
    const perLanding = new Map<string, number>()
    for (const u of c.units) {
      const key = `${u.buildingId}/${u.entrance}/${u.floor}`
      perLanding.set(key, (perLanding.get(key) ?? 0) + 1)
    }
    for (const [key, n] of perLanding) {
      const kind = kindOf.get(key.split('/')[0] as string)
      if (kind === 'walkup') assert.equal(n, 2, key)
      if (kind === 'tower') assert.ok(n >= 2 && n <= 4, key)
    }
  })
})

describe('bedroomsFor', () => {
  it('grows with floor area', () => {
    assert.deepEqual([60, 75, 100, 150].map(bedroomsFor), [1, 2, 3, 4])
  })
})

// Tests for the set summary the CLI prints.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateCommunity } from './generate.ts'
import { summarize } from './stats.ts'

describe('summarize', () => {
  it('counts every list and breaks buildings and devices down by kind', () => {
    const set = generateCommunity({ seed: 1, profile: 'small' })
    const c = set.communities[0] as (typeof set.communities)[number]
    const s = summarize(set)
    assert.equal(s.units, c.units.length)
    assert.equal(s.residents, c.residents.length)
    assert.equal(s.parkingSpaces, c.parkingSpaces.length)
    assert.equal(s.devices, c.devices.length)
    assert.equal(
      Object.values(s.devicesByKind).reduce((a, b) => a + b, 0),
      s.devices,
    )
    assert.equal(
      Object.values(s.buildingsByKind).reduce((a, b) => a + b, 0),
      s.buildings,
    )
    assert.equal(s.occupiedHouseholds, c.households.filter((h) => h.tenure !== 'vacant').length)
    assert.equal(s.seed, 1)
    assert.equal(s.profile, 'small')
  })
})

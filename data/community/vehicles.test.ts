// Tests for vehicles: how many, what energy, and how they are linked to spaces.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateCommunity } from './generate.ts'

const set = generateCommunity({ seed: 4, profile: 'default' })
const c = set.communities[0] as (typeof set.communities)[number]
const spaces = new Map(c.parkingSpaces.map((s) => [s.id, s]))

describe('assignVehicles', () => {
  it('gives 0.6–0.9 vehicles per household, only to occupied ones', () => {
    const ratio = c.vehicles.length / c.households.length
    assert.ok(ratio >= 0.6 && ratio <= 0.9, String(ratio))
    const vacant = new Set(c.households.filter((h) => h.tenure === 'vacant').map((h) => h.id))
    assert.ok(c.vehicles.every((v) => !vacant.has(v.householdId)))
  })

  it('makes about three in ten new-energy, with the 6-character green plate', () => {
    const electric = c.vehicles.filter((v) => v.energy === 'electric')
    const share = electric.length / c.vehicles.length
    assert.ok(share > 0.22 && share < 0.38, String(share))
    assert.ok(electric.every((v) => [...v.plate].length === 8 && /^[DF]/.test([...v.plate][2] ?? '')))
  })

  it('links most vehicles to owned or monthly spaces, never visitor ones, and charges electric cars first', () => {
    const linked = c.vehicles.filter((v) => v.spaceId !== null)
    assert.ok(linked.length / c.vehicles.length > 0.75)
    assert.ok(linked.every((v) => spaces.get(v.spaceId as string)?.tenure !== 'visitor'))
    const onCharger = (energy: 'fuel' | 'electric') =>
      linked.filter((v) => v.energy === energy && spaces.get(v.spaceId as string)?.kind === 'ev_charging')
        .length
    assert.equal(onCharger('fuel'), 0)
    assert.ok(onCharger('electric') > 0)
  })
})

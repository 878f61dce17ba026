// Tests for profile plans: distinct names, anchors in their districts, plausible years.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createRng } from './rng.ts'
import { PROFILES, planCommunities } from './profiles.ts'

describe('planCommunities', () => {
  it('plans as many communities as the profile asks, with distinct names and ids', () => {
    for (const profile of ['small', 'default', 'large'] as const) {
      const plans = planCommunities(createRng(1), profile)
      assert.equal(plans.length, PROFILES[profile].communities)
      assert.equal(new Set(plans.map((p) => p.name)).size, plans.length)
      assert.deepEqual(
        plans.map((p) => p.id),
        plans.map((_, i) => `c${String(i + 1).padStart(2, '0')}`),
      )
    }
  })

  it('anchors each community within a few kilometres of its district and builds towers after walk-ups', () => {
    for (const p of planCommunities(createRng(2), 'large')) {
      assert.ok(
        Math.abs(p.anchor.lat - p.district.lat) <= 0.02 && Math.abs(p.anchor.lon - p.district.lon) <= 0.02,
      )
      assert.ok(p.towerYear >= p.builtYear && p.builtYear >= 1998 && p.towerYear <= 2020)
      assert.ok(p.towerFloors.every((f) => f >= 18 && f <= 33))
    }
  })

  it('mixes cities and estate types in the large profile', () => {
    const plans = planCommunities(createRng(3), 'large')
    assert.ok(new Set(plans.map((p) => p.city.name)).size >= 4)
    assert.ok(plans.some((p) => p.archetype === 'highrise') && plans.some((p) => p.archetype === 'mixed'))
  })
})

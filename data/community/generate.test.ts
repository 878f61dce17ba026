// Tests for generateCommunity: determinism, the invariants every generated set satisfies, and the profile sizes.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { CommunitySet } from './types.ts'
import type { ViolationCode } from './invariants-types.ts'
import { generateCommunity } from './generate.ts'
import { findViolations } from './invariants.ts'
import { summarize } from './stats.ts'

const smallSets = [1, 2, 3, 4, 5].map((seed) => generateCommunity({ seed, profile: 'small' }))
const defaultSet = generateCommunity({ seed: 1, profile: 'default' })
const violations = [...smallSets, defaultSet].flatMap(findViolations)

function only(code: ViolationCode): string[] {
  return violations.filter((v) => v.code === code).map((v) => `${v.id}: ${v.message}`)
}

function communitiesOf(sets: readonly CommunitySet[]) {
  return sets.flatMap((s) => s.communities)
}

describe('generateCommunity', () => {
  it('gives byte-identical JSON for the same seed and profile', () => {
    assert.equal(
      JSON.stringify(generateCommunity({ seed: 1, profile: 'small' })),
      JSON.stringify(smallSets[0]),
    )
    assert.equal(
      JSON.stringify(generateCommunity({ seed: 1, profile: 'default' })),
      JSON.stringify(defaultSet),
    )
  })

  it('gives different communities for different seeds', () => {
    assert.notEqual(JSON.stringify(smallSets[0]), JSON.stringify(smallSets[1]))
    assert.notDeepEqual(
      smallSets[0]?.communities[0]?.residents[0],
      smallSets[1]?.communities[0]?.residents[0],
    )
  })

  it('rejects a seed that is not a safe integer and an unknown profile', () => {
    assert.throws(() => generateCommunity({ seed: 0.5, profile: 'small' }), RangeError)
    assert.throws(() => generateCommunity({ seed: 1, profile: 'huge' as 'small' }), RangeError)
  })

  it('places every unit in an existing building, on one of its floors', () => {
    assert.deepEqual(only('unit-building'), [])
  })

  it('puts every household in an existing residential unit and every resident in an occupied household', () => {
    assert.deepEqual(only('household-unit'), [])
    assert.deepEqual(only('resident-household'), [])
  })

  it('resolves every other reference (nodes, lots, spaces, gates, device owners) and books no space twice', () => {
    assert.deepEqual(only('dangling-ref'), [])
    assert.deepEqual(only('space-double-booked'), [])
  })

  it('keeps every building, area, lot, space, road node and device inside the boundary', () => {
    assert.deepEqual(only('outside-boundary'), [])
  })

  it('does not let buildings overlap each other, roads or open areas', () => {
    assert.deepEqual(only('building-overlap'), [])
    assert.deepEqual(only('road-through-building'), [])
    assert.deepEqual(only('area-over-building'), [])
  })

  it('keeps homes at least 1.2× the southern neighbour’s height behind it', () => {
    assert.deepEqual(only('sunlight'), [])
  })

  it('uses every id once across the whole set, with MQTT-safe device ids', () => {
    assert.deepEqual(only('duplicate-id'), [])
    assert.deepEqual(only('device-id'), [])
  })

  it('gives every resident a valid, unique ID number matching birth date and gender', () => {
    assert.deepEqual(only('id-number'), [])
    assert.deepEqual(only('age-group'), [])
  })

  it('gives well-formed unique phones to everyone twelve or older and none to younger children', () => {
    assert.deepEqual(only('phone'), [])
    const residents = communitiesOf([defaultSet]).flatMap((c) => c.residents)
    const children = residents.filter((r) => r.birthDate > '2013-06-30')
    assert.ok(children.length > 100)
    assert.ok(children.every((r) => r.phone === null))
  })

  it('gives unique plates of the community’s province, green ones to new-energy cars', () => {
    assert.deepEqual(only('plate'), [])
    for (const c of communitiesOf([defaultSet, ...smallSets])) {
      const province =
        c.city === '上海市' ? '沪' : c.city === '杭州市' ? '浙' : c.city === '成都市' ? '川' : null
      assert.ok(province !== null, c.city)
      assert.ok(c.vehicles.every((v) => v.plate.startsWith(province)))
    }
  })

  it('builds a connected road graph with edge lengths equal to their polylines, and gates on road nodes at the wall', () => {
    assert.deepEqual(only('road-disconnected'), [])
    assert.deepEqual(only('edge-length'), [])
    assert.deepEqual(only('gate-node'), [])
  })

  it('places building devices in their building and site devices outside every building', () => {
    assert.deepEqual(only('device-placement'), [])
  })

  it('never dates an install before its building was built or after the reference date', () => {
    assert.deepEqual(only('install-date'), [])
  })

  it('sizes the small profile for tests: one community of 100–200 households, in under 100 ms', () => {
    const s = summarize(smallSets[0] as CommunitySet)
    assert.equal(s.communities, 1)
    assert.ok(s.households >= 100 && s.households <= 200, String(s.households))
    // The fastest of a few runs, so a busy machine does not fail the test.
    const times = [1, 2, 3, 4, 5].map(() => {
      const t = performance.now()
      generateCommunity({ seed: 9, profile: 'small' })
      return performance.now() - t
    })
    assert.ok(Math.min(...times) < 100, `${Math.min(...times).toFixed(1)} ms`)
  })

  it('sizes the default profile at about 2,000 households and at least 5,000 devices', () => {
    const s = summarize(defaultSet)
    assert.equal(s.communities, 1)
    assert.ok(s.households >= 1800 && s.households <= 2200, String(s.households))
    assert.ok(s.devices >= 5000, String(s.devices))
    for (const kind of Object.keys(s.buildingsByKind) as (keyof typeof s.buildingsByKind)[]) {
      assert.ok(s.buildingsByKind[kind] > 0, `no ${kind}`)
    }
    for (const kind of Object.keys(s.devicesByKind) as (keyof typeof s.devicesByKind)[]) {
      assert.ok(s.devicesByKind[kind] > 0, `no ${kind}`)
    }
  })

  it('sizes the large profile at 10+ communities and 50,000+ devices, all sound, in under 20 s', () => {
    const t = performance.now()
    const large = generateCommunity({ seed: 1, profile: 'large' })
    const ms = performance.now() - t
    const s = summarize(large)
    assert.ok(s.communities >= 10, String(s.communities))
    assert.ok(s.devices >= 50_000, String(s.devices))
    assert.ok(ms < 20_000, `${ms} ms`)
    assert.equal(new Set(large.communities.map((c) => c.name)).size, large.communities.length)
    assert.ok(new Set(large.communities.map((c) => c.city)).size >= 3)
    assert.deepEqual(findViolations(large).slice(0, 5), [])
  })
})

import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Community } from '../../data/community/types.ts'
import { fixtureCommunity } from './community-fixture.ts'
import { buildingEvacuation, EvacuationError } from './evacuation.ts'
import { runScenario } from './run.ts'
import { parseScenario } from './scenario.ts'

/** The same community with building `id` cut to `floors` storeys, its flats stacked on the lower floors. */
function lowered(c: Community, id: string, floors: number): Community {
  return {
    ...c,
    buildings: c.buildings.map((b) => (b.id === id ? { ...b, floors, height: floors * b.floorHeight } : b)),
    units: c.units.map((u) => (u.buildingId === id ? { ...u, floor: 1 + ((u.floor - 1) % floors) } : u)),
  }
}

describe('building evacuation', () => {
  const community = fixtureCommunity(4, 20)

  it('places every resident of the building at their entrance, after reaction, stairs and door', () => {
    const s = parseScenario(buildingEvacuation(community, { seed: 1, buildings: ['b1'] }))
    const residents = community.residents.filter((r) => r.householdId.startsWith('b1-')).length
    assert.equal(s.pedestrians.length, residents)
    assert.ok(
      s.pedestrians.every((p) => (p.appear ?? 0) >= 30),
      'nobody is out before reacting',
    )
    // Each stair core discharges at most STAIR_FLOW people a second.
    const firstCore = s.pedestrians.filter((p) => p.position[0] < 35).map((p) => p.appear ?? 0)
    firstCore.sort((a, b) => a - b)
    for (let k = 1; k < firstCore.length; k++) assert.ok(firstCore[k]! - firstCore[k - 1]! >= 0.76)
    assert.ok(
      s.exits.every((e) => e.service === undefined),
      'gates stand open in an evacuation',
    )
  })

  it('takes longer to evacuate an 18-storey building than the same households on 6 storeys', () => {
    const tall = runScenario(parseScenario(buildingEvacuation(community, { seed: 2, buildings: ['b1'] })))
    const low = runScenario(
      parseScenario(buildingEvacuation(lowered(community, 'b1', 6), { seed: 2, buildings: ['b1'] })),
    )
    console.log(`evacuation of b1: 18 storeys ${tall.evacuationTime} s, 6 storeys ${low.evacuationTime} s`)
    assert.equal(tall.arrived, tall.total)
    assert.equal(low.arrived, low.total)
    assert.ok(
      tall.evacuationTime! > low.evacuationTime! + 60,
      `${tall.evacuationTime} vs ${low.evacuationTime}`,
    )
  })

  it('sends people to the assembly points asked for, and evacuates the buildings of an area', () => {
    const s = parseScenario(
      buildingEvacuation(community, {
        seed: 1,
        area: [
          [0, 0],
          [110, 0],
          [110, 60],
          [0, 60],
        ],
        assembly: ['fitness'],
      }),
    )
    assert.deepEqual(
      s.exits.map((e) => e.id),
      ['area:fitness'],
    )
    const homes = new Set(s.pedestrians.map((p) => p.id.split('-')[0]))
    assert.deepEqual([...homes].sort(), ['b1', 'b2'])
  })

  it('refuses an unknown building or assembly point by name', () => {
    assert.throws(
      () => buildingEvacuation(community, { seed: 1, buildings: ['b999'] }),
      (e: unknown) => e instanceof EvacuationError && /unknown building "b999"/.test(e.message),
    )
    assert.throws(
      () => buildingEvacuation(community, { seed: 1, assembly: ['nowhere'] }),
      /unknown assembly point "nowhere"/,
    )
  })
})

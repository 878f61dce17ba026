import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { walkingDistances } from './access.ts'
import { fixtureCommunity } from './community-fixture.ts'
import { communityEvacuation, communityScenario } from './demand.ts'
import { runScenario } from './run.ts'
import { parseScenario } from './scenario.ts'

describe('community demand', () => {
  const community = fixtureCommunity(2, 6)

  it('turns a community day into a valid, deterministic scenario', () => {
    const a = communityScenario(community, { seed: 1, from: 0, to: 24 * 3600 })
    const b = communityScenario(community, { seed: 1, from: 0, to: 24 * 3600 })
    assert.deepEqual(a, b)
    const s = parseScenario(a)
    assert.ok(s.pedestrians.length > community.residents.length, 'out and back trips')
    assert.ok(s.vehicles.some((v) => v.kind === 'waste'))
    assert.ok(s.vehicles.some((v) => v.kind === 'visitor'))
  })

  it('keeps only the trips of the window, and peaks in the morning', () => {
    const peak = parseScenario(communityScenario(community, { seed: 1, from: 7 * 3600, to: 9 * 3600 }))
    const noon = parseScenario(communityScenario(community, { seed: 1, from: 12 * 3600, to: 14 * 3600 }))
    assert.ok(peak.pedestrians.every((p) => (p.appear ?? 0) < 2 * 3600))
    assert.ok(
      peak.pedestrians.length + peak.vehicles.length > 2 * (noon.pedestrians.length + noon.vehicles.length),
    )
  })

  it('simulates the morning peak: everyone reaches their destination', () => {
    const r = runScenario(
      parseScenario(communityScenario(community, { seed: 1, from: 7 * 3600, to: 9 * 3600 })),
    )
    assert.equal(r.arrived, r.total)
    assert.ok(r.vehicles && r.vehicles.gateWait.n > 0)
    assert.ok(r.heatmap && r.heatmap.frames.length > 1)
    assert.ok(r.flows.find((f) => f.id === 'gate:gate-south')!.count > 0, 'people counted through the gate')
  })

  it('evacuates the outdoor area through the gates', () => {
    const r = runScenario(parseScenario(communityEvacuation(community, { seed: 1, count: 300 })))
    assert.equal(r.arrived, 300)
    assert.ok(r.evacuationTime! > 60)
  })

  it('measures walking distances to the nearest facility of each kind', () => {
    const d = walkingDistances(community)
    const gate = d.find((x) => x.kind === 'gate')!
    assert.ok(gate.mean > 20 && gate.mean < 400, `gate ${gate.mean}`)
    assert.equal(gate.unreachable, 0)
    assert.ok(d.some((x) => x.kind === 'fitness'))
  })
})

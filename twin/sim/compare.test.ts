import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { compareResults } from './compare.ts'
import { fixtureCommunity } from './community-fixture.ts'
import { communityScenario } from './demand.ts'
import { applyLayoutChanges } from './layout.ts'
import { runScenario } from './run.ts'
import { parseScenario } from './scenario.ts'

describe('scenario comparison', () => {
  it('adding a second gate lowers the p95 gate wait in the morning peak', (t) => {
    const base = fixtureCommunity(3)
    const variant = applyLayoutChanges(base, [
      {
        type: 'addGate',
        gate: {
          id: 'gate-north',
          communityId: base.id,
          name: '北门',
          kind: 'mixed',
          position: [150, 200],
          nodeId: 'n-gate',
          lanes: 1,
        },
      },
    ])
    const peak = { seed: 5, from: 7 * 3600, to: 9 * 3600 }
    const a = runScenario(parseScenario(communityScenario(base, peak)))
    const b = runScenario(parseScenario(communityScenario(variant, peak)))
    const rows = compareResults(a, b)
    for (const r of rows) t.diagnostic(`${r.metric}: ${r.a ?? '-'} → ${r.b ?? '-'} ${r.unit}`)
    const p95 = rows.find((r) => r.metric === 'gate wait p95')!
    console.log(`gate wait p95, morning peak: one gate ${p95.a} s, two gates ${p95.b} s`)
    assert.ok(p95.a !== null && p95.b !== null && p95.b < p95.a, `p95 ${p95.a} -> ${p95.b}`)
    // The new gate takes a real share of the traffic, and everyone still gets out.
    assert.ok(b.vehicles!.gates.find((g) => g.id === 'gate-north')!.served > 0)
    assert.equal(b.arrived, b.total)
  })
})

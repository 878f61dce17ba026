import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixtureCommunity } from './community-fixture.ts'
import { rect } from './geometry.ts'
import { applyLayoutChanges, LayoutError } from './layout.ts'

describe('applyLayoutChanges', () => {
  const base = fixtureCommunity(1, 2)

  it('adds, moves and closes gates without touching the input', () => {
    const gate = {
      id: 'g2',
      communityId: base.id,
      name: '北门',
      kind: 'pedestrian' as const,
      position: [150, 200] as const,
      nodeId: 'n-gate',
      lanes: 1,
    }
    const c = applyLayoutChanges(base, [
      { type: 'addGate', gate },
      { type: 'moveGate', id: 'g2', position: [100, 200] },
      { type: 'closeGate', id: 'gate-south' },
    ])
    assert.deepEqual(
      c.gates.map((g) => [g.id, g.position]),
      [['g2', [100, 200]]],
    )
    assert.equal(base.gates.length, 1)
  })

  it('adds parking with its spaces and an open area', () => {
    const lot = {
      id: 'lotC',
      communityId: base.id,
      name: 'C',
      kind: 'surface' as const,
      polygon: rect(100, 150, 120, 160),
      entranceNodeId: 'n-gate',
      level: 0,
    }
    const area = {
      id: 'green',
      communityId: base.id,
      name: '绿带',
      kind: 'green_belt' as const,
      polygon: rect(10, 100, 15, 150),
    }
    const c = applyLayoutChanges(base, [
      { type: 'addParking', lot, spaces: 30 },
      { type: 'addArea', area },
    ])
    assert.equal(c.parkingSpaces.filter((s) => s.lotId === 'lotC').length, 30)
    assert.ok(c.areas.some((a) => a.id === 'green'))
  })

  it('names the change that does not fit', () => {
    assert.throws(
      () => applyLayoutChanges(base, [{ type: 'closeGate', id: 'nope' }]),
      (e: unknown) =>
        e instanceof LayoutError && /change 0 \(closeGate\): unknown gate "nope"/.test(e.message),
    )
  })
})

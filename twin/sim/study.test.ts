import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixtureCommunity } from './community-fixture.ts'
import { compactHeatmap, compareKpis } from './kpis.ts'
import { runStudyInWorker } from './run-in-worker.ts'
import { ScenarioError } from './scenario.ts'
import { studyCommunity, studySchema } from './study.ts'
import { runStudy } from './study-run.ts'
import { LayoutError } from './layout.ts'

describe('planner study', () => {
  const community = fixtureCommunity(4, 20)
  const evacuation = { kind: 'evacuation' as const, buildings: ['b19', 'b20', 'b21', 'b22'] }
  const northGate = {
    type: 'addGate' as const,
    id: 'gate-north',
    kind: 'pedestrian' as const,
    position: [150, 200] as [number, number],
  }

  it('stores compact KPIs: counts per heatmap cell, walking distances, gate waits, flows', () => {
    const k = runStudy(community, { seed: 3, demand: evacuation })
    assert.equal(k.arrived, k.people)
    assert.ok(k.evacuationTime! > 60)
    assert.ok(k.heatmap && k.heatmap.frames.length > 2)
    // Every frame is [index, count] pairs with counts ≥ 1, no more people than there are.
    for (const f of k.heatmap.frames) {
      assert.equal(f.length % 2, 0)
      let people = 0
      for (let i = 1; i < f.length; i += 2) people += f[i]!
      assert.ok(people <= k.people)
    }
    assert.ok(k.walkingDistance.some((w) => w.kind === 'gate' && w.mean! > 0))
    assert.ok(k.flows.find((f) => f.id === 'gate:gate-south')!.count >= k.people)
    assert.ok(k.figures.some((f) => f.metric === 'evacuation time (last arrival)'))
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(k)))
  })

  it('a second gate shortens the evacuation and the walk to a gate', () => {
    const a = runStudy(community, { seed: 3, demand: evacuation })
    const b = runStudy(community, { seed: 3, demand: evacuation, changes: [northGate] })
    const rows = compareKpis(a, b)
    const evac = rows.find((r) => r.metric === 'evacuation time (last arrival)')!
    const walk = rows.find((r) => r.metric === 'walking distance to gate mean')!
    console.log(
      `evacuation, 4 towers: one gate ${evac.a} s, two gates ${evac.b} s; gate walk ${walk.a} → ${walk.b} m`,
    )
    assert.ok(evac.b! < evac.a!, `${evac.a} -> ${evac.b}`)
    assert.ok(walk.change! < 0)
  })

  it('keeps at most 300 heatmap frames, as counts', () => {
    const frames = Array.from({ length: 601 }, () => new Float32Array(4))
    frames[0]![1] = 2 / 25
    const h = compactHeatmap({
      originX: 0,
      originY: 0,
      cell: 5,
      cols: 2,
      rows: 2,
      interval: 1,
      frames,
      peak: 0,
    })
    assert.equal(h.frames.length, 201)
    assert.equal(h.interval, 3)
    assert.deepEqual(h.frames[0], [1, 2])
    assert.equal(h.peak, 2)
  })

  it('refuses a bad study, an unknown gate and an unknown building by name', () => {
    assert.throws(() => runStudy(community, { demand: { kind: 'rush' } } as never), ScenarioError)
    assert.throws(
      () =>
        studyCommunity(
          community,
          studySchema.parse({ demand: { kind: 'day' }, changes: [{ type: 'closeGate', id: 'x' }] }),
        ),
      (e: unknown) => e instanceof LayoutError && /unknown gate "x"/.test(e.message),
    )
    assert.throws(
      () => runStudy(community, { demand: { kind: 'evacuation', buildings: ['b99'] } }),
      /unknown building "b99"/,
    )
    assert.throws(
      () =>
        studySchema.parse({ demand: { kind: 'day' }, changes: Array.from({ length: 51 }, () => northGate) }),
      /at most 50 layout changes/,
    )
  })

  it('runs in a worker with progress, and reports a bad study as an error', async () => {
    const seen: number[] = []
    const k = await runStudyInWorker(
      community,
      { seed: 3, demand: { kind: 'evacuation', buildings: ['b1'] } },
      {
        onProgress: (f) => seen.push(f),
      },
    )
    assert.equal(k.arrived, k.people)
    assert.equal(seen.at(-1), 1)
    await assert.rejects(
      runStudyInWorker(community, { demand: { kind: 'evacuation', buildings: ['b99'] } }),
      (e: unknown) => e instanceof Error && e.name === 'EvacuationError',
    )
  })
})

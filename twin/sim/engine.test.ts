import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ARRIVED } from './engine.ts'
import { countGcDuring } from './gc-probe.ts'
import { rect } from './geometry.ts'
import { rimea1, rimea6 } from './rimea-scenarios.ts'
import { prepareRun, runScenario } from './run.ts'
import { parseScenario } from './scenario.ts'

describe('PedestrianEngine', () => {
  it('is deterministic for a seed', () => {
    const a = runScenario(parseScenario(rimea6()))
    const b = runScenario(parseScenario(rimea6()))
    assert.deepEqual(a.arrivals, b.arrivals)
    const c = runScenario(parseScenario({ ...rimea6(), seed: 99 }))
    assert.notDeepEqual(a.arrivals, c.arrivals)
  })

  it('walks a lone agent at its free speed', () => {
    const { engine } = prepareRun(parseScenario(rimea1()))
    for (let s = 0; s < 100; s++) engine.step()
    assert.ok(Math.abs(engine.vx[0]! - 1.33) < 1e-6)
    assert.ok(Math.abs(engine.vy[0]!) < 1e-6)
  })

  it('keeps a waiting agent still until its start time (reaction time)', () => {
    const s = rimea1()
    const { engine } = prepareRun(parseScenario({ ...s, pedestrians: [{ ...s.pedestrians![0]!, start: 5 }] }))
    while (engine.time < 4.9) engine.step()
    assert.equal(engine.px[0], 0)
    while (engine.status[0] !== ARRIVED) engine.step()
    assert.ok(Math.abs(engine.arrival[0]! - (5 + 40 / 1.33)) < 0.2)
  })

  it('keeps two agents walking head-on from overlapping', () => {
    const s = rimea1()
    const exits = [
      ...s.exits!,
      {
        id: 'start',
        polygon: [
          [-1, 0],
          [-0.5, 0],
          [-0.5, 2],
          [-1, 2],
        ] as [number, number][],
      },
    ]
    const { engine } = prepareRun(
      parseScenario({
        ...s,
        exits,
        pedestrians: [
          { id: 'a', position: [5, 1], speed: 1.3, target: 'end' },
          { id: 'b', position: [30, 1.02], speed: 1.3, target: 'start' },
        ],
      }),
    )
    let closest = Infinity
    while (!engine.done && engine.time < 60) {
      engine.step()
      if (engine.presentCount === 2)
        closest = Math.min(closest, Math.hypot(engine.px[0]! - engine.px[1]!, engine.py[0]! - engine.py[1]!))
    }
    assert.ok(engine.done)
    assert.ok(closest > 0.3, `closest approach ${closest}`)
  })

  it('counts agent-steps only for walking agents', () => {
    const r = runScenario(parseScenario(rimea1()))
    assert.equal(r.agentSteps, Math.round((r.evacuationTime ?? 0) / 0.05))
  })
})

describe('PedestrianEngine step loop', () => {
  it('does not allocate: no garbage collection in 600 steps of 1,000 agents (after warm-up)', async () => {
    // Counter-flow in a hall whose exits lie far away: the population stays constant, so after the warm-up
    // every code path has run and been optimised; any allocation left would show up as scavenges.
    const pedestrians = Array.from({ length: 1000 }, (_, k) => ({
      id: `p${k}`,
      position: [(k % 50) + 0.5, Math.floor(k / 50) + 0.5] as [number, number],
      speed: 1 + (k % 7) * 0.07,
      target: k % 2 === 0 ? 'east' : 'west',
    }))
    const { engine } = prepareRun(
      parseScenario({
        name: 'hall',
        seed: 1,
        dt: 0.05,
        duration: 600,
        walls: [
          [
            [-300, -0.5],
            [350, -0.5],
          ],
          [
            [-300, 40.5],
            [350, 40.5],
          ],
        ],
        exits: [
          { id: 'east', polygon: rect(340, 0, 345, 40) },
          { id: 'west', polygon: rect(-295, 0, -290, 40) },
        ],
        pedestrians,
      }),
    )
    // Warm-up: until the optimising compiler has seen every branch (a rarely taken one deoptimises the loop
    // once, and unoptimised code boxes its doubles), then two windows of 300 steps.
    for (let k = 0; k < 1200; k++) engine.step()
    const windows: number[] = []
    for (let w = 0; w < 3; w++) {
      windows.push(
        await countGcDuring(() => {
          for (let k = 0; k < 300; k++) engine.step()
        }),
      )
    }
    assert.deepEqual(windows.slice(1), [0, 0], `collections per window: ${windows.join(', ')}`)
    assert.equal(engine.presentCount, 1000)
  })
})

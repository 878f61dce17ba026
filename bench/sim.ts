/**
 * Simulator benchmark (`npm run bench:sim -- --json`), on one core (the main thread), printing ONE JSON line:
 * - raw engine speed: 10,000 pedestrians with the RiMEA 7 age mix of free speeds, in bidirectional flow at
 *   1 person/m² across a 100 m square hall, dt = 0.05 s; target >= 2,000,000 agent-steps per second;
 * - a full simulated day (00:00–24:00) of the generated `default` community (data/community, seed 1): demand,
 *   pedestrians at dt = 0.1 s, vehicles; target <= 60 s.
 */
import { loadavg } from 'node:os'
import { generateCommunity } from '../data/index.ts'
import { parseArgs } from 'node:util'
import type { ScenarioInput } from '../twin/sim/index.ts'
import { countGcDuring } from '../twin/sim/gc-probe.ts'
import {
  communityScenario,
  drawSpeed,
  parseScenario,
  prepareRun,
  Rng,
  runScenario,
} from '../twin/sim/index.ts'

const TARGET = 2_000_000
const DAY_TARGET_MS = 60_000

/** The benchmark hall: `agents` people on a jittered 1 m lattice, alternate ones walking east and west. */
export function benchScenario(agents: number, dt: number): ScenarioInput {
  const side = Math.ceil(Math.sqrt(agents))
  const rng = new Rng(2024)
  const pedestrians = Array.from({ length: agents }, (_, k) => ({
    id: `p${k}`,
    position: [
      (k % side) + 0.5 + rng.uniform(-0.1, 0.1),
      Math.floor(k / side) + 0.5 + rng.uniform(-0.1, 0.1),
    ] as [number, number],
    speed: drawSpeed(rng, rng.uniform(5, 85)),
    target: k % 2 === 0 ? 'east' : 'west',
  }))
  return {
    name: 'bench: bidirectional hall',
    seed: 1,
    dt,
    duration: 3600,
    walls: [
      [
        [-160, -0.5],
        [side + 160, -0.5],
      ],
      [
        [-160, side + 0.5],
        [side + 160, side + 0.5],
      ],
    ],
    // Exits far beyond the hall: nobody arrives during the measurement, so the count stays constant.
    exits: [
      {
        id: 'east',
        polygon: [
          [side + 150, 0],
          [side + 155, 0],
          [side + 155, side],
          [side + 150, side],
        ],
      },
      {
        id: 'west',
        polygon: [
          [-155, 0],
          [-150, 0],
          [-150, side],
          [-155, side],
        ],
      },
    ],
    pedestrians,
  }
}

/** Runs the raw-speed benchmark and returns its figures (with the garbage collections seen while timing). */
export async function runBench(
  agents = 10_000,
  dt = 0.05,
  steps = 400,
  warmup = 200,
): Promise<Record<string, number>> {
  const { engine } = prepareRun(parseScenario(benchScenario(agents, dt)))
  for (let s = 0; s < warmup; s++) engine.step()
  const a0 = engine.agentSteps
  let wallMs = 0
  let cpuMs = 0
  const gcDuringSteps = await countGcDuring(() => {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    for (let s = 0; s < steps; s++) engine.step()
    wallMs = performance.now() - t0
    const c = process.cpuUsage(c0)
    cpuMs = (c.user + c.system) / 1000
  })
  const agentSteps = engine.agentSteps - a0
  const perSec = (agentSteps / wallMs) * 1000
  // On a shared machine the wall clock also counts time the OS gave to other processes; the process's own CPU
  // time is the speed of the one core the engine ran on.
  const perCpuSec = (agentSteps / cpuMs) * 1000
  return {
    agents,
    dt,
    steps,
    agentSteps,
    wallMs: Math.round(wallMs),
    agentStepsPerSec: Math.round(perSec),
    cpuMs: Math.round(cpuMs),
    agentStepsPerCpuSec: Math.round(perCpuSec),
    realTimeFactor: Math.round(((steps * dt) / (wallMs / 1000)) * 10) / 10,
    target: TARGET,
    ratio: Math.round((perSec / TARGET) * 100) / 100,
    cpuRatio: Math.round((perCpuSec / TARGET) * 100) / 100,
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
    gcDuringSteps,
  }
}

/** Simulates a whole day of the community (demand generation included in the time). */
export function runDayBench(): Record<string, number | string> {
  const t0 = performance.now()
  const community = generateCommunity({ seed: 1, profile: 'default' }).communities[0]!
  const scenario = parseScenario(communityScenario(community, { seed: 1, from: 0, to: 24 * 3600 }))
  const r = runScenario(scenario)
  const wallMs = performance.now() - t0
  return {
    community: `default (${community.households.length} households)`,
    residents: community.residents.length,
    walkingTrips: r.total,
    vehicleTrips: r.vehicles?.vehicles ?? 0,
    simulatedSeconds: 24 * 3600,
    agentSteps: r.agentSteps,
    wallMs: Math.round(wallMs),
    targetMs: DAY_TARGET_MS,
    ratio: Math.round((DAY_TARGET_MS / wallMs) * 100) / 100,
  }
}

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    agents: { type: 'string', default: '10000' },
    steps: { type: 'string', default: '400' },
  },
})
const raw = await runBench(Number(values.agents), 0.05, Number(values.steps))
const day = runDayBench()
const result = {
  bench: 'sim',
  ...raw,
  day,
  pass: raw.agentStepsPerCpuSec! >= TARGET && (day.wallMs as number) <= DAY_TARGET_MS,
}
console.log(values.json ? JSON.stringify(result) : result)

/**
 * Runs a parsed scenario: builds the world and the agents (placing source crowds without overlap), steps the
 * engine to the end (skipping idle stretches), records the measurements and the vehicle model, and returns a
 * plain, structured-cloneable result. The same function runs on the main thread, in worker_threads and in a
 * browser Web Worker.
 */
import type { AgentSpec } from './engine.ts'
import { PedestrianEngine } from './engine.ts'
import type { Point } from './geometry.ts'
import { emptyBounds, growBounds, pointInPolygon } from './geometry.ts'
import type { GateQueueResult } from './gate-queues.ts'
import { queueThrough } from './gate-queues.ts'
import type { FlowSummary, AreaSeries, Heatmap } from './measurements.ts'
import { AreaDensity, FlowCounter, HeatmapRecorder } from './measurements.ts'
import type { ModelParams } from './model-params.ts'
import { defaultModelParams } from './model-params.ts'
import { Rng } from './rng.ts'
import type { Scenario } from './scenario.ts'
import type { Summary, VehicleResult } from './vehicles.ts'
import { simulateVehicles } from './vehicles.ts'
import { summarize } from './stats.ts'
import type { World } from './world.ts'
import { buildWorld } from './world.ts'

/** One pedestrian's outcome. */
export interface Arrival {
  readonly id: string
  /** When it started to walk, s. */
  readonly start: number
  /** Arrival time at its exit, s; null if it had not arrived when the run ended. */
  readonly time: number | null
  readonly exit: string | null
}

/** What a run produces. */
export interface SimResult {
  readonly name: string
  readonly seed: number
  readonly dt: number
  /** The last arrival, s (null when nobody arrived). */
  readonly evacuationTime: number | null
  readonly total: number
  readonly arrived: number
  readonly arrivals: readonly Arrival[]
  /** Arrivals per exit id. */
  readonly exitUsage: Readonly<Record<string, number>>
  readonly simulatedTime: number
  readonly steps: number
  readonly agentSteps: number
  readonly wallMs: number
  readonly agentStepsPerSec: number
  readonly flows: readonly FlowSummary[]
  readonly areas: readonly AreaSeries[]
  readonly heatmap: Heatmap | null
  /** Queues of walkers at controlled gates (exits with a `service` time). */
  readonly gateQueues: readonly GateQueueResult[]
  readonly vehicles: VehicleResult | null
}

/** A prepared run: the world and the engine, ready to step (validation drives engines directly). */
export interface PreparedRun {
  readonly scenario: Scenario
  readonly params: ModelParams
  readonly world: World
  readonly engine: PedestrianEngine
  /** Waits of the people who came in through a controlled gate, by exit id. */
  readonly inboundWaits: ReadonlyMap<string, Summary>
}

/** Options of {@link runScenario}. */
export interface RunOptions {
  /** Count wall crossings and the closest wall approach (validation). */
  readonly audit?: boolean
  /** Called about once per simulated minute with the fraction done (0–1). */
  readonly onProgress?: (fraction: number) => void
}

/** Builds the world and the agents of a scenario. */
export function prepareRun(scenario: Scenario, options: RunOptions = {}): PreparedRun {
  const params: ModelParams = { ...defaultModelParams, ...stripUndefined(scenario.model ?? {}) }
  const extent: Point[] = []
  for (const p of scenario.pedestrians) extent.push(p.position)
  for (const s of scenario.sources) extent.push(...s.polygon)
  const world = buildWorld(
    {
      walls: scenario.walls,
      obstacles: scenario.obstacles,
      targets: scenario.exits,
      extent,
      ...(scenario.cell !== undefined ? { cell: scenario.cell } : {}),
      ...(scenario.periodicX ? { periodicX: scenario.periodicX } : {}),
    },
    params,
  )
  const { agents, inboundWaits } = buildAgents(scenario, world, params)
  const engine = new PedestrianEngine(world, agents, {
    dt: scenario.dt,
    seed: scenario.seed,
    params,
    audit: options.audit ?? false,
  })
  return { scenario, params, world, engine, inboundWaits }
}

/** Runs a parsed scenario to its end (all arrived, or `duration`). */
export function runScenario(scenario: Scenario, options: RunOptions = {}): SimResult {
  const t0 = performance.now()
  const { world, engine, inboundWaits } = prepareRun(scenario, options)
  const m = scenario.measure
  const flows = new FlowCounter(m?.lines ?? [], engine.count)
  const areas = new AreaDensity(m?.areas ?? [])
  const g = world.grid
  const heat = m?.heatmap
    ? new HeatmapRecorder(
        {
          minX: g.originX,
          minY: g.originY,
          maxX: g.originX + g.cols * g.cell,
          maxY: g.originY + g.rows * g.cell,
        },
        m.heatmap.cell,
        m.heatmap.interval,
        scenario.duration,
      )
    : null
  const end = scenario.duration
  let nextProgress = 60
  while (engine.time < end - 1e-9 && !(engine.done && engine.count > 0)) {
    if (engine.count === 0) break
    engine.skipTo(Math.min(engine.nextEventTime(), end))
    if (engine.time >= end - 1e-9) break
    flows.beforeStep(engine)
    engine.step()
    flows.afterStep(engine)
    areas.afterStep(engine)
    heat?.sample(engine)
    if (options.onProgress && engine.time >= nextProgress) {
      nextProgress += 60
      options.onProgress(engine.time / end)
    }
  }
  const vehicles = scenario.vehicles.length > 0 ? simulateVehicles(scenario) : null
  const arrivals: Arrival[] = []
  const usage: Record<string, number> = {}
  for (const t of world.targets) usage[t.id] = 0
  let last: number | null = null
  for (let i = 0; i < engine.count; i++) {
    const time = engine.arrival[i]!
    if (Number.isNaN(time)) {
      arrivals.push({ id: engine.ids[i]!, start: round3(engine.start[i]!), time: null, exit: null })
      continue
    }
    const exit = world.targets[engine.target[i]!]!.id
    usage[exit] = (usage[exit] ?? 0) + 1
    arrivals.push({ id: engine.ids[i]!, start: round3(engine.start[i]!), time: round3(time), exit })
    if (last === null || time > last) last = time
  }
  // Going out through a controlled gate: the queue from the times people reached it.
  const gateQueues: GateQueueResult[] = []
  for (const e of scenario.exits) {
    if (e.service === undefined) continue
    const times = arrivals.filter((a) => a.exit === e.id && a.time !== null).map((a) => a.time!)
    gateQueues.push({
      id: e.id,
      inbound: inboundWaits.get(e.id) ?? summarize([]),
      outbound: queueThrough(times, e.lanes, e.service).waits,
    })
  }
  const wallMs = performance.now() - t0
  return {
    name: scenario.name,
    seed: scenario.seed,
    dt: scenario.dt,
    evacuationTime: last === null ? null : round3(last),
    total: engine.count,
    arrived: engine.arrivedCount,
    arrivals,
    exitUsage: usage,
    simulatedTime: round3(engine.time),
    steps: engine.steps,
    agentSteps: engine.agentSteps,
    wallMs: Math.round(wallMs),
    agentStepsPerSec: wallMs > 0 ? Math.round((engine.agentSteps / wallMs) * 1000) : 0,
    flows: flows.summary(),
    areas: areas.summary(),
    heatmap: heat ? heat.result() : null,
    gateQueues,
    vehicles,
  }
}

/** Pedestrians as given, then each source's crowd placed at random without overlap. */
function buildAgents(
  scenario: Scenario,
  world: World,
  params: ModelParams,
): { agents: AgentSpec[]; inboundWaits: Map<string, Summary> } {
  const rng = new Rng(scenario.seed)
  const targetsOf = (t: string | readonly string[]): number[] =>
    (typeof t === 'string' ? [t] : t).map((id) => world.targetIndex.get(id)!)
  // Coming in through a controlled gate: queue at its readers first, appear once through.
  const delay = new Float64Array(scenario.pedestrians.length)
  const inboundWaits = new Map<string, Summary>()
  for (const e of scenario.exits) {
    if (e.service === undefined) continue
    const who = scenario.pedestrians.flatMap((p, i) => (p.via === e.id ? [i] : []))
    if (who.length === 0) continue
    const times = who.map((i) => scenario.pedestrians[i]!.appear ?? 0)
    const { done, waits } = queueThrough(times, e.lanes, e.service)
    who.forEach((i, k) => (delay[i] = done[k]! - times[k]!))
    inboundWaits.set(e.id, waits)
  }
  const agents: AgentSpec[] = scenario.pedestrians.map((p, i) => ({
    id: p.id,
    x: p.position[0],
    y: p.position[1],
    speed: p.speed,
    ...(p.radius !== undefined ? { radius: p.radius } : {}),
    appear: (p.appear ?? 0) + delay[i]!,
    start: (p.start ?? p.appear ?? 0) + delay[i]!,
    targets: targetsOf(p.target),
  }))
  scenario.sources.forEach((src, s) => {
    const targets = targetsOf(src.target)
    const placed = placeInPolygon(src.polygon, src.count, 2 * params.radius, world, rng)
    const lo = src.speed.min ?? Math.max(0.1, src.speed.mean - 3 * src.speed.sd)
    const hi = src.speed.max ?? src.speed.mean + 3 * src.speed.sd
    for (let k = 0; k < src.count; k++) {
      const [x, y] = placed[k]!
      const reaction = src.reaction ? rng.uniform(src.reaction.min, src.reaction.max) : 0
      agents.push({
        id: `${src.id ?? `source${s}`}-${k}`,
        x,
        y,
        speed: src.speed.sd > 0 ? rng.truncatedNormal(src.speed.mean, src.speed.sd, lo, hi) : src.speed.mean,
        appear: src.start,
        start: src.start + reaction,
        targets,
      })
    }
  })
  return { agents, inboundWaits }
}

/**
 * Random points in the polygon on walkable cells, at least `spacing` apart where the area allows it (dart
 * throwing on a lookup grid; after many misses the spacing shrinks, so a crowded source still fills).
 */
export function placeInPolygon(
  polygon: readonly Point[],
  count: number,
  spacing: number,
  world: World,
  rng: Rng,
): [number, number][] {
  const b = growBounds(emptyBounds(), polygon)
  const out: [number, number][] = []
  const cell = spacing
  const cols = Math.max(1, Math.ceil((b.maxX - b.minX) / cell))
  const buckets = new Map<number, number[]>()
  let min = spacing
  let misses = 0
  const wallClear = 0.25
  while (out.length < count) {
    const x = rng.uniform(b.minX, b.maxX)
    const y = rng.uniform(b.minY, b.maxY)
    let ok = pointInPolygon(x, y, polygon) && world.grid.blocked[world.grid.cellOf(x, y)] === 0
    ok &&= world.walls.nearestDistanceSq(x, y) >= wallClear * wallClear
    if (ok) {
      const c = Math.floor((x - b.minX) / cell)
      const r = Math.floor((y - b.minY) / cell)
      for (let dr = -1; dr <= 1 && ok; dr++) {
        for (let dc = -1; dc <= 1 && ok; dc++) {
          for (const k of buckets.get((r + dr) * cols + (c + dc)) ?? []) {
            const p = out[k]!
            if ((p[0] - x) ** 2 + (p[1] - y) ** 2 < min * min) {
              ok = false
              break
            }
          }
        }
      }
      if (ok) {
        const key = r * cols + c
        const list = buckets.get(key)
        if (list) list.push(out.length)
        else buckets.set(key, [out.length])
        out.push([x, y])
        misses = 0
        continue
      }
    }
    if (++misses > 2000) {
      min *= 0.9
      misses = 0
      if (min < 0.05) throw new RangeError(`source polygon cannot hold ${count} people`)
    }
  }
  return out
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/**
 * The interchange format of a simulation run (the JSON that `npm run sim -- run --scenario FILE` reads, and that
 * the planner will store): its zod schema, the TypeScript type, and `parseScenario`, which turns any bad input
 * into one ScenarioError naming the path of the first problem (`exits[2].polygon: ...`).
 */
import { z } from 'zod'
import { vehicleSectionShape } from './vehicle-schema.ts'

const num = z.number().refine(Number.isFinite, 'must be a finite number')
const point = z.tuple([num, num])
const polygon = z.array(point).min(3, 'a polygon needs at least 3 points')
const polyline = z.array(point).min(2, 'a polyline needs at least 2 points')
const id = z.string().min(1, 'must not be empty')
/** One exit id, or several to choose between by estimated time to get out. */
const target = z.union([id, z.array(id).min(1)])

const exit = z.strictObject({
  id,
  polygon,
  /** Clear width for the capacity estimate, metres (default: the polygon's longest edge). */
  width: num.positive().optional(),
  /**
   * A controlled gate (turnstiles, card or face readers): seconds per person. People reaching the exit, and
   * people coming in through it (`via`), queue first come, first served at `lanes` readers.
   */
  service: num.positive().optional(),
  lanes: z.number().int().min(1).max(64).default(1),
})

const pedestrian = z.strictObject({
  id,
  position: point,
  /** Free walking speed, m/s. */
  speed: num.positive().max(5),
  target,
  /** When the pedestrian starts to walk (reaction time), s. Default: `appear`. */
  start: num.min(0).optional(),
  /** When the pedestrian is placed, s (default 0). Until `start` they stand where they are. */
  appear: num.min(0).optional(),
  radius: num.min(0.1).max(0.5).optional(),
  /** The exit (a controlled gate) the pedestrian comes in through: they queue there before appearing. */
  via: id.optional(),
})

const speedDistribution = z.strictObject({
  mean: num.positive(),
  sd: num.min(0),
  min: num.positive().optional(),
  max: num.positive().optional(),
})

const source = z.strictObject({
  id: id.optional(),
  polygon,
  count: z.number().int().min(1).max(1_000_000),
  speed: speedDistribution,
  target,
  /** When the source's people appear, s. */
  start: num.min(0).default(0),
  /** Pre-movement (reaction) time drawn uniformly per person, s, added to `start`. */
  reaction: z.strictObject({ min: num.min(0), max: num.min(0) }).optional(),
})

const measure = z.strictObject({
  /** Counting lines: the flow through a door or bottleneck. */
  lines: z.array(z.strictObject({ id, from: point, to: point })).default([]),
  /** Areas whose density is recorded over time (persons/m²). */
  areas: z.array(z.strictObject({ id, polygon })).default([]),
  /** Density heatmap: grid cell size (m) and frame interval (s). */
  heatmap: z.strictObject({ cell: num.positive(), interval: num.positive() }).optional(),
})

const model = z.strictObject({
  timeGap: num.positive().optional(),
  radius: num.positive().optional(),
  neighbourStrength: num.min(0).optional(),
  neighbourRange: num.positive().optional(),
  overtaking: num.min(0).optional(),
  wallStrength: num.min(0).optional(),
  wallRange: num.positive().optional(),
  wallReach: num.positive().optional(),
  wallClearance: num.min(0).optional(),
  rerouteInterval: num.positive().optional(),
  rerouteShare: num.min(0).max(1).optional(),
  switchMargin: num.min(0).max(1).optional(),
  queueWeight: num.min(0).max(2).optional(),
  perception: num.positive().optional(),
  jamSpeed: num.min(0).max(1).optional(),
  specificFlow: num.positive().optional(),
})

/** The scenario schema. */
export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1),
    seed: z.number().int().min(0).max(0xffffffff),
    /** Time step, s. */
    dt: num.positive().max(1),
    /** Simulated time limit, s. */
    duration: num.positive().max(7 * 86_400),
    walls: z.array(polyline).default([]),
    obstacles: z.array(polygon).default([]),
    exits: z.array(exit).default([]),
    pedestrians: z.array(pedestrian).default([]),
    sources: z.array(source).default([]),
    /** Floor-field cell size, m (default: 0.25, coarser for large sites). */
    cell: num.min(0.05).max(5).optional(),
    /** Periodic boundary along x over [x0, x1) (fundamental-diagram corridors). */
    periodicX: z.tuple([num, num]).optional(),
    model: model.optional(),
    measure: measure.optional(),
    ...vehicleSectionShape,
  })
  .superRefine((s, ctx) => {
    const exits = new Set<string>()
    s.exits.forEach((e, i) => {
      if (exits.has(e.id))
        ctx.addIssue({ code: 'custom', path: ['exits', i, 'id'], message: `duplicate exit id "${e.id}"` })
      exits.add(e.id)
    })
    const checkTarget = (t: string | string[], path: (string | number)[]): void => {
      for (const x of typeof t === 'string' ? [t] : t) {
        if (!exits.has(x)) ctx.addIssue({ code: 'custom', path, message: `unknown exit "${x}"` })
      }
    }
    const ids = new Set<string>()
    s.pedestrians.forEach((p, i) => {
      checkTarget(p.target, ['pedestrians', i, 'target'])
      if (ids.has(p.id))
        ctx.addIssue({ code: 'custom', path: ['pedestrians', i, 'id'], message: `duplicate id "${p.id}"` })
      ids.add(p.id)
      if (p.via !== undefined && !exits.has(p.via))
        ctx.addIssue({ code: 'custom', path: ['pedestrians', i, 'via'], message: `unknown exit "${p.via}"` })
      if (p.start !== undefined && p.appear !== undefined && p.start < p.appear)
        ctx.addIssue({
          code: 'custom',
          path: ['pedestrians', i, 'start'],
          message: 'must not be before appear',
        })
    })
    s.sources.forEach((src, i) => {
      checkTarget(src.target, ['sources', i, 'target'])
      if (src.reaction && src.reaction.max < src.reaction.min)
        ctx.addIssue({
          code: 'custom',
          path: ['sources', i, 'reaction', 'max'],
          message: 'must be at least min',
        })
    })
    if (s.periodicX && !(s.periodicX[1] > s.periodicX[0]))
      ctx.addIssue({ code: 'custom', path: ['periodicX'], message: 'x1 must be greater than x0' })
    if ((s.pedestrians.length > 0 || s.sources.length > 0) && s.exits.length === 0)
      ctx.addIssue({ code: 'custom', path: ['exits'], message: 'pedestrians need at least one exit' })
  })

/** A scenario after parsing (defaults filled in). */
export type Scenario = z.infer<typeof scenarioSchema>
/** A scenario as written (optional sections may be left out). */
export type ScenarioInput = z.input<typeof scenarioSchema>

/** A scenario that does not parse; `path` is where the first problem is (`exits[2].polygon`). */
export class ScenarioError extends Error {
  readonly path: string
  constructor(path: string, message: string) {
    super(path ? `scenario ${path}: ${message}` : `scenario: ${message}`)
    this.name = 'ScenarioError'
    this.path = path
  }
}

/** Parses and checks a scenario. @throws ScenarioError with the path of the first problem */
export function parseScenario(input: unknown): Scenario {
  const r = scenarioSchema.safeParse(input)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  const path = (issue?.path ?? [])
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('')
  throw new ScenarioError(path, issue?.message ?? 'invalid')
}

/** Parses scenario JSON text. @throws ScenarioError (also for malformed JSON) */
export function parseScenarioJson(text: string): Scenario {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw new ScenarioError('', `not valid JSON (${e instanceof Error ? e.message : String(e)})`)
  }
  return parseScenario(data)
}

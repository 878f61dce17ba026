/**
 * A planner's study: a layout change applied to a community plus a choice of demand (an ordinary day, the
 * morning peak, or the evacuation of buildings or an area). This is what the planner stores and runs; `studyScenario`
 * turns it into a scenario in the interchange format. The schema bounds every list, so an oversized study is
 * refused as bad input before anything is built.
 */
import { z } from 'zod'
import type { Community, Gate, Vec2 } from '../../data/community/types.ts'
import { communityScenario } from './demand.ts'
import { buildingEvacuation } from './evacuation.ts'
import type { LayoutChange } from './layout.ts'
import { applyLayoutChanges, LayoutError } from './layout.ts'
import type { ScenarioInput } from './scenario.ts'

const num = z.number().refine(Number.isFinite, 'must be a finite number')
const id = z
  .string()
  .min(1, 'must not be empty')
  .max(64)
  .regex(/^[\w.:-]+$/, 'letters, digits and _ . : - only')
const label = z.string().min(1).max(64)
const vec2 = z.tuple([num.min(-10_000).max(10_000), num.min(-10_000).max(10_000)])
const polygon = z.array(vec2).min(3, 'a polygon needs at least 3 points').max(200, 'at most 200 points')

/** One layout change as the planner states it (ids of the community's objects, positions in metres). */
export const plannerChangeSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('addGate'),
    id,
    name: label.optional(),
    kind: z.enum(['pedestrian', 'vehicle', 'mixed']).default('mixed'),
    /** On the boundary wall. */
    position: vec2,
    /** The road node it opens onto (default: the nearest). */
    nodeId: id.optional(),
    lanes: z.number().int().min(1).max(16).default(1),
  }),
  z.strictObject({ type: z.literal('closeGate'), id }),
  z.strictObject({ type: z.literal('moveGate'), id, position: vec2, nodeId: id.optional() }),
  z.strictObject({
    type: z.literal('addParking'),
    id,
    name: label.optional(),
    kind: z.enum(['surface', 'underground']).default('surface'),
    polygon,
    spaces: z.number().int().min(1).max(5000),
    /** The road node at its entrance (default: the nearest to the polygon's first corner). */
    entranceNodeId: id.optional(),
  }),
  z.strictObject({
    type: z.literal('addArea'),
    id,
    name: label.optional(),
    kind: z.enum(['green_belt', 'fitness', 'playground', 'plaza', 'water', 'waste_station']),
    polygon,
  }),
])
export type PlannerChange = z.infer<typeof plannerChangeSchema>

/** What people do in the study. */
export const demandSchema = z.discriminatedUnion('kind', [
  /** An ordinary weekday, 00:00–24:00. */
  z.strictObject({ kind: z.literal('day') }),
  /** The morning peak, 07:00–09:00. */
  z.strictObject({ kind: z.literal('morningPeak') }),
  /** Evacuation of buildings (by id) or of the buildings in an area, to assembly points (gates or areas). */
  z.strictObject({
    kind: z.literal('evacuation'),
    buildings: z.array(id).max(200).optional(),
    area: polygon.optional(),
    outdoor: z.number().int().min(0).max(20_000).default(0),
    assembly: z.array(id).max(50).optional(),
  }),
])
export type Demand = z.infer<typeof demandSchema>

/** A study: the seed, the layout changes (applied in order) and the demand. */
export const studySchema = z.strictObject({
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  changes: z.array(plannerChangeSchema).max(50, 'at most 50 layout changes').default([]),
  demand: demandSchema,
})
export type Study = z.infer<typeof studySchema>
export type StudyInput = z.input<typeof studySchema>

const H = 3600

/** Turns the planner's changes into layout changes of this community. @throws LayoutError */
export function layoutChangesOf(community: Community, changes: readonly PlannerChange[]): LayoutChange[] {
  return changes.map((ch, k): LayoutChange => {
    switch (ch.type) {
      case 'addGate': {
        const gate: Gate = {
          id: ch.id,
          communityId: community.id,
          name: ch.name ?? ch.id,
          kind: ch.kind,
          position: ch.position,
          nodeId: ch.nodeId ?? nearestNode(community, ch.position, k),
          lanes: ch.lanes,
        }
        return { type: 'addGate', gate }
      }
      case 'closeGate':
        return { type: 'closeGate', id: ch.id }
      case 'moveGate':
        return {
          type: 'moveGate',
          id: ch.id,
          position: ch.position,
          ...(ch.nodeId ? { nodeId: ch.nodeId } : {}),
        }
      case 'addParking':
        return {
          type: 'addParking',
          lot: {
            id: ch.id,
            communityId: community.id,
            name: ch.name ?? ch.id,
            kind: ch.kind,
            polygon: ch.polygon,
            entranceNodeId: ch.entranceNodeId ?? nearestNode(community, ch.polygon[0]!, k),
            level: ch.kind === 'underground' ? -1 : 0,
          },
          spaces: ch.spaces,
        }
      case 'addArea':
        return {
          type: 'addArea',
          area: {
            id: ch.id,
            communityId: community.id,
            name: ch.name ?? ch.id,
            kind: ch.kind,
            polygon: ch.polygon,
          },
        }
    }
  })
}

/** The community with the study's layout changes applied. @throws LayoutError */
export function studyCommunity(community: Community, study: Study): Community {
  return applyLayoutChanges(community, layoutChangesOf(community, study.changes))
}

/** The scenario of a study on a community (changes already applied). @throws EvacuationError */
export function studyScenario(changed: Community, study: Study): ScenarioInput {
  const d = study.demand
  switch (d.kind) {
    case 'day':
      return communityScenario(changed, { seed: study.seed, from: 0, to: 24 * H })
    case 'morningPeak':
      return communityScenario(changed, {
        seed: study.seed,
        from: 7 * H,
        to: 9 * H,
        heatmap: { cell: 5, interval: 60 },
      })
    case 'evacuation':
      return buildingEvacuation(changed, {
        seed: study.seed,
        ...(d.buildings ? { buildings: d.buildings } : {}),
        ...(d.area ? { area: d.area } : {}),
        ...(d.assembly ? { assembly: d.assembly } : {}),
        outdoor: d.outdoor,
      })
  }
}

function nearestNode(community: Community, p: Vec2, k: number): string {
  let best: string | null = null
  let bestD = Infinity
  for (const n of community.roads.nodes) {
    const d = Math.hypot(n.position[0] - p[0], n.position[1] - p[1])
    if (d < bestD) {
      bestD = d
      best = n.id
    }
  }
  if (best === null) throw new LayoutError(`layout change ${k}: the community has no road to connect to`)
  return best
}

/**
 * Gates, gatehouses and garage ramps. The main gate is on the street (south) side: a two-lane vehicle gate and a
 * turnstile gate with the gatehouse between them. A second vehicle gate on the east wall leads straight into the
 * garage ramp (人车分流: cars go underground at the edge and never cross the courtyards); large estates get a
 * matching west one. Pedestrian gates open at the north end of the axis and on the west wall.
 */
import type { Vec2 } from './types.ts'
import type { Rect } from './geometry.ts'
import type { GatePlan, RampPlan, RoadLine } from './site.ts'
import { RING_INSET, RING_WIDTH, X_MARGIN } from './site.ts'

/** The few coordinates of the stacked site that gates are placed against. */
export interface GateContext {
  readonly width: number
  readonly depth: number
  readonly ringSouth: number
  readonly ringNorth: number
  /** y of the ramp centreline: in the first gap between tower rows. */
  readonly rampY: number
  /** y of a branch road the west pedestrian gate lines up with. */
  readonly westY: number
  readonly twoRamps: boolean
}

export interface GateLayout {
  readonly gates: GatePlan[]
  /** The main vehicle gate on the street side. */
  readonly main: GatePlan
  /** Connector roads from each gate's inner point to the ring, and the ramps. */
  readonly lines: RoadLine[]
  readonly ramps: RampPlan[]
  readonly gatehouses: { readonly name: string; readonly rect: Rect }[]
  /** Stretches of each wall kept clear of parking strips, as [from, to] along the wall. */
  readonly keepClear: Readonly<
    Record<'north' | 'south' | 'east' | 'west', readonly (readonly [number, number])[]>
  >
}

/** Carriageway width of a garage ramp (two-way). */
const RAMP_WIDTH = 7
/** How far a ramp runs from the ring road into the site before it reaches garage level. */
const RAMP_REACH = 20
/** Inner nodes sit this far inside the wall. */
const INSET = 0.5

function gate(name: string, kind: GatePlan['kind'], position: Vec2, inward: Vec2, lanes: number): GatePlan {
  return {
    name,
    kind,
    position,
    inner: [position[0] + inward[0] * INSET, position[1] + inward[1] * INSET],
    lanes,
    along: [Math.abs(inward[1]), Math.abs(inward[0])],
    inward,
  }
}

function connector(g: GatePlan, end: Vec2): RoadLine {
  return g.kind === 'vehicle'
    ? { kind: 'main', width: RING_WIDTH, points: [g.inner, end], stops: [], lights: 'none' }
    : { kind: 'footpath', width: 3, points: [g.inner, end], stops: [], lights: 'none' }
}

/** Places every gate, its connector road, the gatehouses and the ramps. */
export function planGates(ctx: GateContext): GateLayout {
  const { width: w, depth: d, ringSouth, ringNorth, rampY, westY } = ctx
  const axis = w / 2
  const east = w - RING_INSET
  const west = RING_INSET
  const gates: GatePlan[] = []
  const lines: RoadLine[] = []
  const ramps: RampPlan[] = []
  const gatehouses: { name: string; rect: Rect }[] = []

  const mainCar = gate('南门车行入口', 'vehicle', [axis - 10, 0], [0, 1], 2)
  const mainWalk = gate('南门人行入口', 'pedestrian', [axis + 7, 0], [0, 1], 3)
  gates.push(mainCar, mainWalk)
  lines.push(connector(mainCar, [axis - 10, ringSouth]), connector(mainWalk, [axis + 7, ringSouth]))
  gatehouses.push({ name: '南门门岗', rect: { x0: axis - 3.5, y0: 2.5, x1: axis + 2.5, y1: 6.5 } })

  const eastCar = gate('东门车行入口', 'vehicle', [w, rampY], [-1, 0], 2)
  gates.push(eastCar)
  lines.push(connector(eastCar, [east, rampY]))
  gatehouses.push({ name: '东门门岗', rect: { x0: w - 8, y0: rampY + 5, x1: w - 3.5, y1: rampY + 9 } })
  const eastBottom: Vec2 = [w - X_MARGIN - RAMP_REACH, rampY]
  ramps.push({ top: [east, rampY], bottom: eastBottom })
  lines.push({
    kind: 'ramp',
    width: RAMP_WIDTH,
    points: [[east, rampY], eastBottom],
    stops: [],
    lights: 'none',
  })

  const northWalk = gate('北门人行入口', 'pedestrian', [axis, d], [0, -1], 2)
  const westWalk = gate('西门人行入口', 'pedestrian', [0, westY], [1, 0], 2)
  gates.push(northWalk, westWalk)
  lines.push(connector(northWalk, [axis, ringNorth]), connector(westWalk, [west, westY]))

  const westClear: [number, number][] = [[westY - 8, westY + 8]]
  if (ctx.twoRamps) {
    const westCar = gate('西门车行入口', 'vehicle', [0, rampY], [1, 0], 2)
    gates.push(westCar)
    lines.push(connector(westCar, [west, rampY]))
    gatehouses.push({ name: '西门门岗', rect: { x0: 3.5, y0: rampY + 5, x1: 8, y1: rampY + 9 } })
    const westBottom: Vec2 = [X_MARGIN + RAMP_REACH, rampY]
    ramps.push({ top: [west, rampY], bottom: westBottom })
    lines.push({
      kind: 'ramp',
      width: RAMP_WIDTH,
      points: [[west, rampY], westBottom],
      stops: [],
      lights: 'none',
    })
    westClear.push([rampY - 14, rampY + 14])
  }

  return {
    gates,
    main: mainCar,
    lines,
    ramps,
    gatehouses,
    keepClear: {
      south: [[axis - 16, axis + 12]],
      north: [[axis - 8, axis + 8]],
      east: [[rampY - 14, rampY + 14]],
      west: westClear,
    },
  }
}

/** How far into the site (from X_MARGIN) open areas must stay clear of a ramp on that side. */
export const RAMP_CLEARANCE = RAMP_REACH + 6

/**
 * The generator's internal site model: what the layout decides (where buildings, roads, gates, ramps, parking
 * strips and free bands go) before it is turned into the public Community records. Coordinates here are in the
 * site frame: origin at the south-west corner of the boundary, x east, y north, metres. `frame.ts` moves the
 * finished community to the anchor frame.
 */
import type { AreaKind, BuildingKind, Polygon, RoadEdge, Vec2 } from './types.ts'
import type { Rect } from './geometry.ts'

/** Wall to ring-road centreline: a planting strip, a row of perpendicular parking, then the carriageway. */
export const RING_INSET = 12
export const RING_WIDTH = 7
export const BRANCH_WIDTH = 5
/** Clear distance from a road's edge to a building face. */
export const ROAD_SETBACK = 3
/** Ring centreline to the first building column: half the carriageway plus a 6 m verge. */
export const X_MARGIN = RING_INSET + RING_WIDTH / 2 + 6
/** Half width of the north–south landscape axis kept free of buildings in every row. */
export const AXIS_HALF = 12
/** The sunlight rule: rows stand at least this many times the southern building's height apart. */
export const SUNLIGHT_RATIO = 1.2
/** Doors sit this far outside the footprint, where the entrance footpath begins. */
export const DOOR_OFFSET = 1.5

/** How a residential building is divided: entrances (单元), units per floor, unit areas. */
export interface ResidentialSpec {
  readonly kind: 'walkup' | 'tower'
  readonly floors: number
  readonly floorHeight: number
  readonly height: number
  readonly entrances: number
  /** Units per floor in each entrance. */
  readonly unitsPerFloor: number
  /** Floor area of the unit at each position, per entrance: areas[entrance - 1][position - 1]. */
  readonly areas: readonly (readonly number[])[]
  /** Width of each entrance's bay along the building, west to east. */
  readonly entranceWidths: readonly number[]
  readonly width: number
  readonly depth: number
  readonly elevatorsPerEntrance: number
  readonly builtYear: number
}

/** A building placed on the site. */
export interface SiteBuilding {
  readonly id: string
  readonly name: string
  readonly kind: BuildingKind
  readonly rect: Rect
  readonly floors: number
  /** Set once the garage is sized: towers over it get a basement level per garage level. */
  basementFloors: number
  readonly floorHeight: number
  readonly height: number
  readonly entrances: number
  readonly elevatorCount: number
  readonly builtYear: number
  readonly residential: ResidentialSpec | null
  /** Shop bay width of a commercial strip (one commercial unit per bay). */
  readonly shopWidth: number
  /** Door of each entrance, just outside the footprint; footpaths start here. Empty for basement rooms. */
  readonly doors: readonly Vec2[]
  /** Buildings a pump room supplies. */
  readonly serves: string[]
}

/** A site building with the defaults most kinds share (no basement, no residential layout, no shops). */
export function makeSiteBuilding(
  fields: Omit<SiteBuilding, 'basementFloors' | 'serves' | 'residential' | 'shopWidth' | 'elevatorCount'> &
    Partial<Pick<SiteBuilding, 'basementFloors' | 'residential' | 'shopWidth' | 'elevatorCount'>>,
): SiteBuilding {
  return { basementFloors: 0, residential: null, shopWidth: 0, elevatorCount: 0, serves: [], ...fields }
}

/** A straight or bent road the graph builder splits at its stops. Closed rings repeat the first point last. */
export interface RoadLine {
  readonly kind: RoadEdge['kind']
  readonly width: number
  readonly points: readonly Vec2[]
  /** Points on the line where other roads, doors or lots join; endpoints are added by the builder. */
  readonly stops: Vec2[]
  /** Which side, facing along the line, street lights stand on. */
  readonly lights: 'left' | 'right' | 'none'
}

export interface GatePlan {
  readonly name: string
  readonly kind: 'pedestrian' | 'vehicle'
  /** On the boundary wall. */
  readonly position: Vec2
  /** Just inside the wall: the road node the gate opens onto. */
  readonly inner: Vec2
  readonly lanes: number
  /** Unit vector along the wall (lanes are spread along it). */
  readonly along: Vec2
  /** Unit vector pointing into the community. */
  readonly inward: Vec2
}

/** A garage ramp: `top` on the ring road, `bottom` inside the garage at level -1. */
export interface RampPlan {
  readonly top: Vec2
  readonly bottom: Vec2
}

/** A row of perpendicular surface parking beside a road. */
export interface StripPlan {
  readonly rect: Rect
  /** The direction stalls are lined up along (the strip's long side). */
  readonly along: 'x' | 'y'
  /** Point on the adjacent road, registered as a stop: the lot's entrance node. */
  readonly roadPoint: Vec2
}

/** Free ground between rows, for open areas. `deep` bands lie in the wide gaps behind towers. */
export interface BandPlan {
  readonly rect: Rect
  readonly deep: boolean
}

export interface AreaDraft {
  readonly kind: AreaKind
  readonly name: string
  readonly rect: Rect
}

export interface Site {
  readonly width: number
  readonly depth: number
  readonly boundary: Polygon
  readonly buildings: SiteBuilding[]
  readonly roads: RoadLine[]
  readonly gates: GatePlan[]
  readonly ramps: RampPlan[]
  /** Where the underground garage may extend: under the tower rows. */
  readonly garageRegion: Rect
  readonly strips: StripPlan[]
  readonly bands: BandPlan[]
  /** Open areas the layout placed itself (around the clubhouse and kindergarten). */
  readonly areas: AreaDraft[]
  /** The main vehicle gate's inner point: visitor parking is allotted nearest to it. */
  readonly mainGate: Vec2
}

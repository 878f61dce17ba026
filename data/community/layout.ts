/**
 * The site plan of one community, south (street side) to north:
 *
 *   wall · shops (底商) · ring road · amenity strip · walk-up rows · tower rows · ring road · wall
 *
 * Rows face south with their entrances on the north side, each served by a branch road between the two ring-road
 * sides; rows stand at least 1.2× the southern row's height apart (the sunlight rule), so the deep gaps behind
 * towers become gardens with the garage below them. A footpath axis runs north–south through a corridor kept free
 * in every row. The result is a `Site` in the site frame (origin at the south-west corner).
 */
import type { Polygon, Vec2 } from './types.ts'
import type { Rect } from './geometry.ts'
import type { Rng } from './rng.ts'
import type { CommunityPlan } from './profiles.ts'
import type { BandPlan, RoadLine, Site, SiteBuilding } from './site.ts'
import type { PlacedSpec, Row } from './rows.ts'
import {
  BRANCH_WIDTH,
  DOOR_OFFSET,
  RING_INSET,
  RING_WIDTH,
  ROAD_SETBACK,
  SUNLIGHT_RATIO,
  X_MARGIN,
  makeSiteBuilding,
} from './site.ts'
import { planResidential } from './residential.ts'
import { placeRow, rowDepth, rowHeight, rowWidth, towerRows, walkupRows } from './rows.ts'
import {
  amenityDepth,
  amenityHeight,
  amenityWidth,
  isOpenArea,
  placeAmenities,
  planAmenities,
} from './amenities.ts'
import { RAMP_CLEARANCE, planGates } from './gates.ts'
import { BRANCH_STRIP_REACH, planStrips } from './parking-grid.ts'
import { COMMERCIAL, planShops } from './shops.ts'
import { TOWERS_PER_PUMP_ROOM, assignPumpService, basementPumpRooms } from './pump-rooms.ts'

/** Room behind a row for its branch road, a parking strip and a strip of green, whatever the heights. */
const MIN_ROW_GAP = 22

interface StackedRow {
  readonly row: Row
  readonly placed: PlacedSpec[]
  readonly south: number
  readonly north: number
  /** Centreline of the branch road in front of the entrances; the last row uses the north ring instead. */
  readonly roadY: number
}

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}

function doorsAlongNorth(rect: Rect, widths: readonly number[]): Vec2[] {
  let x = rect.x0
  return widths.map((w) => {
    const door: Vec2 = [x + w / 2, rect.y1 + DOOR_OFFSET]
    x += w
    return door
  })
}

function boundaryPolygon(rng: Rng, w: number, d: number): Polygon {
  // One north corner is cut off, as estates often are where two streets meet; the cut stays clear of the ring.
  const c = rng.int(8, 12)
  return rng.chance(0.5)
    ? [
        [0, 0],
        [w, 0],
        [w, d],
        [c, d],
        [0, d - c],
      ]
    : [
        [0, 0],
        [w, 0],
        [w, d - c],
        [w - c, d],
        [0, d],
      ]
}

/**
 * The ring road (counter-clockwise, lights on its outer verge), the landscape axis and one branch road per row
 * but the last, with their junctions registered as stops. Returns the lines and the branch at each y.
 */
function roadSkeleton(
  w: number,
  ringSouth: number,
  ringNorth: number,
  branchYs: readonly number[],
): { ring: RoadLine; roads: RoadLine[]; branchAt: Map<number, RoadLine> } {
  const axis = w / 2
  const east = w - RING_INSET
  const ring: RoadLine = {
    kind: 'main',
    width: RING_WIDTH,
    points: [
      [axis, ringSouth],
      [east, ringSouth],
      [east, ringNorth],
      [RING_INSET, ringNorth],
      [RING_INSET, ringSouth],
      [axis, ringSouth],
    ],
    stops: [[axis, ringNorth]],
    lights: 'right',
  }
  const axisPath: RoadLine = {
    kind: 'footpath',
    width: 4,
    points: [
      [axis, ringSouth],
      [axis, ringNorth],
    ],
    stops: [],
    lights: 'none',
  }
  const roads = [ring, axisPath]
  const branchAt = new Map<number, RoadLine>()
  for (const y of branchYs) {
    const branch: RoadLine = {
      kind: 'branch',
      width: BRANCH_WIDTH,
      points: [
        [RING_INSET, y],
        [east, y],
      ],
      stops: [[axis, y]],
      lights: 'left',
    }
    ring.stops.push([RING_INSET, y], [east, y])
    axisPath.stops.push([axis, y])
    roads.push(branch)
    branchAt.set(y, branch)
  }
  return { ring, roads, branchAt }
}

/**
 * Free ground for open areas: between the amenity strip and the first row, and behind every row but the last
 * (beyond the branch road, and beyond the parking strip behind walk-ups). The ramp band keeps clear of the ramps.
 */
function freeBands(
  stacked: readonly StackedRow[],
  w: number,
  amenityTop: number,
  rampRow: StackedRow,
  twoRamps: boolean,
): BandPlan[] {
  const first = stacked[0] as StackedRow
  const bands: BandPlan[] = [
    { rect: { x0: X_MARGIN, y0: amenityTop + 3, x1: w - X_MARGIN, y1: first.south - 3 }, deep: false },
  ]
  stacked.slice(0, -1).forEach((s, i) => {
    const next = stacked[i + 1] as StackedRow
    const deep = s.row.kind === 'tower'
    const ramps = s === rampRow
    bands.push({
      rect: {
        x0: X_MARGIN + (ramps && twoRamps ? RAMP_CLEARANCE : 0),
        y0: deep ? s.roadY + BRANCH_WIDTH / 2 + 4 : s.roadY + BRANCH_STRIP_REACH + 1,
        x1: w - X_MARGIN - (ramps ? RAMP_CLEARANCE : 0),
        y1: next.south - (deep ? 4 : 2),
      },
      deep,
    })
  })
  return bands.filter((b) => b.rect.y1 - b.rect.y0 >= 3)
}

/** Lays out one community. */
export function layoutSite(rng: Rng, plan: CommunityPlan): Site {
  const cid = plan.id
  const { walkups, towers } = planResidential(rng.fork('residential'), plan)
  const amenities = planAmenities(rng.fork('amenities'), plan, walkups.length > 0)
  const jitter = rng.fork('layout')

  const tRows = towerRows(towers)
  const w0 = Math.max(160, amenityWidth(amenities), ...tRows.map(rowWidth))
  const wRows = walkupRows(walkups, w0)
  const w = Math.ceil(Math.max(w0, ...wRows.map(rowWidth)))
  const rows = [...wRows, ...tRows]

  // Stack everything south to north.
  const ringSouth = plan.hasCommercial ? COMMERCIAL.y1 + ROAD_SETBACK + RING_WIDTH / 2 : RING_INSET
  const amenityY0 = ringSouth + RING_WIDTH / 2 + 6
  const amenityY1 = amenityY0 + amenityDepth(amenities)
  let y = amenityY1 + Math.max(15, SUNLIGHT_RATIO * amenityHeight(amenities)) + jitter.float(0, 3)
  const stacked: StackedRow[] = []
  rows.forEach((row, i) => {
    const north = y + rowDepth(row)
    const isLast = i === rows.length - 1
    // The last row's entrances open onto the north ring; its y is fixed once the site depth is rounded.
    const roadY = isLast ? Number.NaN : north + ROAD_SETBACK + BRANCH_WIDTH / 2
    stacked.push({ row, placed: placeRow(row, w, y), south: y, north, roadY })
    y = north + Math.max(SUNLIGHT_RATIO * rowHeight(row), MIN_ROW_GAP) + jitter.float(0.5, 4)
  })
  const lastRow = stacked[stacked.length - 1] as StackedRow
  const d = Math.ceil(lastRow.north + ROAD_SETBACK + RING_WIDTH / 2 + RING_INSET)
  const ringNorth = d - RING_INSET
  stacked[stacked.length - 1] = { ...lastRow, roadY: ringNorth }
  const branchRows = stacked.slice(0, -1)

  // Roads: the ring first, so everything else can register its junctions on it.
  const { ring, roads, branchAt } = roadSkeleton(
    w,
    ringSouth,
    ringNorth,
    branchRows.map((r) => r.roadY),
  )
  const stub = (door: Vec2, road: RoadLine, roadY: number) => {
    road.stops.push([door[0], roadY])
    roads.push({ kind: 'footpath', width: 2, points: [door, [door[0], roadY]], stops: [], lights: 'none' })
  }

  // Residential buildings, numbered row by row from the south-west: 1号楼, 2号楼 …
  const buildings: SiteBuilding[] = []
  const nextId = () => `${cid}-b${pad2(buildings.length + 1)}`
  for (const s of stacked) {
    const road = branchAt.get(s.roadY) ?? ring
    for (const { spec, rect } of s.placed) {
      const doors = doorsAlongNorth(rect, spec.entranceWidths)
      buildings.push(
        makeSiteBuilding({
          id: nextId(),
          name: `${buildings.length + 1}号楼`,
          kind: spec.kind,
          rect,
          floors: spec.floors,
          floorHeight: spec.floorHeight,
          height: spec.height,
          entrances: spec.entrances,
          elevatorCount: spec.entrances * spec.elevatorsPerEntrance,
          builtYear: spec.builtYear,
          residential: spec,
          doors,
        }),
      )
      for (const door of doors) stub(door, road, s.roadY)
    }
  }

  // Amenity strip: doors face the ring road on the south.
  const { placed: amenityItems, plaza } = placeAmenities(amenities, w, amenityY0)
  const areas = [plaza]
  for (const { item, rect } of amenityItems) {
    const kind = item.kind
    if (isOpenArea(kind)) {
      areas.push({ kind, name: item.name, rect })
      continue
    }
    const door: Vec2 = [(rect.x0 + rect.x1) / 2, rect.y0 - DOOR_OFFSET]
    buildings.push(
      makeSiteBuilding({
        id: nextId(),
        name: kind === 'pump_room' ? '1号泵房' : item.name,
        kind,
        rect,
        floors: item.floors,
        floorHeight: item.floorHeight,
        height: item.floors * item.floorHeight + 1,
        entrances: 1,
        builtYear: plan.builtYear,
        doors: [door],
      }),
    )
    stub(door, ring, ringSouth)
  }

  // Shops along the street; a service door on the ring-road side.
  if (plan.hasCommercial) {
    for (const shop of planShops(jitter, w)) {
      const door: Vec2 = [(shop.rect.x0 + shop.rect.x1) / 2, COMMERCIAL.y1 + DOOR_OFFSET]
      buildings.push(
        makeSiteBuilding({
          id: nextId(),
          name: shop.name,
          kind: 'commercial',
          rect: shop.rect,
          floors: COMMERCIAL.floors,
          floorHeight: COMMERCIAL.floorHeight,
          height: COMMERCIAL.floors * COMMERCIAL.floorHeight + 1.2,
          entrances: 1,
          builtYear: plan.builtYear,
          shopWidth: shop.shopWidth,
          doors: [door],
        }),
      )
      stub(door, ring, ringSouth)
    }
  }

  // Gates and ramps: the ramp runs into the first gap between tower rows, under which the garage lies.
  const towerStart = wRows.length
  const firstTower = stacked[towerStart] as StackedRow
  const secondTower = stacked[towerStart + 1] as StackedRow
  const deepBandY0 = firstTower.roadY + BRANCH_WIDTH / 2 + 4
  const rampY = deepBandY0 + 6
  const westRow = branchRows[Math.floor(branchRows.length / 2)] as StackedRow
  const twoRamps = plan.targetHouseholds >= 1800
  const gates = planGates({ width: w, depth: d, ringSouth, ringNorth, rampY, westY: westRow.roadY, twoRamps })
  for (const line of gates.lines) {
    const end = line.points[1] as Vec2
    if (line.kind !== 'ramp') ring.stops.push(end)
    roads.push(line)
  }
  gates.gatehouses.forEach(({ name, rect }) => {
    buildings.push(
      makeSiteBuilding({
        id: nextId(),
        name,
        kind: 'gatehouse',
        rect,
        floors: 1,
        floorHeight: 3,
        height: 3.5,
        entrances: 0,
        builtYear: plan.builtYear,
        doors: [],
      }),
    )
  })

  // Secondary-water pump rooms for the towers, in the garage under the first deep gap, clear of the ramps.
  const rooms = basementPumpRooms(
    Math.ceil(towers.length / TOWERS_PER_PUMP_ROOM),
    w,
    deepBandY0,
    RAMP_CLEARANCE,
  )
  rooms.forEach((rect, i) => {
    buildings.push(
      makeSiteBuilding({
        id: nextId(),
        name: `${i + (walkups.length > 0 ? 2 : 1)}号泵房`,
        kind: 'pump_room',
        rect,
        floors: 0,
        basementFloors: 1,
        floorHeight: 4.5,
        height: 0,
        entrances: 0,
        builtYear: plan.towerYear,
        doors: [],
      }),
    )
  })
  assignPumpService(buildings)

  // Parking strips on the ring's outer verge and behind walk-up rows.
  const strips = planStrips({
    width: w,
    depth: d,
    ringSouth,
    ringNorth,
    hasCommercial: plan.hasCommercial,
    keepClear: gates.keepClear,
    walkupBranches: branchRows.filter((s) => s.row.kind === 'walkup').map((s) => s.roadY),
  })
  for (const strip of strips) (branchAt.get(strip.roadPoint[1]) ?? ring).stops.push(strip.roadPoint)

  const lastTower = stacked[stacked.length - 1] as StackedRow
  return {
    width: w,
    depth: d,
    boundary: boundaryPolygon(jitter, w, d),
    buildings,
    roads,
    gates: gates.gates,
    ramps: gates.ramps,
    garageRegion: {
      x0: X_MARGIN,
      y0: firstTower.south - 3,
      x1: w - X_MARGIN,
      y1: Math.max(lastTower.north + 3, secondTower.south),
    },
    strips,
    bands: freeBands(stacked, w, amenityY1, firstTower, twoRamps),
    areas,
    mainGate: gates.main.inner,
  }
}

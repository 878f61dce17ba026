/**
 * The amenity strip just inside the main gate: a plaza on the landscape axis, the kindergarten and a playground
 * to the west, the clubhouse, a pump room (when walk-ups need one), a fitness area and a waste point to the east.
 * Low buildings here shade nothing, and residents walking in from the main gate pass through it.
 */
import type { AreaKind } from './types.ts'
import type { Rect } from './geometry.ts'
import type { Rng } from './rng.ts'
import type { CommunityPlan } from './profiles.ts'
import type { AreaDraft } from './site.ts'
import { X_MARGIN } from './site.ts'

export type AmenityKind = 'kindergarten' | 'clubhouse' | 'pump_room' | AreaKind

export interface AmenityItem {
  readonly kind: AmenityKind
  readonly name: string
  readonly width: number
  readonly depth: number
  /** 0 for open areas. */
  readonly floors: number
  readonly floorHeight: number
  readonly side: 'west' | 'east'
  /** Optional items are left out when the strip runs out of room. */
  readonly optional: boolean
}

export interface AmenityPlan {
  readonly plaza: { readonly width: number; readonly depth: number }
  readonly items: readonly AmenityItem[]
}

/** Whether an amenity is an open area rather than a building. */
export function isOpenArea(kind: AmenityKind): kind is AreaKind {
  return kind !== 'kindergarten' && kind !== 'clubhouse' && kind !== 'pump_room'
}

export interface PlacedAmenity {
  readonly item: AmenityItem
  readonly rect: Rect
}

const GAP = 8

function r1(x: number): number {
  return Math.round(x * 10) / 10
}

/** Decides the strip's contents. The kindergarten grows with the number of households (about 1 class per 350). */
export function planAmenities(rng: Rng, plan: CommunityPlan, needsPumpRoom: boolean): AmenityPlan {
  const classes = Math.min(12, Math.max(3, Math.round(plan.targetHouseholds / 350)))
  const items: AmenityItem[] = [
    {
      kind: 'kindergarten',
      name: `${plan.name}幼儿园`,
      // About 250 m² of floor per class over three floors, 18 m deep.
      width: r1(Math.max(24, (classes * 250) / 3 / 18)),
      depth: 18,
      floors: 3,
      floorHeight: 3.6,
      side: 'west',
      optional: false,
    },
    {
      kind: 'clubhouse',
      name: '会所',
      width: r1(rng.float(26, 34)),
      depth: r1(rng.float(16, 20)),
      floors: 2,
      floorHeight: 4.5,
      side: 'east',
      optional: false,
    },
  ]
  if (needsPumpRoom) {
    items.push({
      kind: 'pump_room',
      name: '泵房',
      width: 12,
      depth: 8,
      floors: 1,
      floorHeight: 4.5,
      side: 'east',
      optional: false,
    })
  }
  items.push(
    {
      kind: 'waste_station',
      name: '垃圾分类投放点',
      width: 6,
      depth: 3,
      floors: 0,
      floorHeight: 0,
      side: 'east',
      optional: false,
    },
    {
      kind: 'playground',
      name: '儿童游乐场',
      width: r1(rng.float(20, 26)),
      depth: r1(rng.float(16, 20)),
      floors: 0,
      floorHeight: 0,
      side: 'west',
      optional: true,
    },
    {
      kind: 'fitness',
      name: '健身区',
      width: r1(rng.float(20, 28)),
      depth: r1(rng.float(12, 16)),
      floors: 0,
      floorHeight: 0,
      side: 'east',
      optional: true,
    },
  )
  if (rng.chance(0.5)) {
    items.push({
      kind: 'water',
      name: '景观水池',
      width: r1(rng.float(30, 40)),
      depth: r1(rng.float(16, 22)),
      floors: 0,
      floorHeight: 0,
      side: 'west',
      optional: true,
    })
  }
  return { plaza: { width: r1(rng.float(32, 40)), depth: r1(rng.float(24, 30)) }, items }
}

/** The site width the strip's mandatory items need. */
export function amenityWidth(plan: AmenityPlan): number {
  const need = (side: 'west' | 'east') =>
    plan.items
      .filter((i) => i.side === side && !i.optional)
      .reduce((a, i) => a + GAP + i.width, plan.plaza.width / 2)
  return 2 * (X_MARGIN + Math.max(need('west'), need('east')))
}

/** The strip's depth (north–south). */
export function amenityDepth(plan: AmenityPlan): number {
  return Math.max(plan.plaza.depth, ...plan.items.map((i) => i.depth))
}

/** Height of the tallest amenity building, which sets the sunlight gap to the first residential row. */
export function amenityHeight(plan: AmenityPlan): number {
  return Math.max(0, ...plan.items.map((i) => i.floors * i.floorHeight + 1))
}

/**
 * Places the strip with its south edge on `y0` in a site `siteWidth` wide: the plaza centred on the axis, then
 * outwards on each side. Optional items that would cross into the ring-road margin are dropped.
 */
export function placeAmenities(
  plan: AmenityPlan,
  siteWidth: number,
  y0: number,
): { placed: PlacedAmenity[]; plaza: AreaDraft } {
  const axis = siteWidth / 2
  const half = plan.plaza.width / 2
  const plaza: AreaDraft = {
    kind: 'plaza',
    name: '中心广场',
    rect: { x0: axis - half, y0, x1: axis + half, y1: y0 + plan.plaza.depth },
  }
  const placed: PlacedAmenity[] = []
  let west = axis - half - GAP
  let east = axis + half + GAP
  for (const item of plan.items) {
    if (item.side === 'west') {
      if (item.optional && west - item.width < X_MARGIN) continue
      placed.push({ item, rect: { x0: west - item.width, y0, x1: west, y1: y0 + item.depth } })
      west -= item.width + GAP
    } else {
      if (item.optional && east + item.width > siteWidth - X_MARGIN) continue
      placed.push({ item, rect: { x0: east, y0, x1: east + item.width, y1: y0 + item.depth } })
      east += item.width + GAP
    }
  }
  return { placed, plaza }
}

/**
 * Secondary water supply (二次供水): towers are too tall for mains pressure, so pump rooms in the garage (one per
 * eight towers) boost their supply; walk-ups, shops and amenities are fed from the small pump house in the amenity
 * strip. This file places the basement rooms and records which buildings each room serves.
 */
import type { Rect } from './geometry.ts'
import type { SiteBuilding } from './site.ts'
import { X_MARGIN } from './site.ts'

/** Towers served by one basement pump room. */
export const TOWERS_PER_PUMP_ROOM = 8
const ROOM = { width: 20, depth: 10, gap: 8 } as const

/**
 * Footprints of `count` basement rooms in the deep band that starts at `bandY0`, in lines from west to east
 * between the ramp landings (`clearance` from each side), wrapping onto a further line when a site is narrow.
 */
export function basementPumpRooms(
  count: number,
  siteWidth: number,
  bandY0: number,
  clearance: number,
): Rect[] {
  const x0 = X_MARGIN + clearance + 4
  const usable = siteWidth - 2 * (X_MARGIN + clearance + 4)
  const perLine = Math.max(1, Math.floor((usable + ROOM.gap) / (ROOM.width + ROOM.gap)))
  return Array.from({ length: count }, (_, i) => {
    const x = x0 + (i % perLine) * (ROOM.width + ROOM.gap)
    const y = bandY0 + 14 + Math.floor(i / perLine) * (ROOM.depth + ROOM.gap)
    return { x0: x, y0: y, x1: x + ROOM.width, y1: y + ROOM.depth }
  })
}

/** Splits the towers between the basement rooms, and gives everything else to the surface pump house. */
export function assignPumpService(buildings: readonly SiteBuilding[]): void {
  const basement = buildings.filter((b) => b.kind === 'pump_room' && b.floors === 0)
  const towers = buildings.filter((b) => b.kind === 'tower').map((b) => b.id)
  const per = Math.ceil(towers.length / Math.max(1, basement.length))
  basement.forEach((room, i) => room.serves.push(...towers.slice(i * per, (i + 1) * per)))
  const house = buildings.find((b) => b.kind === 'pump_room' && b.floors > 0)
  const lowRise = new Set<SiteBuilding['kind']>(['walkup', 'commercial', 'clubhouse', 'kindergarten'])
  house?.serves.push(...buildings.filter((b) => lowRise.has(b.kind)).map((b) => b.id))
}

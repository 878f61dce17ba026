/**
 * Units (flats and shops) of every building, with where each one sits in plan so its meters can be placed.
 * Door numbers follow the usual convention: floor then two-digit position, so "1502" is floor 15, unit 02 of its
 * entrance; the id adds the entrance because every entrance of a building repeats the same numbers.
 */
import type { Unit, Vec2 } from './types.ts'
import type { SiteBuilding } from './site.ts'

export interface PlacedUnit {
  readonly unit: Unit
  /** Centre of the unit in plan (site frame). */
  readonly at: Vec2
  /** Floor level above ground, metres. */
  readonly elevation: number
}

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}

/** Bedrooms a flat of this floor area usually has. */
export function bedroomsFor(area: number): number {
  if (area < 65) return 1
  if (area < 90) return 2
  if (area < 135) return 3
  return 4
}

function residentialUnits(b: SiteBuilding): PlacedUnit[] {
  const spec = b.residential
  if (spec === null) return []
  const out: PlacedUnit[] = []
  const cy = (b.rect.y0 + b.rect.y1) / 2
  let entranceX = b.rect.x0
  for (let e = 1; e <= spec.entrances; e++) {
    const width = spec.entranceWidths[e - 1] as number
    const areas = spec.areas[e - 1] as readonly number[]
    for (let floor = 1; floor <= spec.floors; floor++) {
      for (let p = 1; p <= spec.unitsPerFloor; p++) {
        const area = areas[p - 1] as number
        const number = `${floor}${pad2(p)}`
        out.push({
          unit: {
            id: `${b.id}-e${e}-u${number}`,
            buildingId: b.id,
            entrance: e,
            floor,
            number,
            area,
            bedrooms: bedroomsFor(area),
            usage: 'residential',
          },
          at: [entranceX + ((p - 0.5) * width) / spec.unitsPerFloor, cy],
          elevation: (floor - 1) * spec.floorHeight,
        })
      }
    }
    entranceX += width
  }
  return out
}

function shopUnits(b: SiteBuilding): PlacedUnit[] {
  const count = Math.round((b.rect.x1 - b.rect.x0) / b.shopWidth)
  const depth = b.rect.y1 - b.rect.y0
  const cy = (b.rect.y0 + b.rect.y1) / 2
  // Street shops are two-storey units: the ground floor and the mezzanine above it are one unit.
  const area = Math.round(b.shopWidth * depth * b.floors * 100) / 100
  return Array.from({ length: count }, (_, i) => {
    const number = `1${pad2(i + 1)}`
    return {
      unit: {
        id: `${b.id}-e1-u${number}`,
        buildingId: b.id,
        entrance: 1,
        floor: 1,
        number,
        area,
        bedrooms: 0,
        usage: 'commercial',
      },
      at: [b.rect.x0 + (i + 0.5) * b.shopWidth, cy],
      elevation: 0,
    }
  })
}

/** Every unit of every building, building by building. */
export function buildUnits(buildings: readonly SiteBuilding[]): PlacedUnit[] {
  return buildings.flatMap((b) => (b.kind === 'commercial' ? shopUnits(b) : residentialUnits(b)))
}

/**
 * Open areas in the free bands between rows: a waste-sorting point at the ring-road end of a band, a playground,
 * fitness area or pond in the deep gardens behind towers, and green belt over the rest. Bands are split at the
 * landscape axis so the footpath stays open.
 */
import type { OpenArea } from './types.ts'
import type { Rect } from './geometry.ts'
import { rectPolygon } from './geometry.ts'
import type { Rng } from './rng.ts'
import type { AreaDraft, Site } from './site.ts'

/** Gap kept between areas, and between areas and the axis footpath. */
const GAP = 3
/** Households per waste-sorting point (Shanghai guidance is one point per 300–500 households). */
export const HOUSEHOLDS_PER_WASTE_POINT = 350

function r1(x: number): number {
  return Math.round(x * 10) / 10
}

type Feature = 'playground' | 'fitness' | 'water'

const FEATURE_NAMES: Readonly<Record<Feature, string>> = {
  playground: '儿童游乐场',
  fitness: '健身区',
  water: '景观水池',
}

/**
 * Fills every band. `wastePoints` is how many waste points the bands should take (the amenity strip has its own).
 */
export function fillBands(rng: Rng, site: Site, wastePoints: number): AreaDraft[] {
  const out: AreaDraft[] = []
  let wasteLeft = wastePoints
  let deepIndex = 0
  const axis = site.width / 2
  for (const band of site.bands) {
    const { rect, deep } = band
    const halves: { r: Rect; outerIsWest: boolean }[] = [
      { r: { ...rect, x1: axis - GAP }, outerIsWest: true },
      { r: { ...rect, x0: axis + GAP }, outerIsWest: false },
    ]
    for (const [h, { r, outerIsWest }] of halves.entries()) {
      if (r.x1 - r.x0 < 12) continue
      // Work from the outer (ring-road) end inwards; `edge` is the next free x on the outer side.
      let lo = r.x0
      let hi = r.x1
      const take = (width: number): [number, number] => {
        if (outerIsWest) {
          lo += width + GAP
          return [lo - width - GAP, lo - GAP]
        }
        hi -= width + GAP
        return [hi + GAP, hi + GAP + width]
      }
      if (wasteLeft > 0 && r.y1 - r.y0 >= 3) {
        const [x0, x1] = take(6)
        out.push({ kind: 'waste_station', name: '垃圾分类投放点', rect: { x0, y0: r.y0, x1, y1: r.y0 + 3 } })
        wasteLeft--
      }
      if (deep) {
        const feature: Feature | null =
          h === 0
            ? deepIndex % 2 === 0
              ? 'playground'
              : 'fitness'
            : rng.chance(0.5)
              ? 'water'
              : deepIndex % 2 === 0
                ? 'fitness'
                : null
        if (feature !== null && hi - lo >= 40) {
          const width = r1(rng.float(20, 28))
          const depth = Math.min(r.y1 - r.y0, r1(rng.float(14, 20)))
          const [x0, x1] = take(width)
          out.push({
            kind: feature,
            name: FEATURE_NAMES[feature],
            rect: { x0, y0: r.y0, x1, y1: r.y0 + depth },
          })
          // Behind the feature column, the garden continues.
          const behind = {
            x0: outerIsWest ? r.x0 : x0,
            y0: r.y0 + depth + GAP,
            x1: outerIsWest ? x1 : r.x1,
            y1: r.y1,
          }
          if (behind.y1 - behind.y0 >= 8) out.push({ kind: 'green_belt', name: '中心绿地', rect: behind })
        }
      }
      if (hi - lo >= 8)
        out.push({ kind: 'green_belt', name: deep ? '中心绿地' : '宅间绿地', rect: { ...r, x0: lo, x1: hi } })
    }
    if (deep) deepIndex++
  }
  return out
}

/** Gives drafts their ids (`c01-a01` …) and numbers repeated names (宅间绿地1, 宅间绿地2 …). */
export function finishAreas(drafts: readonly AreaDraft[], communityId: string): OpenArea[] {
  const totals = new Map<string, number>()
  for (const d of drafts) totals.set(d.name, (totals.get(d.name) ?? 0) + 1)
  const seen = new Map<string, number>()
  return drafts.map((d, i) => {
    const n = (seen.get(d.name) ?? 0) + 1
    seen.set(d.name, n)
    return {
      id: `${communityId}-a${String(i + 1).padStart(2, '0')}`,
      communityId,
      name: (totals.get(d.name) ?? 0) > 1 ? `${d.name}${n}` : d.name,
      kind: d.kind,
      polygon: rectPolygon(d.rect),
    }
  })
}

/** The axis-aligned bounds of a polygon: minX, minY, maxX, maxY. */
import type { Polygon } from '../../../../../data/index.ts'

export function polygonBounds(polygon: Polygon): readonly [number, number, number, number] {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const [x, y] of polygon) {
    minX = Math.min(minX, x)
    minY = Math.min(minY, y)
    maxX = Math.max(maxX, x)
    maxY = Math.max(maxY, y)
  }
  return [minX, minY, maxX, maxY]
}

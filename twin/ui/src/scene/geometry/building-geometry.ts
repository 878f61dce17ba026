/**
 * Buildings extruded from their footprints into ONE merged mesh (walls + roofs, vertex colours) and ONE line set
 * with a ring at every floor, so all buildings cost two draw calls whatever their number. Per-building vertex
 * ranges let data layers (energy, risk) recolour a building, and a triangle → building table resolves picks.
 */
import { BufferAttribute, BufferGeometry, ShapeUtils, Vector2 } from 'three'
import type { SceneBuilding } from '../../api/scene-types.ts'
import { buildingColors } from './palette.ts'

export interface BuildingMeshData {
  readonly geometry: BufferGeometry
  readonly floorLines: BufferGeometry
  /** Building index of each triangle of `geometry`. */
  readonly triangleBuilding: Int32Array
  /** First vertex and vertex count of each building in `geometry`. */
  readonly vertexStart: Uint32Array
  readonly vertexCount: Uint32Array
  /** The base colour of every vertex (to restore after a data layer is switched off). */
  readonly baseColors: Float32Array
}

function signedArea(polygon: readonly (readonly [number, number])[]): number {
  let sum = 0
  for (let i = 0; i < polygon.length; i++) {
    const [x1, y1] = polygon[i]!
    const [x2, y2] = polygon[(i + 1) % polygon.length]!
    sum += x1 * y2 - x2 * y1
  }
  return sum / 2
}

/** Builds the merged building geometry. */
export function buildBuildingGeometry(buildings: readonly SceneBuilding[]): BuildingMeshData {
  let vertices = 0
  let lineVertices = 0
  const roofs: number[][][] = []
  for (const b of buildings) {
    const contour = b.footprint.map(([x, y]) => new Vector2(x, y))
    const faces = ShapeUtils.triangulateShape(contour, [])
    roofs.push(faces)
    vertices += b.footprint.length * 6 + faces.length * 3
    lineVertices += b.footprint.length * 2 * Math.max(0, b.floors)
  }
  const position = new Float32Array(vertices * 3)
  const normal = new Float32Array(vertices * 3)
  const color = new Float32Array(vertices * 3)
  const triangleBuilding = new Int32Array(vertices / 3)
  const vertexStart = new Uint32Array(buildings.length)
  const vertexCount = new Uint32Array(buildings.length)
  const lines = new Float32Array(lineVertices * 3)
  let v = 0
  let l = 0

  const put = (x: number, y: number, z: number, nx: number, ny: number, nz: number, c: readonly number[]) => {
    position.set([x, y, z], v * 3)
    normal.set([nx, ny, nz], v * 3)
    color.set(c, v * 3)
    v++
  }

  buildings.forEach((b, bi) => {
    const ring = signedArea(b.footprint) >= 0 ? b.footprint : [...b.footprint].reverse()
    const base = buildingColors[b.kind]
    const roof = base.map((c) => Math.min(1, c * 1.35))
    const h = b.height
    vertexStart[bi] = v
    for (let i = 0; i < ring.length; i++) {
      const [x1, y1] = ring[i]!
      const [x2, y2] = ring[(i + 1) % ring.length]!
      const len = Math.hypot(x2 - x1, y2 - y1) || 1
      const nx = (y2 - y1) / len
      const ny = -(x2 - x1) / len
      // Counter-clockwise ring seen from above: the outside is on the right of each edge.
      put(x1, y1, 0, nx, ny, 0, base)
      put(x2, y2, 0, nx, ny, 0, base)
      put(x2, y2, h, nx, ny, 0, base)
      put(x1, y1, 0, nx, ny, 0, base)
      put(x2, y2, h, nx, ny, 0, base)
      put(x1, y1, h, nx, ny, 0, base)
    }
    for (const [a, bIndex, c] of roofs[bi]!) {
      const pa = b.footprint[a!]!
      const pb = b.footprint[bIndex!]!
      const pc = b.footprint[c!]!
      const ccw = (pb[0] - pa[0]) * (pc[1] - pa[1]) - (pb[1] - pa[1]) * (pc[0] - pa[0]) >= 0
      const [p2, p3] = ccw ? [pb, pc] : [pc, pb]
      put(pa[0], pa[1], h, 0, 0, 1, roof)
      put(p2[0], p2[1], h, 0, 0, 1, roof)
      put(p3[0], p3[1], h, 0, 0, 1, roof)
    }
    vertexCount[bi] = v - vertexStart[bi]
    triangleBuilding.fill(bi, vertexStart[bi] / 3, v / 3)
    for (let f = 1; f <= b.floors; f++) {
      const z = Math.min(h, f * b.floorHeight)
      for (let i = 0; i < ring.length; i++) {
        const [x1, y1] = ring[i]!
        const [x2, y2] = ring[(i + 1) % ring.length]!
        lines.set([x1, y1, z, x2, y2, z], l * 3)
        l += 2
      }
    }
  })

  const geometry = new BufferGeometry()
  geometry.setAttribute('position', new BufferAttribute(position, 3))
  geometry.setAttribute('normal', new BufferAttribute(normal, 3))
  geometry.setAttribute('color', new BufferAttribute(color, 3))
  geometry.computeBoundingSphere()
  geometry.computeBoundingBox()
  const floorLines = new BufferGeometry()
  floorLines.setAttribute('position', new BufferAttribute(lines.subarray(0, l * 3), 3))
  floorLines.computeBoundingSphere()
  return { geometry, floorLines, triangleBuilding, vertexStart, vertexCount, baseColors: color.slice() }
}

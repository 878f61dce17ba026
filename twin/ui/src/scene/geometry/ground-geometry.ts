/**
 * Everything flat on the ground in ONE merged mesh with vertex colours (one draw call): the site inside the
 * boundary wall, open areas by kind, parking lots, and roads as ribbons built from the road graph. Layers sit a
 * little apart in height so they never z-fight. Parking lots keep their vertex ranges for the occupancy layer.
 */
import { BufferAttribute, BufferGeometry, ShapeUtils, Vector2 } from 'three'
import type { Polygon } from '../../../../../data/index.ts'
import type { Scene } from '../../api/scene-types.ts'
import { areaColors, groundColor, lotColors, roadColors } from './palette.ts'

export interface GroundMeshData {
  readonly geometry: BufferGeometry
  /** The boundary wall as line segments. */
  readonly outline: BufferGeometry
  /** First vertex and vertex count of each parking lot (scene order). */
  readonly lotStart: Uint32Array
  readonly lotCount: Uint32Array
  readonly baseColors: Float32Array
  /** Bounds of the site: minX, minY, maxX, maxY. */
  readonly bounds: readonly [number, number, number, number]
}

const Z = { site: 0, underground: 0.1, area: 0.2, lot: 0.3, road: 0.45 } as const

class Builder {
  position: number[] = []
  color: number[] = []

  get vertices(): number {
    return this.position.length / 3
  }

  polygon(polygon: Polygon, z: number, c: readonly number[]): void {
    if (polygon.length < 3) return
    const faces = ShapeUtils.triangulateShape(
      polygon.map(([x, y]) => new Vector2(x, y)),
      [],
    )
    for (const [a, b, d] of faces) {
      const pa = polygon[a!]!
      let pb = polygon[b!]!
      let pd = polygon[d!]!
      if ((pb[0] - pa[0]) * (pd[1] - pa[1]) - (pb[1] - pa[1]) * (pd[0] - pa[0]) < 0) [pb, pd] = [pd, pb]
      this.vertex(pa[0], pa[1], z, c)
      this.vertex(pb[0], pb[1], z, c)
      this.vertex(pd[0], pd[1], z, c)
    }
  }

  /** A quad ribbon along a polyline, each segment extended by half the width to close the joints. */
  ribbon(
    points: readonly (readonly [number, number])[],
    width: number,
    z: number,
    c: readonly number[],
  ): void {
    const half = width / 2
    for (let i = 0; i + 1 < points.length; i++) {
      const [x1, y1] = points[i]!
      const [x2, y2] = points[i + 1]!
      const len = Math.hypot(x2 - x1, y2 - y1)
      if (len === 0) continue
      const dx = ((x2 - x1) / len) * half
      const dy = ((y2 - y1) / len) * half
      const ax = x1 - dx
      const ay = y1 - dy
      const bx = x2 + dx
      const by = y2 + dy
      // Left normal (-dy, dx): corners counter-clockwise seen from above.
      this.vertex(ax + dy, ay - dx, z, c)
      this.vertex(bx + dy, by - dx, z, c)
      this.vertex(bx - dy, by + dx, z, c)
      this.vertex(ax + dy, ay - dx, z, c)
      this.vertex(bx - dy, by + dx, z, c)
      this.vertex(ax - dy, ay + dx, z, c)
    }
  }

  private vertex(x: number, y: number, z: number, c: readonly number[]): void {
    this.position.push(x, y, z)
    this.color.push(c[0]!, c[1]!, c[2]!)
  }
}

/** Builds the merged ground geometry of a scene. */
export function buildGroundGeometry(scene: Scene): GroundMeshData {
  const builder = new Builder()
  const { boundary, roads } = scene.community
  builder.polygon(boundary, Z.site, groundColor)
  const lotStart = new Uint32Array(scene.parkingLots.length)
  const lotCount = new Uint32Array(scene.parkingLots.length)
  scene.parkingLots.forEach((lot, i) => {
    lotStart[i] = builder.vertices
    const underground = lot.kind === 'underground'
    builder.polygon(lot.polygon, underground ? Z.underground : Z.lot, lotColors[lot.kind])
    lotCount[i] = builder.vertices - lotStart[i]
  })
  for (const area of scene.areas) builder.polygon(area.polygon, Z.area, areaColors[area.kind])
  const nodes = new Map(roads.nodes.map((n) => [n.id, n.position]))
  for (const edge of roads.edges) {
    const from = nodes.get(edge.from)
    const to = nodes.get(edge.to)
    if (!from || !to) continue
    const width = edge.kind === 'footpath' ? Math.max(1.5, edge.width) : edge.width
    builder.ribbon([from, ...edge.via, to], width, Z.road, roadColors[edge.kind])
  }

  const geometry = new BufferGeometry()
  const color = new Float32Array(builder.color)
  geometry.setAttribute('position', new BufferAttribute(new Float32Array(builder.position), 3))
  geometry.setAttribute('normal', new BufferAttribute(normalsUp(builder.vertices), 3))
  geometry.setAttribute('color', new BufferAttribute(color, 3))
  geometry.computeBoundingSphere()

  const outline = new BufferGeometry()
  const ring = new Float32Array(boundary.length * 6)
  boundary.forEach(([x, y], i) => {
    const [x2, y2] = boundary[(i + 1) % boundary.length]!
    ring.set([x, y, 0.6, x2, y2, 0.6], i * 6)
  })
  outline.setAttribute('position', new BufferAttribute(ring, 3))
  outline.computeBoundingSphere()

  const xs = boundary.map((p) => p[0])
  const ys = boundary.map((p) => p[1])
  return {
    geometry,
    outline,
    lotStart,
    lotCount,
    baseColors: color.slice(),
    bounds: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
  }
}

function normalsUp(count: number): Float32Array {
  const normals = new Float32Array(count * 3)
  for (let i = 2; i < normals.length; i += 3) normals[i] = 1
  return normals
}

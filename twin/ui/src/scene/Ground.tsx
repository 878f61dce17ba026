/**
 * The ground: site, open areas, parking lots and road ribbons in one mesh, and the boundary wall as lines.
 * With the parking layer on, lots are coloured by occupancy (from the parking KPI route; unchanged without data).
 */
import { useThree } from '@react-three/fiber'
import { useEffect, useMemo } from 'react'
import { LineBasicMaterial, MeshLambertMaterial, type BufferAttribute } from 'three'
import type { Scene } from '../api/scene-types.ts'
import { riskRamp, rampInto } from './color-ramp.ts'
import { buildGroundGeometry } from './geometry/ground-geometry.ts'

export interface GroundProps {
  /** The community scene. */
  readonly scene: Scene
  /** Colour parking lots by occupancy. */
  readonly parking?: boolean
  /** Occupancy 0..1 by lot id, or null while there is none. */
  readonly occupancy?: ReadonlyMap<string, number> | null
}

/** The merged ground mesh. */
export function Ground({ scene, parking = false, occupancy = null }: GroundProps) {
  const invalidate = useThree((s) => s.invalidate)
  const data = useMemo(() => buildGroundGeometry(scene), [scene])
  const material = useMemo(() => new MeshLambertMaterial({ vertexColors: true }), [])
  const lineMaterial = useMemo(() => new LineBasicMaterial({ color: '#3f7fb5' }), [])
  useEffect(
    () => () => {
      data.geometry.dispose()
      data.outline.dispose()
    },
    [data],
  )
  useEffect(
    () => () => {
      material.dispose()
      lineMaterial.dispose()
    },
    [material, lineMaterial],
  )

  useEffect(() => {
    const attribute = data.geometry.getAttribute('color') as BufferAttribute
    const colors = attribute.array as Float32Array
    colors.set(data.baseColors)
    if (parking && occupancy) {
      scene.parkingLots.forEach((lot, i) => {
        const share = occupancy.get(lot.id)
        if (share === undefined) return
        const start = data.lotStart[i]!
        for (let v = 0; v < data.lotCount[i]!; v++) rampInto(riskRamp, share, colors, (start + v) * 3)
      })
    }
    attribute.needsUpdate = true
    invalidate()
  }, [data, scene, parking, occupancy, invalidate])

  return (
    <group>
      <mesh geometry={data.geometry} material={material} receiveShadow={false} />
      <lineSegments geometry={data.outline} material={lineMaterial} />
    </group>
  )
}

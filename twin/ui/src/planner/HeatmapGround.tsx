/**
 * One frame of a scenario's density heatmap laid on the ground of the 3D twin: a single textured quad over the
 * heatmap's grid, its texels repainted in place when the frame changes (one texture upload, one draw call).
 * Like the wall screen's deck.gl crowd layer it is drawn over the buildings, so crowds indoors and behind
 * towers stay visible.
 */
import { useThree } from '@react-three/fiber'
import { useEffect, useMemo } from 'react'
import {
  DataTexture,
  MeshBasicMaterial,
  NearestFilter,
  PlaneGeometry,
  RGBAFormat,
  SRGBColorSpace,
  UnsignedByteType,
} from 'three'
import type { CompactHeatmap } from '../../../sim/index.ts'
import { paintHeatFrame } from './plan-view.ts'

export interface HeatmapGroundProps {
  /** The heatmap to show (null: nothing). */
  readonly heatmap: CompactHeatmap | null
  /** Which of its frames. */
  readonly frame: number
  /** Height above the ground, m (above the ground mesh and road ribbons). */
  readonly z?: number
}

/** The heatmap quad. */
export function HeatmapGround({ heatmap, frame, z = 0.5 }: HeatmapGroundProps) {
  const invalidate = useThree((s) => s.invalidate)
  const layer = useMemo(() => {
    if (!heatmap || heatmap.cols <= 0 || heatmap.rows <= 0) return null
    const texels = new Uint8Array(heatmap.cols * heatmap.rows * 4)
    const texture = new DataTexture(texels, heatmap.cols, heatmap.rows, RGBAFormat, UnsignedByteType)
    texture.colorSpace = SRGBColorSpace
    // Cells stay crisp squares, as the simulation counted them.
    texture.magFilter = NearestFilter
    texture.minFilter = NearestFilter
    texture.generateMipmaps = false
    const geometry = new PlaneGeometry(heatmap.cols * heatmap.cell, heatmap.rows * heatmap.cell)
    const material = new MeshBasicMaterial({
      map: texture,
      transparent: true,
      depthTest: false,
      depthWrite: false,
    })
    return { texels, texture, geometry, material }
  }, [heatmap])
  useEffect(
    () => () => {
      layer?.texture.dispose()
      layer?.geometry.dispose()
      layer?.material.dispose()
    },
    [layer],
  )
  useEffect(() => {
    if (!layer || !heatmap) return
    paintHeatFrame(heatmap, frame, layer.texels)
    layer.texture.needsUpdate = true
    invalidate()
  }, [layer, heatmap, frame, invalidate])

  if (!layer || !heatmap) return null
  return (
    <mesh
      geometry={layer.geometry}
      material={layer.material}
      position={[
        heatmap.originX + (heatmap.cols * heatmap.cell) / 2,
        heatmap.originY + (heatmap.rows * heatmap.cell) / 2,
        z,
      ]}
      renderOrder={10}
    />
  )
}

/**
 * All buildings as one merged, slightly translucent mesh (devices inside stay visible) plus one line set of
 * floor rings: two draw calls in total. The energy layer colours each building by its live electric load
 * (summed from its meters by the live store), repainted at most once a second; the selected building glows.
 */
import { useFrame, useThree } from '@react-three/fiber'
import { useEffect, useMemo, useRef } from 'react'
import { LineBasicMaterial, MeshLambertMaterial, type BufferAttribute } from 'three'
import type { SceneBuilding } from '../api/scene-types.ts'
import type { LiveStore } from '../live/live-store.ts'
import { heatRamp, rampInto } from './color-ramp.ts'
import { buildBuildingGeometry } from './geometry/building-geometry.ts'

export interface BuildingsProps {
  readonly buildings: readonly SceneBuilding[]
  readonly store: LiveStore
  /** Colour buildings by live electric load. */
  readonly energy?: boolean
  /** Index of the selected building, -1 for none. */
  readonly selected?: number
  /** Least time between energy repaints, ms. */
  readonly repaintMs?: number
}

/** Picking data carried in `userData.pick` of the building mesh. */
export interface BuildingPick {
  readonly type: 'building'
  readonly triangleBuilding: Int32Array
}

/** The merged buildings. */
export function Buildings({
  buildings,
  store,
  energy = false,
  selected = -1,
  repaintMs = 1000,
}: BuildingsProps) {
  const data = useMemo(() => buildBuildingGeometry(buildings), [buildings])
  const material = useMemo(
    () => new MeshLambertMaterial({ vertexColors: true, transparent: true, opacity: 0.86 }),
    [],
  )
  const lineMaterial = useMemo(
    () => new LineBasicMaterial({ color: '#8fb8e0', transparent: true, opacity: 0.28 }),
    [],
  )
  const painted = useRef<{
    store: LiveStore | null
    version: number
    at: number
    energy: boolean
    selected: number
  }>({
    store: null,
    version: -1,
    at: 0,
    energy: false,
    selected: -2,
  })
  const pick = useMemo<BuildingPick>(
    () => ({ type: 'building', triangleBuilding: data.triangleBuilding }),
    [data],
  )

  useEffect(
    () => () => {
      data.geometry.dispose()
      data.floorLines.dispose()
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

  // Rendering is on demand: a toggle or a selection asks for the frame that repaints, and an energy change that
  // came too soon after the last repaint asks for a frame when the repaint is due.
  const invalidate = useThree((s) => s.invalidate)
  useEffect(() => invalidate(), [energy, selected, store, invalidate])
  const due = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(
    () => () => {
      if (due.current) clearTimeout(due.current)
    },
    [],
  )

  useFrame(() => {
    const p = painted.current
    const now = performance.now()
    if (energy && p.version !== store.energyVersion && now - p.at < repaintMs && !due.current) {
      due.current = setTimeout(
        () => {
          due.current = null
          invalidate()
        },
        repaintMs - (now - p.at),
      )
    }
    const energyChanged =
      energy && (p.version !== store.energyVersion || p.store !== store) && now - p.at >= repaintMs
    if (!energyChanged && p.energy === energy && p.selected === selected) return
    p.store = store
    p.version = store.energyVersion
    p.at = now
    p.energy = energy
    p.selected = selected
    paint(data, store, energy, selected)
  })

  return (
    <group>
      <mesh geometry={data.geometry} material={material} userData={{ pick }} renderOrder={1} />
      <lineSegments geometry={data.floorLines} material={lineMaterial} renderOrder={2} />
    </group>
  )
}

function paint(
  data: ReturnType<typeof buildBuildingGeometry>,
  store: LiveStore,
  energy: boolean,
  selected: number,
): void {
  const attribute = data.geometry.getAttribute('color') as BufferAttribute
  const colors = attribute.array as Float32Array
  colors.set(data.baseColors)
  const loads = store.buildingLoadKw
  let max = 0
  for (let b = 0; b < loads.length; b++) max = Math.max(max, loads[b]!)
  const n = data.vertexStart.length
  for (let b = 0; b < n; b++) {
    const start = data.vertexStart[b]! * 3
    const end = start + data.vertexCount[b]! * 3
    if (energy && max > 0) {
      rampInto(heatRamp, loads[b]! / max, colors, start)
      for (let i = start + 3; i < end; i += 3) {
        colors[i] = colors[start]!
        colors[i + 1] = colors[start + 1]!
        colors[i + 2] = colors[start + 2]!
      }
    }
    if (b === selected) {
      for (let i = start; i < end; i++) colors[i] = Math.min(1, colors[i]! * 0.5 + 0.5)
    }
  }
  attribute.needsUpdate = true
}

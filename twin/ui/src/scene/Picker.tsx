/**
 * Click picking: a click (not a drag) on the canvas raycasts the meshes that carry `userData.pick` and reports
 * the building or device hit. Raycasting happens on click only, never on pointer move, so hovering costs nothing.
 * With `onGround` (the planner), every click also reports where the ray meets the ground plane z = 0.
 */
import { useThree } from '@react-three/fiber'
import { useEffect } from 'react'
import { Plane, Raycaster, Vector2, Vector3, type Object3D } from 'three'
import type { BuildingPick } from './Buildings.tsx'
import type { DevicePick } from './DeviceInstances.tsx'

export type Picked = { readonly type: 'building' | 'device'; readonly index: number } | null

export interface PickerProps {
  /** Called with what was clicked (null for empty ground). */
  readonly onPick: (picked: Picked) => void
  /** Called first, for every click, with the point (metres) where the ray meets the ground, if it does. */
  readonly onGround?: ((x: number, y: number) => void) | undefined
  /** Largest pointer movement that still counts as a click, px. */
  readonly slopPx?: number
}

const raycaster = new Raycaster()
const ndc = new Vector2()
const ground = new Plane(new Vector3(0, 0, 1), 0)
const onPlane = new Vector3()

/** Reports clicks on buildings and devices. */
export function Picker({ onPick, onGround, slopPx = 5 }: PickerProps) {
  const { camera, gl, scene } = useThree()
  useEffect(() => {
    const element = gl.domElement
    let downX = 0
    let downY = 0
    const onDown = (e: PointerEvent) => {
      downX = e.clientX
      downY = e.clientY
    }
    const onUp = (e: PointerEvent) => {
      if (Math.hypot(e.clientX - downX, e.clientY - downY) > slopPx) return
      const rect = element.getBoundingClientRect()
      ndc.set(((e.clientX - rect.left) / rect.width) * 2 - 1, -((e.clientY - rect.top) / rect.height) * 2 + 1)
      raycaster.setFromCamera(ndc, camera)
      if (onGround && raycaster.ray.intersectPlane(ground, onPlane)) onGround(onPlane.x, onPlane.y)
      const targets: Object3D[] = []
      scene.traverseVisible((o) => {
        if (o.userData.pick) targets.push(o)
      })
      for (const hit of raycaster.intersectObjects(targets, false)) {
        const pick = hit.object.userData.pick as BuildingPick | DevicePick
        if (pick.type === 'device' && hit.instanceId !== undefined) {
          onPick({ type: 'device', index: pick.devices[hit.instanceId] ?? -1 })
          return
        }
        if (pick.type === 'building' && hit.faceIndex != null) {
          onPick({ type: 'building', index: pick.triangleBuilding[hit.faceIndex] ?? -1 })
          return
        }
      }
      onPick(null)
    }
    element.addEventListener('pointerdown', onDown)
    element.addEventListener('pointerup', onUp)
    return () => {
      element.removeEventListener('pointerdown', onDown)
      element.removeEventListener('pointerup', onUp)
    }
  }, [camera, gl, scene, onPick, onGround, slopPx])
  return null
}

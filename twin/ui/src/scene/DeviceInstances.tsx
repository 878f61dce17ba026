/**
 * All devices of one kind as ONE InstancedMesh (one draw call per kind). Colours come from the device's live
 * state (or its predictive risk when the risk layer is on); elevator cars move to their live floor. The frame
 * loop drains the live store's dirty queue for this kind and writes straight into the instance arrays: no
 * allocation and no React render per message.
 */
import { useFrame, useThree } from '@react-three/fiber'
import { useEffect, useMemo } from 'react'
import {
  DynamicDrawUsage,
  InstancedBufferAttribute,
  InstancedMesh,
  Matrix4,
  MeshLambertMaterial,
} from 'three'
import { DEVICE_KINDS, type SceneBuilding, type SceneDevice } from '../api/scene-types.ts'
import { DeviceState, type LiveStore } from '../live/live-store.ts'
import { riskRamp, rampInto } from './color-ramp.ts'
import { deviceGeometry } from './device-geometry.ts'
import { deviceKindColors, stateTints } from './geometry/palette.ts'

export interface DeviceInstancesProps {
  /** Kind code (index into DEVICE_KINDS). */
  readonly kind: number
  readonly devices: readonly SceneDevice[]
  readonly buildings: readonly SceneBuilding[]
  readonly store: LiveStore
  readonly visible?: boolean
  /** Failure risk 0..1 per device index (NaN = unknown), or null without data. */
  readonly risk?: Float32Array | null
  /** Colour by risk instead of state. */
  readonly showRisk?: boolean
}

/** Picking data carried in `userData.pick` of each device mesh. */
export interface DevicePick {
  readonly type: 'device'
  /** Store index of each instance. */
  readonly devices: Int32Array
}

const scratch = new Matrix4()
const ELEVATOR = DEVICE_KINDS.indexOf('elevator')

/** One kind's instanced devices. */
export function DeviceInstances({
  kind,
  devices,
  buildings,
  store,
  visible = true,
  risk = null,
  showRisk = false,
}: DeviceInstancesProps) {
  const invalidate = useThree((s) => s.invalidate)
  const setup = useMemo(() => {
    const members: number[] = []
    for (let i = 0; i < store.count; i++) if (store.kind[i] === kind) members.push(i)
    const geometry = deviceGeometry(DEVICE_KINDS[kind]!)
    const material = new MeshLambertMaterial()
    const mesh = new InstancedMesh(geometry, material, Math.max(1, members.length))
    mesh.count = members.length
    mesh.instanceMatrix.setUsage(DynamicDrawUsage)
    const colors = new InstancedBufferAttribute(new Float32Array(Math.max(1, members.length) * 3), 3)
    colors.setUsage(DynamicDrawUsage)
    mesh.instanceColor = colors
    mesh.frustumCulled = false
    const floorHeight = new Float32Array(members.length)
    const byId = new Map(buildings.map((b) => [b.id, b.floorHeight]))
    members.forEach((device, slot) => {
      const d = devices[device]!
      floorHeight[slot] = d.buildingId ? (byId.get(d.buildingId) ?? 3) : 3
      scratch.makeTranslation(d.x, d.y, d.z)
      mesh.setMatrixAt(slot, scratch)
    })
    mesh.userData.pick = { type: 'device', devices: Int32Array.from(members) } satisfies DevicePick
    return { mesh, members: Int32Array.from(members), floorHeight, colors: colors.array as Float32Array }
  }, [kind, devices, buildings, store])

  useEffect(
    () => () => {
      setup.mesh.geometry.dispose()
      setup.mesh.material.dispose()
      setup.mesh.dispose()
    },
    [setup],
  )

  // The visitor is created once per setup: draining calls it without allocating.
  const visit = useMemo(() => {
    const { mesh, floorHeight, colors } = setup
    const base = deviceKindColors[kind]!
    return (device: number, slot: number): void => {
      writeColor(store, device, base, showRisk ? risk : null, colors, slot * 3)
      if (kind === ELEVATOR && store.updatedAt[device]! > 0) {
        const d = devices[device]!
        scratch.makeTranslation(d.x, d.y, store.value[device]! * floorHeight[slot]!)
        mesh.setMatrixAt(slot, scratch)
        mesh.instanceMatrix.needsUpdate = true
      }
    }
  }, [setup, kind, store, devices, risk, showRisk])

  // Full repaint when the colouring mode or the risk data change.
  useEffect(() => {
    const { members, colors, mesh } = setup
    const base = deviceKindColors[kind]!
    for (let slot = 0; slot < members.length; slot++) {
      writeColor(store, members[slot]!, base, showRisk ? risk : null, colors, slot * 3)
    }
    if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true
    invalidate()
  }, [setup, kind, store, risk, showRisk, invalidate])

  useFrame(() => {
    if (store.drainDirty(kind, visit) > 0 && setup.mesh.instanceColor)
      setup.mesh.instanceColor.needsUpdate = true
  })

  return <primitive object={setup.mesh} visible={visible && setup.members.length > 0} />
}

function writeColor(
  store: LiveStore,
  device: number,
  base: readonly [number, number, number],
  risk: Float32Array | null,
  out: Float32Array,
  offset: number,
): void {
  const value = risk ? risk[device]! : Number.NaN
  if (risk && Number.isFinite(value)) {
    rampInto(riskRamp, value, out, offset)
    return
  }
  const state = store.state[device]!
  const [mix, r, g, b] = stateTints[state] ?? stateTints[DeviceState.unknown]!
  out[offset] = base[0] + (r - base[0]) * mix
  out[offset + 1] = base[1] + (g - base[1]) * mix
  out[offset + 2] = base[2] + (b - base[2]) * mix
}

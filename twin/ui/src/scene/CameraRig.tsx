/**
 * The only camera controller: three.js MapControls (drag pans, right-drag rotates, wheel zooms) on the WebGL
 * canvas, z up. deck.gl draws with this camera's matrices and takes no input, so the two never fight. After
 * `idleMs` without input the auto-tour glides between waypoints; a fly-to request (a new alarm, a selection)
 * takes precedence. The canvas renders on demand: the rig asks for frames while the camera moves (input, damping,
 * a glide) and wakes it when a fly-to is requested or the tour's next move is due. All vectors are module-level
 * scratch: nothing is allocated per frame.
 */
import { useFrame, useThree } from '@react-three/fiber'
import { useEffect, useMemo, useRef } from 'react'
import { Vector3, type PerspectiveCamera } from 'three'
import { MapControls } from 'three/examples/jsm/controls/MapControls.js'
import type { SceneBridge } from './bridge.ts'

export interface CameraRigProps {
  readonly bridge: SceneBridge
  /** Site bounds: minX, minY, maxX, maxY (metres). */
  readonly bounds: readonly [number, number, number, number]
  /** Tour waypoints (x, y pairs), e.g. building centres. */
  readonly waypoints: Float32Array
  /** Run the auto-tour when idle. */
  readonly tour?: boolean
  /** Idle time before the tour starts, ms. */
  readonly idleMs?: number
  /** Time spent at each waypoint, ms. */
  readonly dwellMs?: number
  /** How long a fly-to holds the camera before the tour resumes, ms. */
  readonly holdMs?: number
}

const goalTarget = new Vector3()
const goalOffset = new Vector3()
const offset = new Vector3()

/** MapControls + auto-tour. */
export function CameraRig({
  bridge,
  bounds,
  waypoints,
  tour = true,
  idleMs = 20_000,
  dwellMs = 12_000,
  holdMs = 15_000,
}: CameraRigProps) {
  const camera = useThree((s) => s.camera) as PerspectiveCamera
  const domElement = useThree((s) => s.gl.domElement)
  const invalidate = useThree((s) => s.invalidate)
  const state = useRef({ waypoint: 0, nextAt: 0, flyVersion: 0, holdUntil: 0, gliding: false })

  const controls = useMemo(() => {
    const [minX, minY, maxX, maxY] = bounds
    const cx = (minX + maxX) / 2
    const cy = (minY + maxY) / 2
    const span = Math.max(maxX - minX, maxY - minY)
    camera.up.set(0, 0, 1)
    camera.near = 1
    camera.far = span * 8
    camera.position.set(cx, cy - span * 1.05, span * 0.95)
    camera.updateProjectionMatrix()
    const c = new MapControls(camera, domElement)
    c.target.set(cx, cy, 0)
    c.enableDamping = true
    c.dampingFactor = 0.12
    c.maxPolarAngle = 1.3
    c.minDistance = 20
    c.maxDistance = span * 3
    c.update()
    return c
  }, [camera, domElement, bounds])

  useEffect(() => {
    const onInput = () => {
      bridge.lastInputAt = performance.now()
      state.current.gliding = false
    }
    const onChange = () => invalidate()
    controls.addEventListener('start', onInput)
    controls.addEventListener('change', onChange)
    domElement.addEventListener('wheel', onInput, { passive: true })
    bridge.wake = onChange
    return () => {
      bridge.wake = null
      controls.removeEventListener('change', onChange)
      controls.removeEventListener('start', onInput)
      domElement.removeEventListener('wheel', onInput)
      controls.dispose()
    }
  }, [controls, domElement, bridge])

  // The tour's next move is due while no frame is being drawn: check twice a second.
  useEffect(() => {
    if (!tour) return
    const timer = setInterval(() => {
      const s = state.current
      const now = performance.now()
      if (now - bridge.lastInputAt > idleMs && now > s.holdUntil && now > s.nextAt) invalidate()
    }, 500)
    return () => clearInterval(timer)
  }, [tour, bridge, idleMs, invalidate])

  useFrame((_, delta) => {
    const s = state.current
    const now = performance.now()
    if (bridge.flyTo.version !== s.flyVersion) {
      s.flyVersion = bridge.flyTo.version
      setGoal(bridge.flyTo.x, bridge.flyTo.y, bridge.flyTo.z, bridge.flyTo.distance)
      s.holdUntil = now + holdMs
      s.gliding = true
    } else if (tour && now - bridge.lastInputAt > idleMs && now > s.holdUntil && now > s.nextAt) {
      const count = waypoints.length / 2
      if (count > 0) {
        s.waypoint = (s.waypoint + 1) % count
        setGoal(waypoints[s.waypoint * 2]!, waypoints[s.waypoint * 2 + 1]!, 0, 160)
        s.gliding = true
      }
      s.nextAt = now + dwellMs
    }
    if (s.gliding) {
      // delta is capped so that the first frame after an idle spell does not jump (frames come on demand).
      const k = 1 - Math.exp(-Math.min(delta, 0.25) * 1.2)
      controls.target.lerp(goalTarget, k)
      offset.copy(camera.position).sub(controls.target).lerp(goalOffset, k)
      camera.position.copy(controls.target).add(offset)
      if (controls.target.distanceToSquared(goalTarget) < 0.25) s.gliding = false
    }
    // update() is true while damping still moves the camera.
    if (controls.update(delta) || s.gliding) invalidate()
  })

  return null
}

/** The camera looks at (x, y, z) from the south-south-west, `distance` metres away, about 50° down. */
function setGoal(x: number, y: number, z: number, distance: number): void {
  goalTarget.set(x, y, z)
  goalOffset.set(-0.25 * distance, -0.6 * distance, 0.76 * distance)
}

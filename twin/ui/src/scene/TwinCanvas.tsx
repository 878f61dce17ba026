/**
 * The 3D twin: an r3f canvas (z up, metres) with the ground, the buildings, gates, every device kind as one
 * instanced mesh, the alarm markers, the camera rig and click picking. What is drawn follows the layer toggles.
 *
 * It renders on demand: a frame is drawn when something drawn changed (live data, alarms, toggles, the camera
 * moving, pulsing alarm markers), not 60 times a second over a still scene. A wall screen idles most of the time,
 * and the main thread stays free for the live stream and the panels.
 */
import { Canvas, useThree } from '@react-three/fiber'
import { memo, useEffect, useMemo, type ReactNode } from 'react'
import { DEVICE_KINDS, type Scene } from '../api/scene-types.ts'
import type { LayerState } from '../layers/layers.ts'
import type { LiveStore } from '../live/live-store.ts'
import { AlarmMarkers } from './AlarmMarkers.tsx'
import type { SceneBridge } from './bridge.ts'
import { Buildings } from './Buildings.tsx'
import { CameraRig } from './CameraRig.tsx'
import { DeviceInstances } from './DeviceInstances.tsx'
import { FrameProbe } from './FrameProbe.tsx'
import { Gates } from './Gates.tsx'
import { polygonBounds } from './geometry/bounds.ts'
import { Ground } from './Ground.tsx'
import { Picker, type Picked } from './Picker.tsx'

export interface TwinCanvasProps {
  readonly scene: Scene
  readonly store: LiveStore
  readonly bridge: SceneBridge
  readonly layers: LayerState
  /** Risk 0..1 per device index (NaN unknown), or null without data. */
  readonly risk: Float32Array | null
  /** Parking occupancy 0..1 by lot id, or null without data. */
  readonly occupancy: ReadonlyMap<string, number> | null
  readonly selection: Picked
  readonly onPick: (picked: Picked) => void
  /** Run the auto-tour when idle. */
  readonly tour?: boolean
  /** Clicks on the ground plane, in metres (the planner places gates and lots with it). */
  readonly onGround?: (x: number, y: number) => void
  /** Extra scene content drawn in the same canvas (the planner's changes and heatmap replay). */
  readonly children?: ReactNode
}

const kindCodes = DEVICE_KINDS.map((_, i) => i)

let software: boolean | null = null

/**
 * Whether WebGL runs in software (SwiftShader, llvmpipe): there multisampling multiplies the cost of every frame,
 * and a frame blocks the main thread the live stream and the panels need, so the canvas goes without it.
 */
function softwareWebGl(): boolean {
  if (software !== null) return software
  software = false
  try {
    const gl = document.createElement('canvas').getContext('webgl')
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info')
      const renderer: unknown = gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)
      software = /swiftshader|llvmpipe|softpipe|software/i.test(String(renderer))
      gl.getExtension('WEBGL_lose_context')?.loseContext()
    }
  } catch {
    // No WebGL at all: the canvas reports it itself.
  }
  return software
}

/** Asks for a frame whenever the store on screen changes. */
function StoreInvalidator({ store }: { readonly store: LiveStore }) {
  const invalidate = useThree((s) => s.invalidate)
  useEffect(() => {
    store.onChange = () => invalidate()
    invalidate()
    return () => {
      store.onChange = null
    }
  }, [store, invalidate])
  return null
}

/** The WebGL canvas with the whole scene. */
function TwinCanvasImpl({
  scene,
  store,
  bridge,
  layers,
  risk,
  occupancy,
  selection,
  onPick,
  tour = true,
  onGround,
  children,
}: TwinCanvasProps) {
  const bounds = useMemo(() => polygonBounds(scene.community.boundary), [scene])
  const waypoints = useMemo(() => {
    const tall = scene.buildings.filter(
      (b) => b.kind === 'tower' || b.kind === 'pump_room' || b.kind === 'clubhouse',
    )
    const points = new Float32Array(tall.length * 2)
    tall.forEach((b, i) => {
      points[i * 2] = b.footprint.reduce((s, p) => s + p[0], 0) / b.footprint.length
      points[i * 2 + 1] = b.footprint.reduce((s, p) => s + p[1], 0) / b.footprint.length
    })
    return points
  }, [scene])
  const selectedBuilding = selection?.type === 'building' ? selection.index : -1

  return (
    <Canvas
      className="twin-canvas"
      dpr={[1, 2]}
      gl={{ antialias: !softwareWebGl(), powerPreference: 'high-performance', preserveDrawingBuffer: false }}
      camera={{ fov: 40, near: 1, far: 5000 }}
      flat
      frameloop="demand"
    >
      <StoreInvalidator store={store} />
      <color attach="background" args={['#050b14']} />
      <ambientLight intensity={1.1} />
      <directionalLight position={[-200, -300, 400]} intensity={1.6} />
      <Ground scene={scene} parking={layers.parking} occupancy={occupancy} />
      <Buildings
        buildings={scene.buildings}
        store={store}
        energy={layers.energy}
        selected={selectedBuilding}
      />
      <Gates gates={scene.gates} />
      {kindCodes.map((kind) => (
        <DeviceInstances
          key={kind}
          kind={kind}
          devices={scene.devices}
          buildings={scene.buildings}
          store={store}
          visible={layers.devices}
          risk={risk}
          showRisk={layers.risk}
        />
      ))}
      <AlarmMarkers store={store} devices={scene.devices} visible={layers.alarms} />
      <CameraRig bridge={bridge} bounds={bounds} waypoints={waypoints} tour={tour} />
      {children}
      <Picker onPick={onPick} onGround={onGround} />
      <FrameProbe bridge={bridge} />
    </Canvas>
  )
}

/** The WebGL canvas with the whole scene (memoised: the once-a-second panel refresh does not touch it). */
export const TwinCanvas = memo(TwinCanvasImpl)

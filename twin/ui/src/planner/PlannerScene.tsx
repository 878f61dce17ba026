/**
 * The planner's view: the wall screen's 3D twin (the same TwinCanvas with its ground, buildings, gates and camera
 * rig, without the live layers and the auto-tour) plus the pending changes and the replayed heatmap drawn in it.
 * Clicks on the ground come back in metres; `capture` renders a frame and returns it as a PNG data URL (the
 * canvas keeps no drawing buffer, so the frame is drawn and read in the same task). A read-only probe on
 * `window.__planner` gives the end-to-end test the camera and the layout (boundary, gates: no personal data), to
 * project world points to the screen and click there.
 */
import { useThree } from '@react-three/fiber'
import { useEffect, useMemo, type RefObject } from 'react'
import type { Scene } from '../api/scene-types.ts'
import type { LayerState } from '../layers/layers.ts'
import { LiveStore } from '../live/live-store.ts'
import { SceneBridge } from '../scene/bridge.ts'
import { TwinCanvas } from '../scene/TwinCanvas.tsx'
import type { CompactHeatmap, PlannerChange } from '../../../sim/index.ts'
import { ChangeMarkers } from './ChangeMarkers.tsx'
import { HeatmapGround } from './HeatmapGround.tsx'

declare global {
  interface Window {
    /** Read-only probe for the end-to-end test: the planner's camera and the layout it edits. */
    __planner?: {
      readonly bridge: SceneBridge
      readonly boundary: Scene['community']['boundary']
      readonly gates: Scene['gates']
    }
  }
}

export interface PlannerSceneProps {
  readonly scene: Scene
  readonly changes: readonly PlannerChange[]
  /** The heatmap to replay, and which frame. */
  readonly heatmap: CompactHeatmap | null
  readonly frame: number
  /** A click on the ground, in metres. */
  readonly onGround: (x: number, y: number) => void
  /** Filled with a function that returns the view as a PNG data URL. */
  readonly capture: RefObject<(() => string) | null>
}

/** The planner works on the plain layout: no live device layers. */
const PLANNER_LAYERS: LayerState = {
  devices: false,
  labels: false,
  crowd: false,
  energy: false,
  alarms: false,
  risk: false,
  parking: false,
}

const ignorePick = () => undefined

/** Fills `capture` with render-then-read of the canvas. */
function Capture({ capture }: { readonly capture: RefObject<(() => string) | null> }) {
  const { gl, scene, camera } = useThree()
  useEffect(() => {
    capture.current = () => {
      gl.render(scene, camera)
      return gl.domElement.toDataURL('image/png')
    }
    return () => {
      capture.current = null
    }
  }, [capture, gl, scene, camera])
  return null
}

/** The 3D planner view. */
export function PlannerScene({ scene, changes, heatmap, frame, onGround, capture }: PlannerSceneProps) {
  const store = useMemo(() => new LiveStore(scene.devices, scene.buildings), [scene])
  const bridge = useMemo(() => new SceneBridge(), [])
  useEffect(() => {
    window.__planner = { bridge, boundary: scene.community.boundary, gates: scene.gates }
    return () => {
      delete window.__planner
    }
  }, [bridge, scene])
  return (
    <div className="planner-view" data-testid="planner-view">
      <TwinCanvas
        scene={scene}
        store={store}
        bridge={bridge}
        layers={PLANNER_LAYERS}
        risk={null}
        occupancy={null}
        selection={null}
        onPick={ignorePick}
        tour={false}
        onGround={onGround}
      >
        <ChangeMarkers gates={scene.gates} changes={changes} />
        <HeatmapGround heatmap={heatmap} frame={frame} />
        <Capture capture={capture} />
      </TwinCanvas>
    </div>
  )
}

/**
 * Counts rendered frames, records when the first frame with the scene was drawn, and publishes the camera to
 * the deck.gl overlay (only when it moved). Runs after every render via r3f's after-effect hook, so the
 * matrices it publishes are exactly the ones three.js just drew with.
 */
import { addAfterEffect, useThree } from '@react-three/fiber'
import { useEffect } from 'react'
import type { SceneBridge } from './bridge.ts'

export interface FrameProbeProps {
  readonly bridge: SceneBridge
}

/** Frame counter and camera publisher. */
export function FrameProbe({ bridge }: FrameProbeProps) {
  const camera = useThree((s) => s.camera)
  useEffect(
    () =>
      addAfterEffect(() => {
        bridge.frames++
        if (bridge.firstSceneFrameMs === 0) bridge.firstSceneFrameMs = performance.now()
        bridge.publishCamera(
          camera.matrixWorldInverse.elements,
          camera.projectionMatrix.elements,
          groundDistance(camera.matrixWorld.elements),
        )
      }),
    [bridge, camera],
  )
  return null
}

/**
 * Distance along the view axis from the camera to the ground plane (z = 0), read from the camera's world
 * matrix (column-major: column 2 is the camera's +z, it looks along -z; column 3 is its position).
 */
function groundDistance(world: ArrayLike<number>): number {
  const forwardZ = -world[10]!
  const height = world[14]!
  if (forwardZ >= -1e-3) return Math.max(1, height)
  return Math.max(1, height / -forwardZ)
}

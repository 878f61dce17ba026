/**
 * The plan on a 2D canvas: the community seen from above with the pending layout changes and, when a result is
 * shown, one frame of its density heatmap. Clicks report world coordinates (metres). The canvas is what the
 * report's PNG exports (`toDataURL`), so it draws everything the planner sees.
 */
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef } from 'react'
import type { Scene } from '../api/scene-types.ts'
import type { CompactHeatmap, PlannerChange } from '../../../sim/index.ts'
import { drawHeatmap, drawPlan, fitView, toWorld } from './plan-view.ts'

export interface PlanCanvasProps {
  readonly scene: Scene
  readonly changes: readonly PlannerChange[]
  /** The heatmap to overlay, and which frame. */
  readonly heatmap: CompactHeatmap | null
  readonly frame: number
  /** A click on the plan, in metres. */
  readonly onPick: (x: number, y: number) => void
  readonly width?: number
  readonly height?: number
}

/** What the parent may ask of the canvas. */
export interface PlanCanvasHandle {
  /** The drawing as a PNG data URL. */
  png(): string
}

/** The plan canvas. */
export const PlanCanvas = forwardRef<PlanCanvasHandle, PlanCanvasProps>(function PlanCanvas(
  { scene, changes, heatmap, frame, onPick, width = 960, height = 680 },
  ref,
) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const view = useMemo(() => fitView(scene.community.boundary, width, height), [scene, width, height])
  useImperativeHandle(ref, () => ({ png: () => canvas.current?.toDataURL('image/png') ?? '' }), [])
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d')
    if (!ctx) return
    drawPlan(ctx, view, scene, changes)
    if (heatmap) drawHeatmap(ctx, view, heatmap, frame)
  }, [view, scene, changes, heatmap, frame])
  return (
    <canvas
      ref={canvas}
      className="plan-canvas"
      data-testid="plan-canvas"
      width={width}
      height={height}
      onClick={(e) => {
        const box = e.currentTarget.getBoundingClientRect()
        const sx = width / box.width
        const sy = height / box.height
        const [x, y] = toWorld(view, (e.clientX - box.left) * sx, (e.clientY - box.top) * sy)
        onPick(x, y)
      }}
    />
  )
})

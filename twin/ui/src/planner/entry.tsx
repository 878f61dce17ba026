/**
 * The shell's way into planner mode: the `#planner` route (a hook), the small link the wall screen shows, and
 * the mode itself as a lazy component, so the wall screen's initial download carries only this file.
 */
import { lazy, Suspense, useSyncExternalStore } from 'react'
import type { Scene } from '../api/scene-types.ts'

const PlannerMode = lazy(() => import('./PlannerMode.tsx'))

const subscribe = (notify: () => void): (() => void) => {
  addEventListener('hashchange', notify)
  return () => removeEventListener('hashchange', notify)
}

/** Whether the page is in planner mode (`#planner`). */
export function usePlannerRoute(): boolean {
  return useSyncExternalStore(subscribe, () => location.hash === '#planner')
}

/** The link into planner mode, in a corner of the wall screen. */
export function PlannerLink() {
  return (
    <a
      href="#planner"
      className="planner-entry"
      style={{ position: 'fixed', left: 8, bottom: 8, opacity: 0.6 }}
    >
      规划 Planner
    </a>
  )
}

/** Planner mode, loaded on first use. */
export function LazyPlanner({ scene }: { readonly scene: Scene }) {
  return (
    <Suspense fallback={<p className="splash">…</p>}>
      <PlannerMode scene={scene} />
    </Suspense>
  )
}

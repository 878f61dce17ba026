/**
 * The community's scenarios and the run of a new one: create → run → poll its state (progress) until done or
 * failed, then list again. One poll at a time; everything stops when the component unmounts.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { StudyInput } from '../../../sim/index.ts'
import { plannerApi, type ScenarioView } from './planner-api.ts'

const POLL_MS = 500

export interface ScenarioRuns {
  readonly scenarios: readonly ScenarioView[]
  /** The scenario being run, with its latest state. */
  readonly current: ScenarioView | null
  readonly error: string | null
  /** Creates and runs a scenario; resolves with its final state (null if it could not start). */
  readonly start: (name: string, study: StudyInput) => Promise<ScenarioView | null>
}

/** Scenarios of `communityId`. */
export function useScenarios(communityId: string): ScenarioRuns {
  const [scenarios, setScenarios] = useState<ScenarioView[]>([])
  const [current, setCurrent] = useState<ScenarioView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const alive = useRef(true)

  const refresh = useCallback(async () => {
    try {
      const { items } = await plannerApi.list(communityId)
      if (alive.current) setScenarios(items)
    } catch (e) {
      if (alive.current) setError(e instanceof Error ? e.message : String(e))
    }
  }, [communityId])

  useEffect(() => {
    alive.current = true
    void refresh()
    return () => {
      alive.current = false
    }
  }, [refresh])

  const start = useCallback(
    async (name: string, study: StudyInput): Promise<ScenarioView | null> => {
      setError(null)
      try {
        const created = await plannerApi.create(communityId, name, study)
        let state = await plannerApi.run(created.id)
        setCurrent(state)
        while (alive.current && (state.status === 'queued' || state.status === 'running')) {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS))
          state = await plannerApi.get(created.id)
          if (alive.current) setCurrent(state)
        }
        if (state.status === 'failed') setError(state.error)
        await refresh()
        return state
      } catch (e) {
        if (alive.current) setError(e instanceof Error ? e.message : String(e))
        return null
      }
    },
    [communityId, refresh],
  )

  return { scenarios, current, error, start }
}

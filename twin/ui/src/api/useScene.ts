/**
 * Loads the community list and the scene of the chosen community (`?community=` or the first one), retrying
 * with backoff when the server is not reachable yet (a wall screen that boots before the server), and asking
 * for a sign-in when the server requires one.
 */
import { useEffect, useState } from 'react'
import { endpoints } from './endpoints.ts'
import { HttpError, getJson } from './http.ts'
import type { CommunitySummary, Scene } from './scene-types.ts'

export type SceneState =
  | { readonly status: 'loading' | 'retrying' | 'empty' | 'sign-in' }
  | { readonly status: 'ready'; readonly scene: Scene }

/** The scene, once loaded; `reload` starts again (after a sign-in). */
export function useScene(): { readonly state: SceneState; readonly reload: () => void } {
  const [state, setState] = useState<SceneState>({ status: 'loading' })
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    const abort = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    let attempt = 0
    const load = async (): Promise<void> => {
      try {
        const { communities } = await getJson<{ communities: CommunitySummary[] }>(
          endpoints.communities,
          abort.signal,
        )
        const wanted = new URLSearchParams(location.search).get('community')
        const community = communities.find((c) => c.id === wanted) ?? communities[0]
        if (!community) {
          setState({ status: 'empty' })
          return
        }
        const scene = await getJson<Scene>(endpoints.scene(community.id), abort.signal)
        setState({ status: 'ready', scene })
      } catch (error) {
        if (abort.signal.aborted) return
        if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
          setState({ status: 'sign-in' })
          return
        }
        setState({ status: 'retrying' })
        timer = setTimeout(() => void load(), Math.min(30_000, 1_000 * 2 ** attempt++))
      }
    }
    void load()
    return () => {
      abort.abort()
      clearTimeout(timer)
    }
  }, [attempt])
  return { state, reload: () => setAttempt((n) => n + 1) }
}

/**
 * Polls a JSON endpoint. A missing endpoint (404) is an expected state while other parts of the platform are
 * being built: it reports `missing` and checks again at `missingRetryMs`, so a feature deployed later appears
 * on a wall screen that never reloads. Errors never throw into render.
 */
import { useEffect, useState } from 'react'
import { HttpError, getJson } from './http.ts'

export type EndpointStatus = 'loading' | 'ok' | 'missing' | 'error'

export interface EndpointState<T> {
  readonly status: EndpointStatus
  readonly data: T | null
  /** When the data was fetched, epoch ms (0 = never). */
  readonly fetchedAt: number
}

export interface UseEndpointOptions {
  /** Refresh period while the endpoint answers, ms. */
  readonly refreshMs?: number
  /** Retry period while it is missing or failing, ms. */
  readonly missingRetryMs?: number
}

/** The endpoint's latest data and status; `url` null disables polling. */
export function useEndpoint<T>(url: string | null, options: UseEndpointOptions = {}): EndpointState<T> {
  const { refreshMs = 30_000, missingRetryMs = 60_000 } = options
  const [state, setState] = useState<EndpointState<T>>({ status: 'loading', data: null, fetchedAt: 0 })
  useEffect(() => {
    if (!url) return
    const abort = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async (): Promise<void> => {
      let next = refreshMs
      try {
        const data = await getJson<T>(url, abort.signal)
        setState({ status: 'ok', data, fetchedAt: Date.now() })
      } catch (error) {
        if (abort.signal.aborted) return
        const missing = error instanceof HttpError && error.missing
        setState((s) => ({ ...s, status: missing ? 'missing' : 'error' }))
        next = missingRetryMs
      }
      if (!abort.signal.aborted) timer = setTimeout(() => void poll(), next)
    }
    void poll()
    return () => {
      abort.abort()
      clearTimeout(timer)
    }
  }, [url, refreshMs, missingRetryMs])
  return state
}

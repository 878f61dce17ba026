/**
 * Runs the live stream for a community into a LiveStore for as long as the component is mounted, and returns
 * the connection state (the only thing about the stream that re-renders React). `?live=URL` on the page URL
 * points it at another stream (tests, benchmarks), which is sent no credentials when on another origin.
 */
import { useEffect, useState } from 'react'
import { endpoints } from '../api/endpoints.ts'
import { session } from '../auth/session.ts'
import { LiveClient, type LiveState } from './live-client.ts'
import type { LiveStore } from './live-store.ts'

/** The stream's connection state. */
export function useLiveStream(store: LiveStore, communityId: string): LiveState {
  const [state, setState] = useState<LiveState>('connecting')
  useEffect(() => {
    const override = new URLSearchParams(location.search).get('live')
    const url = override ?? endpoints.live(communityId)
    // The Bearer token goes to our own server only, never to another origin named in the page URL.
    const ours = new URL(url, location.href).origin === location.origin
    const client = new LiveClient({
      url,
      onEvent: store.handle,
      headers: ours ? () => session.headers() : () => ({}),
      onUnauthorized: () => session.refresh(),
      onState: (next) => setState(next),
    })
    client.start()
    return () => client.stop()
  }, [store, communityId])
  return state
}

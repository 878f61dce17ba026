/**
 * Keeps a LiveStore in step with the server's state beside the live stream: the device-state snapshot (the
 * telemetry values, which the stream does not carry) polled every `statesEveryMs`, and the alarm list, fetched at
 * start, every minute, and at once when the stream says it missed events (`reset`). Nothing here re-renders React.
 */
import { useEffect } from 'react'
import { endpoints, type AlarmsResponse, type DeviceStatesResponse } from '../api/endpoints.ts'
import { getJson } from '../api/http.ts'
import { Poller } from '../api/poller.ts'
import { alarmFromServer, type LiveStore } from './live-store.ts'

export interface ServerStateOptions {
  /** Device-state poll period, ms. */
  readonly statesEveryMs?: number
  /** Alarm list refetch period, ms. */
  readonly alarmsEveryMs?: number
}

/** Polls device states and alarms into `store` while mounted. */
export function useServerState(
  store: LiveStore,
  communityId: string,
  options: ServerStateOptions = {},
): void {
  const { statesEveryMs = 2_000, alarmsEveryMs = 60_000 } = options
  useEffect(() => {
    const states = new Poller(
      async (signal) => {
        const body = await getJson<DeviceStatesResponse>(endpoints.deviceStates(communityId), signal)
        store.applyDeviceStates(body.devices)
      },
      { everyMs: statesEveryMs },
    ).start()
    const alarms = new Poller(
      async (signal) => {
        const since = performance.now()
        const body = await getJson<AlarmsResponse>(endpoints.alarms(communityId), signal)
        store.replaceAlarms(body.alarms.map(alarmFromServer), since)
      },
      { everyMs: alarmsEveryMs },
    ).start()
    store.onReset = () => {
      states.now()
      alarms.now()
    }
    return () => {
      store.onReset = null
      states.stop()
      alarms.stop()
    }
  }, [store, communityId, statesEveryMs, alarmsEveryMs])
}

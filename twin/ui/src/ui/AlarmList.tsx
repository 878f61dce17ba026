/**
 * Alarms needing attention (open, acknowledged, in progress), newest first, from the live store (fed by the stream
 * and the alarms route). Clicking an alarm selects its device; "acknowledge" posts to the server (the wall-screen
 * account may not: the answer is shown inline) and the stream brings the new state.
 */
import { useState, useSyncExternalStore } from 'react'
import { endpoints, type ServerAlarm } from '../api/endpoints.ts'
import { HttpError, postJson } from '../api/http.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import type { LiveStore } from '../live/live-store.ts'

export interface AlarmListProps {
  readonly store: LiveStore
  /** Called with the device index when an alarm is clicked. */
  readonly onSelectDevice: (device: number) => void
  /** Most alarms listed. */
  readonly limit?: number
  /** Offer "acknowledge" (not while replaying the past). */
  readonly actions?: boolean
}

/** The alarm list. */
export function AlarmList({ store, onSelectDevice, limit = 12, actions = true }: AlarmListProps) {
  const { t, lang } = useI18n()
  const alarms = useSyncExternalStore(store.subscribe, store.getAlarms)
  const [failed, setFailed] = useState<ReadonlyMap<string, 'forbidden' | 'failed'>>(new Map())

  const acknowledge = async (id: string) => {
    try {
      const { alarm } = await postJson<{ alarm: ServerAlarm }>(endpoints.acknowledge(id), {})
      const known = store.alarm(id)
      if (known) store.upsertAlarm({ ...known, state: alarm.state === 'open' ? 'open' : 'acknowledged' })
    } catch (error) {
      const reason = error instanceof HttpError && error.status === 403 ? 'forbidden' : 'failed'
      setFailed((s) => new Map(s).set(id, reason))
    }
  }

  return (
    <section className="panel alarm-list" aria-label={t('alarms')} data-testid="alarm-list">
      <h2>
        {t('alarms')} <span className="count">{alarms.filter((a) => a.state === 'open').length}</span>
      </h2>
      {alarms.length === 0 ? (
        <p className="muted">{t('noAlarms')}</p>
      ) : (
        <ul>
          {alarms.slice(0, limit).map((a) => (
            <li key={a.id} className={`alarm severity-${a.severity} state-${a.state}`} data-alarm={a.id}>
              <button
                type="button"
                className="alarm-body"
                onClick={() => onSelectDevice(store.indexOf(a.deviceId))}
              >
                <time>{new Date(a.ts).toLocaleTimeString(lang, { hour12: false })}</time>
                <span className="title">{a.title || a.deviceId}</span>
                <span className="device">{a.deviceId}</span>
              </button>
              {a.state !== 'open' ? (
                <span className="acked">{t('acknowledged')}</span>
              ) : failed.get(a.id) === 'forbidden' ? (
                <span className="ack-denied">{t('ackForbidden')}</span>
              ) : (
                actions && (
                  <button type="button" className="ack" onClick={() => void acknowledge(a.id)}>
                    {failed.has(a.id) ? t('ackFailed') : t('acknowledge')}
                  </button>
                )
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

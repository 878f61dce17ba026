/** The top bar: title and community, clock, live connection state, data freshness, tour and language switches. */
import type { ReactNode } from 'react'
import type { CommunitySummary } from '../api/scene-types.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import type { LiveState } from '../live/live-client.ts'
import type { LiveStore } from '../live/live-store.ts'
import { useTick } from './useTick.ts'

export interface StatusBarProps {
  readonly community: CommunitySummary
  readonly store: LiveStore
  readonly live: LiveState
  readonly tour: boolean
  readonly onTour: (on: boolean) => void
  /** Mode switches of the shell (the maintenance view), shown before the tour switch. */
  readonly children?: ReactNode
}

/** The status bar. */
export function StatusBar({ community, store, live, tour, onTour, children }: StatusBarProps) {
  const { lang, setLang, t } = useI18n()
  const now = useTick(1000)
  const last = store.stats.lastReceivedAt
  const age = last > 0 ? Math.max(0, Math.round((now - last) / 1000)) : -1
  const stale = age < 0 || age > 60
  const clock = new Date(now).toLocaleString(lang, { hour12: false })
  return (
    <header className="status-bar">
      <h1>
        {t('title')} <span className="community">· {community.name}</span>
      </h1>
      <div className="status-items">
        <span className={`live live-${live}`} data-testid="live-state">
          ● {t('live')}: {t(`live.${live}`)}
        </span>
        <span className={stale ? 'freshness stale' : 'freshness'} data-testid="freshness">
          {t('freshness')}: {age < 0 ? t('never') : `${age} ${t('secondsAgo')}`}
        </span>
        <time className="clock" data-testid="clock">
          {clock}
        </time>
        {children}
        <label className="switch">
          <input type="checkbox" checked={tour} onChange={(e) => onTour(e.target.checked)} /> {t('tour')}
        </label>
        <button type="button" className="lang" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
          {t('language')}
        </button>
      </div>
    </header>
  )
}

/**
 * KPI panels from the analytics routes (energy trend, complaint hotspots, fee collection, work-order SLA,
 * elevator availability) and device health, the share of reporting devices that are not offline, which the
 * screen knows itself from the live store. Each figure shows only when present: nothing is shown as real that
 * is not.
 */
import type { KpiFigures } from '../api/kpi-figures.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { DeviceState, type LiveStore } from '../live/live-store.ts'
import { useTick } from './useTick.ts'

export interface KpiPanelProps {
  readonly kpis: KpiFigures
  readonly store: LiveStore
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`
}

/** Share of devices that reported and are not offline, or null when none reported yet. */
function liveHealth(store: LiveStore): number | null {
  let reported = 0
  let online = 0
  for (let i = 0; i < store.count; i++) {
    if (store.updatedAt[i] === 0) continue
    reported++
    if (store.state[i] !== DeviceState.offline) online++
  }
  return reported === 0 ? null : online / reported
}

/** The KPI panels. */
export function KpiPanel({ kpis, store }: KpiPanelProps) {
  const { t } = useI18n()
  useTick(5000)
  const health = liveHealth(store)
  const trend = kpis.energyTrend ?? []
  const max = trend.reduce((m, p) => Math.max(m, p.kwh), 0)
  const hasAny =
    trend.length > 0 ||
    (kpis.complaintHotspots?.length ?? 0) > 0 ||
    kpis.feeCollectionRate !== undefined ||
    kpis.workOrderSla !== undefined ||
    kpis.elevatorAvailability !== undefined ||
    health !== null
  if (!hasAny) return null
  return (
    <section className="panel kpi-panel" aria-label={t('kpis')} data-testid="kpi-panel">
      <h2>{t('kpis')}</h2>
      {trend.length > 0 && (
        <figure className="kpi">
          <figcaption>{t('kpi.energyTrend')}</figcaption>
          <svg viewBox={`0 0 ${trend.length} 40`} preserveAspectRatio="none" className="spark">
            <polyline
              fill="none"
              stroke="currentColor"
              strokeWidth="1"
              vectorEffect="non-scaling-stroke"
              points={trend.map((p, i) => `${i},${40 - (max > 0 ? (p.kwh / max) * 38 : 0)}`).join(' ')}
            />
          </svg>
        </figure>
      )}
      {(kpis.complaintHotspots?.length ?? 0) > 0 && (
        <figure className="kpi">
          <figcaption>{t('kpi.complaintHotspots')}</figcaption>
          <ol>
            {kpis.complaintHotspots?.slice(0, 5).map((h) => (
              <li key={h.name}>
                {h.name} <b>{h.count}</b>
              </li>
            ))}
          </ol>
        </figure>
      )}
      {kpis.feeCollectionRate !== undefined && (
        <div className="kpi figure">
          <span>{t('kpi.feeCollection')}</span>
          <b>{percent(kpis.feeCollectionRate)}</b>
        </div>
      )}
      {kpis.workOrderSla !== undefined && (
        <div className="kpi figure">
          <span>{t('kpi.workOrderSla')}</span>
          <b>{percent(kpis.workOrderSla)}</b>
        </div>
      )}
      {kpis.elevatorAvailability !== undefined && (
        <div className="kpi figure" data-kpi="elevator-availability">
          <span>{t('kpi.elevatorAvailability')}</span>
          <b>{percent(kpis.elevatorAvailability)}</b>
        </div>
      )}
      {health !== null && (
        <div className="kpi figure">
          <span>
            {t('kpi.deviceHealth')}
            <small> ({t('kpi.deviceHealthLive')})</small>
          </span>
          <b>{percent(health)}</b>
        </div>
      )}
    </section>
  )
}

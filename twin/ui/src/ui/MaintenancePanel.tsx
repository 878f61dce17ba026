/**
 * The maintenance view: predictive alerts of lifts and pumps, highest risk first, each with its evidence (the
 * features that drove the risk, their recent value against the device's normal range), then the risk of every
 * scored lift and pump. Selecting an alert or a device flies the camera to it. For accounts that may create work
 * orders (`workorder:create`) each alert has a one-click "create work order" that opens (or finds: the server is
 * idempotent) the alert's order and shows its reference; accounts that manage predictions (`prediction:manage`)
 * acknowledge an open alert ("being looked at") with one click.
 */
import { useMemo, useState } from 'react'
import {
  endpoints,
  type AlertEvidence,
  type AlertWorkOrderResponse,
  type PredictiveAlert,
  type PredictiveAlertsResponse,
  type RiskResponse,
} from '../api/endpoints.ts'
import { HttpError, postJson } from '../api/http.ts'
import { useEndpoint } from '../api/useEndpoint.ts'
import type { MessageKey } from '../i18n/dict.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import type { LiveStore } from '../live/live-store.ts'

export interface MaintenancePanelProps {
  readonly communityId: string
  /** Resolves device ids to indexes for the selection. */
  readonly store: LiveStore
  /** Called with the device index when an alert or a device is selected. */
  readonly onSelectDevice: (device: number) => void
  /** Offer the one-click work order (the account holds `workorder:create`). */
  readonly canCreateWorkOrder: boolean
  /** Offer acknowledging open alerts (the account holds `prediction:manage`). */
  readonly canAcknowledge?: boolean
  /** Most devices listed under the alerts. */
  readonly riskLimit?: number
}

const MINUTE = 60_000

const pct = (x: number) => `${Math.round(x * 100)}%`
const num = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2))

/** One evidence line: "label value unit (normal low–high)", marked when outside the normal range. */
function Evidence({ item }: { readonly item: AlertEvidence }) {
  const { t } = useI18n()
  const out =
    item.value !== null &&
    item.normal !== null &&
    (item.value > item.normal.high || item.value < item.normal.low)
  return (
    <li className={out ? 'evidence out' : 'evidence'} data-feature={item.feature}>
      <span className="label">{item.label}</span>{' '}
      <span className="value">
        {item.value === null ? '–' : num(item.value)} {item.unit}
      </span>
      {item.normal && (
        <span className="normal">
          {' '}
          ({t('maintenance.normal')} {num(item.normal.low)}–{num(item.normal.high)})
        </span>
      )}
      <span className="share"> {pct(item.share)}</span>
    </li>
  )
}

/** The maintenance panel. */
export function MaintenancePanel({
  communityId,
  store,
  onSelectDevice,
  canCreateWorkOrder,
  canAcknowledge = false,
  riskLimit = 16,
}: MaintenancePanelProps) {
  const { t } = useI18n()
  const alerts = useEndpoint<PredictiveAlertsResponse>(endpoints.predictiveAlerts(communityId), {
    refreshMs: MINUTE,
  })
  const risk = useEndpoint<RiskResponse>(endpoints.risk(communityId), { refreshMs: 5 * MINUTE })
  // Work orders opened from this screen, until the next poll carries them (or why it failed).
  const [orders, setOrders] = useState<ReadonlyMap<number, string>>(new Map())
  const [failed, setFailed] = useState<ReadonlyMap<number, 'forbidden' | 'failed'>>(new Map())
  const [busy, setBusy] = useState<number | null>(null)
  // Alerts acknowledged from this screen, until the next poll shows their state.
  const [acknowledged, setAcknowledged] = useState<ReadonlySet<number>>(new Set())

  const sorted = useMemo(
    () => [...(alerts.data?.items ?? [])].sort((a, b) => b.lastRisk - a.lastRisk || a.id - b.id),
    [alerts.data],
  )
  const alerted = useMemo(() => new Set(sorted.map((a) => a.deviceId)), [sorted])

  const createWorkOrder = async (alert: PredictiveAlert) => {
    setBusy(alert.id)
    try {
      const { workOrder } = await postJson<AlertWorkOrderResponse>(endpoints.alertWorkOrder(alert.id), {})
      setOrders((m) => new Map(m).set(alert.id, workOrder.ref))
    } catch (error) {
      const reason = error instanceof HttpError && error.status === 403 ? 'forbidden' : 'failed'
      setFailed((m) => new Map(m).set(alert.id, reason))
    } finally {
      setBusy(null)
    }
  }

  const acknowledge = async (alert: PredictiveAlert) => {
    setBusy(alert.id)
    try {
      await postJson(endpoints.alertAcknowledge(alert.id), {})
      setAcknowledged((set) => new Set(set).add(alert.id))
    } catch (error) {
      // 409: someone else acknowledged it meanwhile; the next poll shows its state.
      if (!(error instanceof HttpError && error.status === 409))
        setFailed((m) =>
          new Map(m).set(
            alert.id,
            error instanceof HttpError && error.status === 403 ? 'forbidden' : 'failed',
          ),
        )
    } finally {
      setBusy(null)
    }
  }

  const select = (deviceId: string) => onSelectDevice(store.indexOf(deviceId))

  return (
    <section className="panel maintenance" aria-label={t('maintenance')} data-testid="maintenance">
      <h2>
        {t('maintenance.alerts')} <span className="count">{sorted.length}</span>
      </h2>
      {sorted.length === 0 ? (
        <p className="muted">{alerts.status === 'ok' ? t('maintenance.noAlerts') : t('noData')}</p>
      ) : (
        <ul className="alerts">
          {sorted.map((a) => {
            const ref = a.workOrderRef ?? orders.get(a.id) ?? null
            const problem = failed.get(a.id)
            const state = acknowledged.has(a.id) && a.state === 'open' ? 'acknowledged' : a.state
            return (
              <li
                key={a.id}
                className={`predictive state-${state}`}
                data-state={state}
                data-alert={a.id}
                data-device={a.deviceId}
              >
                <button type="button" className="alert-body" onClick={() => select(a.deviceId)}>
                  <span className="kind">{t(`kind.${a.kind}` as MessageKey)}</span>{' '}
                  <span className="device">{a.deviceId}</span>{' '}
                  <span className="risk" title={t('maintenance.risk')}>
                    {pct(a.lastRisk)}
                  </span>
                  {a.hoursToFailure !== null && (
                    <span className="ttf">
                      {' '}
                      · {t('maintenance.within')} {Math.round(a.hoursToFailure)} {t('maintenance.hours')}
                    </span>
                  )}
                </button>
                {state === 'acknowledged' ? (
                  <span className="acknowledged">{t('maintenance.acknowledged')}</span>
                ) : (
                  canAcknowledge &&
                  state === 'open' && (
                    <button
                      type="button"
                      className="acknowledge"
                      disabled={busy === a.id}
                      onClick={() => void acknowledge(a)}
                    >
                      {t('maintenance.acknowledge')}
                    </button>
                  )
                )}
                <ul className="evidence-list">
                  {a.evidence.slice(0, 3).map((e) => (
                    <Evidence key={e.feature} item={e} />
                  ))}
                </ul>
                {ref !== null ? (
                  <span className="work-order" data-testid="work-order-ref">
                    {t('maintenance.workOrder')} {ref}
                  </span>
                ) : problem === 'forbidden' ? (
                  <span className="wo-denied">{t('maintenance.woForbidden')}</span>
                ) : (
                  canCreateWorkOrder && (
                    <button
                      type="button"
                      className="create-work-order"
                      disabled={busy === a.id}
                      onClick={() => void createWorkOrder(a)}
                    >
                      {problem ? t('maintenance.woFailed') : t('maintenance.createWorkOrder')}
                    </button>
                  )
                )}
              </li>
            )
          })}
        </ul>
      )}
      <h3>{t('maintenance.devices')}</h3>
      {(risk.data?.items.length ?? 0) === 0 ? (
        <p className="muted">{t('noData')}</p>
      ) : (
        <ol className="risk-list" data-testid="risk-list">
          {risk
            .data!.items.filter((r) => !alerted.has(r.deviceId))
            .slice(0, riskLimit)
            .map((r) => (
              <li key={r.deviceId} data-device={r.deviceId}>
                <button type="button" onClick={() => select(r.deviceId)}>
                  <span className="kind">{t(`kind.${r.kind}` as MessageKey)}</span>{' '}
                  <span className="device">{r.deviceId}</span> <span className="risk">{pct(r.risk)}</span>
                </button>
              </li>
            ))}
        </ol>
      )}
    </section>
  )
}

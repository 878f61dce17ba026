/**
 * Drill-down: the selected building (floors, height, live electric load, its units' electricity use) or device (kind, state, last update and
 * its live values, refreshed every second from the live store).
 */
import type { Scene } from '../api/scene-types.ts'
import type { MessageKey } from '../i18n/dict.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import type { LiveStore } from '../live/live-store.ts'
import type { Picked } from '../scene/Picker.tsx'
import { BuildingUnits } from './BuildingUnits.tsx'
import { useTick } from './useTick.ts'

export interface DetailPanelProps {
  readonly scene: Scene
  readonly store: LiveStore
  readonly selection: Picked
  readonly onClose: () => void
}

/** The drill-down panel (nothing when nothing is selected). */
export function DetailPanel({ scene, store, selection, onClose }: DetailPanelProps) {
  const { t, lang } = useI18n()
  useTick(1000)
  if (!selection || selection.index < 0) return null
  if (selection.type === 'building') {
    const b = scene.buildings[selection.index]
    if (!b) return null
    const load = store.buildingLoadKw[selection.index] ?? 0
    return (
      <aside className="panel detail" data-testid="detail" data-building={b.id}>
        <button type="button" className="close" onClick={onClose} aria-label={t('close')}>
          ×
        </button>
        <h2>
          {t('building')} {b.name}
        </h2>
        <dl>
          <dt>{t('floors')}</dt>
          <dd>
            {b.floors} (+{b.basementFloors})
          </dd>
          <dt>{t('height')}</dt>
          <dd>{b.height.toFixed(1)} m</dd>
          <dt>{t('load')}</dt>
          <dd>{store.energyVersion > 0 ? `${load.toFixed(1)} kW` : t('noData')}</dd>
        </dl>
        <BuildingUnits key={b.id} communityId={scene.community.id} buildingId={b.id} />
      </aside>
    )
  }
  const d = scene.devices[selection.index]
  if (!d) return null
  const values = store.latest[selection.index]
  const updated = store.updatedAt[selection.index] ?? 0
  const state = store.state[selection.index] ?? 0
  return (
    <aside className="panel detail" data-testid="detail" data-device={d.id}>
      <button type="button" className="close" onClick={onClose} aria-label={t('close')}>
        ×
      </button>
      <h2>
        {t(`kind.${d.kind}` as MessageKey)} <small>{d.id}</small>
      </h2>
      <dl>
        <dt>{t('state')}</dt>
        <dd data-testid="device-state">{t(`state.${state}` as MessageKey)}</dd>
        <dt>{t('updated')}</dt>
        <dd>{updated > 0 ? new Date(updated).toLocaleString(lang, { hour12: false }) : t('never')}</dd>
      </dl>
      <h3>{t('values')}</h3>
      {values ? (
        <table className="values" data-testid="device-values">
          <tbody>
            {Object.entries(values).map(([metric, value]) => (
              <tr key={metric}>
                <th>{metric}</th>
                <td>{Number.isInteger(value) ? value : value.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('noData')}</p>
      )}
    </aside>
  )
}

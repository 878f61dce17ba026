/**
 * A building's units on drill-down: each unit by entrance and number with its electricity use over the last day
 * or week (`units/energy`), heaviest first within the list's bar scale. Units only: the wall screen is a public
 * display, so no household, resident or anything that says who lives where.
 */
import { useState } from 'react'
import { endpoints, type UnitsEnergyResponse } from '../api/endpoints.ts'
import { useEndpoint } from '../api/useEndpoint.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'

export interface BuildingUnitsProps {
  readonly communityId: string
  readonly buildingId: string
}

const MINUTE = 60_000

/** The units table of a building. */
export function BuildingUnits({ communityId, buildingId }: BuildingUnitsProps) {
  const { t } = useI18n()
  const [period, setPeriod] = useState<'day' | 'week'>('day')
  const { data, status } = useEndpoint<UnitsEnergyResponse>(
    endpoints.unitsEnergy(communityId, buildingId, period),
    { refreshMs: 5 * MINUTE },
  )
  // A previous building's answer may still be on hand while this one loads.
  const units = data?.buildingId === buildingId && data.period === period ? data.units : null
  const max = Math.max(0, ...(units ?? []).map((u) => u.kwh ?? 0))
  return (
    <div className="units" data-testid="units" data-period={period}>
      <h3>
        {t('units')}{' '}
        {(['day', 'week'] as const).map((p) => (
          <button
            key={p}
            type="button"
            className={p === period ? 'period on' : 'period'}
            data-period={p}
            onClick={() => setPeriod(p)}
          >
            {t(`units.${p}`)}
          </button>
        ))}
      </h3>
      {units === null || units.length === 0 ? (
        <p className="muted">{status === 'loading' ? '…' : t('noData')}</p>
      ) : (
        <table className="values unit-energy">
          <tbody>
            {units.map((u) => (
              <tr key={u.unitId} data-unit={u.unitId} data-kwh={u.kwh ?? ''}>
                <th>
                  {u.entrance}-{u.number}
                </th>
                <td className="bar">
                  {u.kwh !== null && max > 0 && <span style={{ width: `${(u.kwh / max) * 100}%` }} />}
                </td>
                <td>{u.kwh === null ? t('units.unmetered') : `${u.kwh.toFixed(2)} kWh`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

/** The KPI table: one row per figure, scenario A, scenario B and the change, coloured by better or worse. */
import type { ComparisonRow } from '../../../sim/index.ts'
import type { Lang } from '../i18n/dict.ts'
import { metricLabel, unitLabel } from './metric-label.ts'
import type { PlannerKey } from './strings.ts'

export interface KpiTableProps {
  readonly rows: readonly ComparisonRow[]
  /** Names of the compared scenarios (B null: one scenario's figures). */
  readonly a: string
  readonly b: string | null
  readonly t: (key: PlannerKey) => string
  /** The language figures are named in. */
  readonly lang: Lang
}

const fmt = (x: number | null): string => (x === null ? '–' : String(Math.round(x * 100) / 100))

/** Which way a change went, for its colour. */
function verdict(r: ComparisonRow): string {
  if (r.change === null || r.change === 0) return ''
  return r.change < 0 === r.lowerIsBetter ? 'better' : 'worse'
}

/** The table. */
export function KpiTable({ rows, a, b, t, lang }: KpiTableProps) {
  return (
    <table className="kpi-table" data-testid="kpi-table">
      <thead>
        <tr>
          <th>{t('metric')}</th>
          <th>A · {a}</th>
          {b !== null && <th>B · {b}</th>}
          {b !== null && <th>{t('change')}</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.metric} data-metric={r.metric}>
            <td>
              {metricLabel(r.metric, lang)} <span className="unit">({unitLabel(r.unit, lang)})</span>
            </td>
            <td>{fmt(r.a)}</td>
            {b !== null && <td>{fmt(r.b)}</td>}
            {b !== null && <td className={verdict(r)}>{fmt(r.change)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

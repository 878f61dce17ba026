/**
 * The planner's report: the KPI table as CSV (one row per figure: scenario A, scenario B, the change and whether
 * lower is better), ready for a spreadsheet, and the download of a report file from the browser.
 */
import type { ComparisonRow } from '../../../sim/index.ts'

/** Quotes a CSV field when it needs it (RFC 4180). */
export function csvField(value: string | number | null): string {
  if (value === null) return ''
  const s = String(value)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** The KPI table as CSV text with a header line; `a` and `b` name the two scenarios. */
export function kpiCsv(rows: readonly ComparisonRow[], a: string, b: string | null): string {
  const header = ['metric', 'unit', a, ...(b === null ? [] : [b, 'change (b - a)']), 'lower is better']
  const lines = rows.map((r) =>
    [r.metric, r.unit, r.a, ...(b === null ? [] : [r.b, r.change]), r.lowerIsBetter ? 'yes' : 'no']
      .map(csvField)
      .join(','),
  )
  return [header.map(csvField).join(','), ...lines].join('\r\n') + '\r\n'
}

/** Saves `data` (a data: URL or text) as a file download. */
export function download(filename: string, data: string, type = 'text/csv;charset=utf-8'): void {
  const url = data.startsWith('data:') ? data : URL.createObjectURL(new Blob(['\ufeff', data], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.click()
  if (!data.startsWith('data:')) setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/**
 * CSV (RFC 4180) for record import and export: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM (Excel
 * writes one, and needs one to read Chinese). Exported text cells that a spreadsheet would run as a formula
 * (= + - @ tab CR at the start) are prefixed with an apostrophe (CSV injection).
 */

/** Parses CSV text into rows of cells; throws a RangeError on an unterminated quote or too many rows. */
export function parseCsv(text: string, maxRows = 100_000): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const endRow = () => {
    row.push(cell)
    if (!(row.length === 1 && row[0] === '')) rows.push(row)
    if (rows.length > maxRows) throw new RangeError(`more than ${maxRows} rows`)
    row = []
    cell = ''
  }
  for (; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"'
          i++
        } else quoted = false
      } else cell += ch
    } else if (ch === '"' && cell === '') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\n') endRow()
    else if (ch === '\r') {
      if (text[i + 1] === '\n') i++
      endRow()
    } else cell += ch
  }
  if (quoted) throw new RangeError('unterminated quoted field')
  if (cell !== '' || row.length > 0) endRow()
  return rows
}

const FORMULA = /^[=+\-@\t\r]/

/** One cell as CSV: numbers as they are, text quoted when needed and defused when it looks like a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  let text = typeof value === 'string' ? value : JSON.stringify(value)
  if (FORMULA.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Rows as CSV text with a BOM and CRLF line ends. */
export function formatCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [header.map(csvCell).join(','), ...rows.map((row) => row.map(csvCell).join(','))]
  return '\ufeff' + lines.join('\r\n') + '\r\n'
}

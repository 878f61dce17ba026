/**
 * Typed columns from parsed CSV records, with the per-column counts the reports need. A column is numeric when at
 * least half of its non-missing cells are plain numbers; in a numeric column every other non-missing cell is
 * *malformed* (counted, kept as NaN, never coerced). Other columns are strings (one-hot encoded later).
 */
import { DataError } from '../errors.ts'
import { isMissingCell, parseNumberCell } from './cells.ts'
import type { ParsedCsv, Separator } from './parse.ts'

interface ColumnBase {
  readonly name: string
  /** Raw trimmed cells, '' where the row had no cell. Kept for labels and error messages. */
  readonly cells: readonly string[]
  /** Empty or NA-like cells. */
  readonly missing: number
}

/** A numeric column: NaN where the cell was missing or malformed. */
export interface NumericColumn extends ColumnBase {
  readonly kind: 'numeric'
  readonly values: Float64Array
  /** Non-missing cells that are not plain numbers, e.g. "31. Jul". */
  readonly malformed: number
  /** Row index of the first malformed cell, -1 if none. */
  readonly firstMalformedRow: number
}

/** A text column; missing cells are ''. */
export interface StringColumn extends ColumnBase {
  readonly kind: 'string'
  readonly malformed: 0
}

export type Column = NumericColumn | StringColumn

/** A CSV file as typed columns. */
export interface Table {
  readonly columns: readonly Column[]
  readonly rowCount: number
  /** 1-based file line of each row. */
  readonly lines: Int32Array
  readonly separator: Separator
  readonly blankLines: number
  /** Rows with more or fewer cells than the header; short rows are padded with missing cells. */
  readonly raggedRows: number
}

/** How to name the columns. */
export interface HeaderOptions {
  /** Column names for a file without a header line; the first line is then data. */
  readonly columns?: readonly string[]
  /** The file has no header line: columns are named c1, c2, … (ignored when `columns` is given). */
  readonly noHeader?: boolean
  /** Columns to keep as strings (one-hot) even if they look numeric, e.g. a numeric device-type code. */
  readonly categorical?: readonly string[]
}

/** Builds the typed table; throws DataError for an empty file, no data rows, or an unusable header. */
export function buildTable(parsed: ParsedCsv, options: HeaderOptions = {}): Table {
  const { records } = parsed
  if (records.length === 0) throw new DataError('the CSV file is empty')
  const hasHeader = options.columns === undefined && options.noHeader !== true
  let width = 0
  for (const record of records) width = Math.max(width, record.length)
  let names: string[]
  if (options.columns !== undefined) {
    names = [...options.columns]
    if (names.length !== width) {
      throw new DataError(`--columns names ${names.length} columns but the file has ${width}`)
    }
  } else if (hasHeader) {
    // The header defines the columns; cells beyond it are dropped and the row counted as ragged.
    names = records[0]!.map((name, i) => (name === '' ? `column_${i + 1}` : name))
    if (names.every((name) => !isMissingCell(name) && !Number.isNaN(parseNumberCell(name)))) {
      throw new DataError(
        'the first line looks like data, not a header (all numbers); use --no-header or --columns',
      )
    }
  } else {
    names = Array.from({ length: width }, (_, i) => `c${i + 1}`)
  }
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) throw new DataError(`duplicate column name "${name}" in the header`)
    seen.add(name)
  }
  const first = hasHeader ? 1 : 0
  const rowCount = records.length - first
  if (rowCount === 0) throw new DataError('the CSV file has a header but no data rows')

  let raggedRows = 0
  const raw: string[][] = names.map(() => new Array<string>(rowCount))
  for (let r = 0; r < rowCount; r++) {
    const record = records[first + r]!
    if (record.length !== names.length) raggedRows++
    for (let c = 0; c < names.length; c++) raw[c]![r] = record[c] ?? ''
  }
  const forced = new Set(options.categorical ?? [])
  for (const name of forced) {
    if (!seen.has(name)) throw new DataError(`--categorical names "${name}", which is not a column`)
  }
  const columns = names.map((name, c) => typeColumn(name, raw[c]!, forced.has(name)))
  return {
    columns,
    rowCount,
    lines: parsed.lines.slice(first),
    separator: parsed.separator,
    blankLines: parsed.blankLines,
    raggedRows,
  }
}

function typeColumn(name: string, cells: string[], forceString: boolean): Column {
  const values = new Float64Array(cells.length)
  let missing = 0
  let numeric = 0
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!
    if (isMissingCell(cell)) {
      missing++
      values[i] = Number.NaN
      continue
    }
    const v = parseNumberCell(cell)
    values[i] = v
    if (!Number.isNaN(v)) numeric++
  }
  const present = cells.length - missing
  if (forceString || (present > 0 && numeric < 0.5 * present)) {
    return { kind: 'string', name, cells, missing, malformed: 0 }
  }
  let firstMalformedRow = -1
  for (let i = 0; i < cells.length && firstMalformedRow < 0; i++) {
    if (Number.isNaN(values[i]!) && !isMissingCell(cells[i]!)) firstMalformedRow = i
  }
  return {
    kind: 'numeric',
    name,
    cells,
    values,
    missing,
    malformed: present - numeric,
    firstMalformedRow,
  }
}

/** The column called `name`, or a DataError naming the columns that exist. */
export function columnOf(table: Table, name: string, role = 'column'): Column {
  const column = table.columns.find((c) => c.name === name)
  if (column === undefined) {
    const known = table.columns.map((c) => c.name).join(', ')
    throw new DataError(`${role} "${name}" is not in the CSV (columns: ${truncate(known, 200)})`)
  }
  return column
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

/** Per-column and total missing / malformed cell counts, as printed in every report. */
export interface CellReport {
  readonly rows: number
  readonly columns: number
  readonly separator: string
  readonly blank_lines: number
  readonly ragged_rows: number
  readonly missing_cells: number
  readonly malformed_cells: number
  /** Only columns with something to report. */
  readonly by_column: Record<string, { kind: Column['kind']; missing: number; malformed: number }>
}

/** Summarises the table's data quality for reports. */
export function cellReport(table: Table): CellReport {
  const byColumn: CellReport['by_column'] = {}
  let missing = 0
  let malformed = 0
  for (const c of table.columns) {
    missing += c.missing
    malformed += c.malformed
    if (c.missing > 0 || c.malformed > 0)
      byColumn[c.name] = { kind: c.kind, missing: c.missing, malformed: c.malformed }
  }
  return {
    rows: table.rowCount,
    columns: table.columns.length,
    separator: table.separator === '\t' ? 'tab' : table.separator,
    blank_lines: table.blankLines,
    ragged_rows: table.raggedRows,
    missing_cells: missing,
    malformed_cells: malformed,
    by_column: byColumn,
  }
}

/**
 * A copy of `table` with a numeric column appended (e.g. RUL computed from run-to-failure histories). Values
 * that are NaN count as missing. Throws DataError if the name is taken or the length differs.
 */
export function withNumericColumn(table: Table, name: string, values: Float64Array): Table {
  if (table.columns.some((c) => c.name === name)) throw new DataError(`column "${name}" already exists`)
  if (values.length !== table.rowCount)
    throw new DataError(`column "${name}" has ${values.length} values for ${table.rowCount} rows`)
  let missing = 0
  const cells = Array.from(values, (v) => {
    if (Number.isNaN(v)) {
      missing++
      return ''
    }
    return String(v)
  })
  const column: NumericColumn = {
    kind: 'numeric',
    name,
    cells,
    values,
    missing,
    malformed: 0,
    firstMalformedRow: -1,
  }
  return { ...table, columns: [...table.columns, column] }
}

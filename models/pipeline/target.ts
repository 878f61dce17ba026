/**
 * Labels: checks the label column, fits the target encoding (classes and positive class, RUL scale and cap,
 * anomaly 0/1 truth) and encodes each row's label as a number. Bad labels are the user's input problem and raise
 * DataError with the first offending cell and its line: a text cell in a numeric label is never read as a number.
 */
import type { Column, Table } from '../csv/table.ts'
import { columnOf } from '../csv/table.ts'
import { DataError, UsageError } from '../errors.ts'
import type { TargetSpec } from '../features/spec.ts'
import type { TaskOptions } from './options.ts'

const POSITIVE_NAMES =
  /^(1|true|yes|y|fail|failed|failure|fault|faulty|alarm|anomaly|abnormal|positive|broken)$/i

function firstBadCell(table: Table, column: Column & { kind: 'numeric' }): string {
  const r = column.firstMalformedRow
  return `"${column.cells[r]}" at line ${table.lines[r]}`
}

/** The label column, checked for the task (numeric for rul, 0/1 for anomaly). */
export function labelColumnFor(table: Table, options: TaskOptions): Column | undefined {
  if (options.label === undefined) return undefined
  const column = columnOf(table, options.label, 'label column')
  const name = options.label
  if (column.missing === table.rowCount) throw new DataError(`label column "${name}" has no values`)
  if (options.task === 'rul' || options.task === 'anomaly') {
    if (column.kind !== 'numeric') {
      throw new DataError(
        `label column "${name}" holds text ("${column.cells.find((c) => c !== '')}"); ${options.task} needs numbers`,
      )
    }
    if (column.malformed > 0) {
      throw new DataError(
        `label column "${name}" has ${column.malformed} non-numeric cell(s), first ${firstBadCell(table, column)}`,
      )
    }
    if (options.task === 'anomaly') {
      for (let r = 0; r < table.rowCount; r++) {
        const v = column.values[r]!
        if (!Number.isNaN(v) && v !== 0 && v !== 1) {
          throw new DataError(
            `anomaly label "${name}" must be 0 or 1, found ${column.cells[r]} at line ${table.lines[r]}`,
          )
        }
      }
    }
  } else if (column.kind === 'numeric' && column.malformed > 0) {
    // A mostly-numeric class column with stray text is damage, not a new class.
    throw new DataError(
      `label column "${name}" mixes numbers and text: ${column.malformed} cell(s), first ${firstBadCell(table, column)}`,
    )
  }
  return column
}

/** Distinct non-missing labels of `rows` (all rows if omitted), numerically sorted when all are numbers. */
export function distinctClasses(column: Column, rows?: Int32Array): string[] {
  const seen = new Set<string>()
  const n = rows?.length ?? column.cells.length
  for (let i = 0; i < n; i++) {
    const r = rows === undefined ? i : rows[i]!
    if (column.kind === 'numeric' ? !Number.isNaN(column.values[r]!) : column.cells[r] !== '')
      seen.add(column.cells[r]!)
  }
  const classes = [...seen]
  return column.kind === 'numeric' ? classes.sort((a, b) => Number(a) - Number(b)) : classes.sort()
}

function positiveClass(
  classes: readonly string[],
  column: Column,
  options: TaskOptions,
  rows?: Int32Array,
): string {
  if (options.positive !== undefined) {
    if (!classes.includes(options.positive)) {
      throw new UsageError(`--positive "${options.positive}" is not a class (classes: ${classes.join(', ')})`)
    }
    return options.positive
  }
  if (column.kind === 'numeric') return classes[classes.length - 1]!
  const named = classes.find((c) => POSITIVE_NAMES.test(c))
  if (named !== undefined) return named
  // Otherwise the rarer class: failures are the rare event.
  const counts = new Map(classes.map((c) => [c, 0]))
  const n = rows?.length ?? column.cells.length
  for (let i = 0; i < n; i++) {
    const cell = column.cells[rows === undefined ? i : rows[i]!]!
    const c = counts.get(cell)
    if (c !== undefined) counts.set(cell, c + 1)
  }
  return [...counts].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))[0]![0]
}

/** Fits the target encoding on the training rows. Anomaly thresholds are filled in after training. */
export function fitTarget(table: Table, options: TaskOptions, rows?: Int32Array): TargetSpec {
  const column = labelColumnFor(table, options)
  switch (options.task) {
    case 'classify': {
      const classes = options.classes !== undefined ? [...options.classes] : distinctClasses(column!, rows)
      if (classes.length < 2) {
        throw new DataError(
          `label column "${options.label}" has ${classes.length} class(es); classify needs at least 2`,
        )
      }
      const positive = classes.length === 2 ? positiveClass(classes, column!, options, rows) : null
      return { kind: 'classes', classes, positive }
    }
    case 'rul': {
      const values = (column as Column & { kind: 'numeric' }).values
      let max = 0
      const n = rows?.length ?? table.rowCount
      for (let i = 0; i < n; i++) {
        const v = values[rows === undefined ? i : rows[i]!]!
        if (!Number.isNaN(v)) max = Math.max(max, v)
      }
      const cap = options.cap ?? null
      return { kind: 'rul', cap, scale: cap ?? Math.max(1, max) }
    }
    case 'anomaly':
      return { kind: 'anomaly', threshold: Number.NaN, quantile: options.quantile ?? 0.99, errorScale: null }
  }
}

/**
 * Each row's label as a number: class index (-1 unseen), RUL (capped), or 0/1; NaN where the label is missing.
 * Returns undefined when the spec has no label column or the table lacks it (scoring unlabelled data).
 */
export function encodeLabels(
  table: Table,
  labelName: string | null,
  target: TargetSpec,
): Float64Array | undefined {
  if (labelName === null) return undefined
  const column = table.columns.find((c) => c.name === labelName)
  if (column === undefined) return undefined
  const out = new Float64Array(table.rowCount)
  switch (target.kind) {
    case 'classes': {
      const index = new Map(target.classes.map((c, i) => [c, i]))
      for (let r = 0; r < table.rowCount; r++) {
        const cell = column.cells[r]!
        const missing = column.kind === 'numeric' ? Number.isNaN(column.values[r]!) : cell === ''
        out[r] = missing ? Number.NaN : (index.get(cell) ?? -1)
      }
      return out
    }
    case 'rul':
    case 'anomaly': {
      if (column.kind !== 'numeric' || column.malformed > 0) {
        throw new DataError(`label column "${labelName}" must be numeric to evaluate this model`)
      }
      const cap = target.kind === 'rul' && target.cap !== null ? target.cap : Number.POSITIVE_INFINITY
      for (let r = 0; r < table.rowCount; r++) out[r] = Math.min(column.values[r]!, cap)
      return out
    }
  }
}

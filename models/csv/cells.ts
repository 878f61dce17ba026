/**
 * What a single CSV cell means: missing, a number, or text. Deliberately strict, because spreadsheets damage
 * numbers in ways JavaScript's Number() and parseFloat() would silently accept or half-read: "18. Jan" (a date
 * made out of 18.01) must be malformed, never 18; "1,5" and "1 000" are text here, not 1.5 or 1000.
 */

// Tokens that people and tools write for "no value". Compared lower-cased after trimming.
const MISSING = new Set(['', 'na', 'n/a', '#n/a', 'nan', 'null', 'none', 'nil', '?', '-', '--'])

// A plain decimal number: optional sign, digits with at most one dot, optional exponent. Nothing else.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

/** True when the (trimmed) cell is empty or one of the usual missing-value tokens (NA, NaN, null, ?, -). */
export function isMissingCell(cell: string): boolean {
  return cell.length <= 4 && MISSING.has(cell.toLowerCase())
}

/**
 * The cell's numeric value, or NaN when it is not a plain decimal number. Call `isMissingCell` first: a
 * missing cell also gives NaN here but is not malformed.
 */
export function parseNumberCell(cell: string): number {
  if (!NUMBER.test(cell)) return Number.NaN
  const value = Number(cell)
  // 1e999 passes the pattern but is not a usable measurement.
  return Number.isFinite(value) ? value : Number.NaN
}

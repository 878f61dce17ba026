/**
 * Reads a CSV file from disk into a typed table, and fingerprints the exact bytes (sha256) so a trained model can
 * name the data it was trained on.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { DataError } from '../errors.ts'
import { parseCsv } from './parse.ts'
import type { Separator } from './parse.ts'
import { buildTable } from './table.ts'
import type { HeaderOptions, Table } from './table.ts'

/** Identifies training data: the file's name, size and sha256 of its bytes. */
export interface DataFingerprint {
  readonly file: string
  readonly bytes: number
  readonly sha256: string
}

/** How to read a CSV file. */
export interface CsvOptions extends HeaderOptions {
  /** Separator; `auto` (default) detects it from the first lines. */
  readonly separator?: Separator | 'auto'
}

/** Parses CSV bytes (UTF-8, optional BOM) into a table; `file` only names the source in the fingerprint. */
export function tableFromBytes(
  bytes: Uint8Array,
  options: CsvOptions = {},
  file = 'input.csv',
): { table: Table; fingerprint: DataFingerprint } {
  const fingerprint = {
    file: basename(file),
    bytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  }
  const text = new TextDecoder('utf-8').decode(bytes)
  const table = buildTable(parseCsv(text, options.separator ?? 'auto'), options)
  return { table, fingerprint }
}

/** Reads and parses a CSV file; a file that cannot be read is a DataError naming it. */
export function readCsvFile(
  path: string,
  options: CsvOptions = {},
): { table: Table; fingerprint: DataFingerprint } {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message
    throw new DataError(`cannot read CSV file ${path} (${code})`)
  }
  return tableFromBytes(bytes, options, path)
}

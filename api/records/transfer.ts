/**
 * Bulk import and export of records as CSV or XLSX. An import is all or nothing: every row is validated (schema,
 * parent in scope, database constraints) inside one transaction, each row under a savepoint so that every failing
 * row is reported with its number, field and reason; if any row fails, nothing is written. Each created record
 * gets its own audit entry. Exports are in the caller's scope, with personal data masked, and are audited.
 */
import type { Postgres, Sql } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { ApiError } from '../http/errors.ts'
import { formatCsv, parseCsv } from './csv.ts'
import { kinds, type KindName } from './kinds.ts'
import { recordRepository } from './repository.ts'
import type { RecordService } from './service.ts'
import { readXlsx, writeXlsx } from './xlsx.ts'

export type Format = 'csv' | 'xlsx'

export interface RowError {
  /** 1-based line of the file, the header being line 1. */
  readonly row: number
  readonly field: string | null
  readonly message: string
}

export interface ImportResult {
  readonly created: number
  readonly dryRun: boolean
  readonly ids: string[]
}

const MAX_ROWS = 20_000
const EXPORT_PAGE = 1000
const MAX_EXPORT = 200_000
const PII_FIELDS = ['idNumber', 'phone']

/** Thrown (and rolled back) to end a dry run after every row went in. */
class DryRun extends Error {}

function rowsOf(format: Format, body: Uint8Array): string[][] {
  try {
    return format === 'csv' ? parseCsv(Buffer.from(body).toString('utf8'), MAX_ROWS + 1) : readXlsx(body)
  } catch (error) {
    throw new ApiError(
      400,
      'bad_request',
      `the file cannot be read: ${error instanceof RangeError ? error.message : 'not valid'}`,
    )
  }
}

export class TransferService {
  constructor(
    private readonly db: Postgres,
    private readonly records: RecordService,
    private readonly auditor: Auditor,
  ) {}

  /** Imports the rows of a file; throws 400 `invalid_rows` with every row error, writing nothing. */
  async import(
    auth: AuthContext,
    kind: KindName,
    format: Format,
    body: Uint8Array,
    options: { dryRun: boolean; requestId: string | null },
  ): Promise<ImportResult> {
    const spec = kinds[kind]
    const rows = rowsOf(format, body)
    const [header, ...data] = rows
    if (!header || data.length === 0)
      throw new ApiError(400, 'bad_request', 'the file needs a header row and at least one row')
    if (data.length > MAX_ROWS) throw new ApiError(400, 'bad_request', `at most ${MAX_ROWS} rows per import`)
    const accepted = new Set(Object.keys(spec.createSchema.shape))
    const errors: RowError[] = []
    header.forEach((name) => {
      if (!accepted.has(name.trim()))
        errors.push({ row: 1, field: name.trim(), message: 'not a column of this record kind' })
    })
    if (errors.length > 0) throw invalid(errors)
    const types = new Map(spec.columns.map((c) => [c.field, c.type]))
    const inputs = data.map((cells) => {
      const input: Record<string, unknown> = {}
      header.forEach((name, i) => {
        const cell = (cells[i] ?? '').trim()
        if (cell === '') return
        const type = types.get(name.trim())
        input[name.trim()] =
          type === 'int' || type === 'float' || type === 'decimal'
            ? Number.isFinite(Number(cell))
              ? Number(cell)
              : cell
            : type === 'json'
              ? safeJson(cell)
              : cell
      })
      return input
    })
    const parsed = inputs.map((input, i) => {
      const result = spec.createSchema.safeParse(input)
      if (!result.success) {
        for (const issue of result.error.issues.slice(0, 3)) {
          errors.push({ row: i + 2, field: issue.path.map(String).join('.') || null, message: issue.message })
        }
        return null
      }
      return result.data
    })
    if (errors.length > 0) throw invalid(errors)
    const ids: string[] = []
    try {
      await this.db.transaction(async (tx) => {
        for (const [i, input] of parsed.entries()) {
          if (!input) continue
          await tx.query('SAVEPOINT import_row')
          try {
            const created = await this.records.create(auth, kind, input, options.requestId, tx)
            ids.push(String(created.id))
            await tx.query('RELEASE SAVEPOINT import_row')
          } catch (error) {
            if (!(error instanceof ApiError)) throw error
            await tx.query('ROLLBACK TO SAVEPOINT import_row')
            errors.push({ row: i + 2, field: null, message: error.message })
          }
        }
        if (errors.length > 0) throw invalid(errors)
        if (options.dryRun) throw new DryRun()
      })
    } catch (error) {
      if (!(error instanceof DryRun)) throw error
    }
    return { created: ids.length, dryRun: options.dryRun, ids: options.dryRun ? [] : ids }
  }

  /** Every record of `kind` in scope as a file; audited as one export. */
  async export(
    auth: AuthContext,
    kind: KindName,
    format: Format,
    options: { includeArchived: boolean; requestId: string | null },
  ): Promise<{ body: Uint8Array | string; rows: number }> {
    const spec = kinds[kind]
    const fields = spec.columns.map((c) => c.field)
    const rows: unknown[][] = []
    let after: string | null = null
    for (;;) {
      const page = await recordRepository.list(this.db, spec, auth.scope, {
        after,
        limit: EXPORT_PAGE,
        includeArchived: options.includeArchived,
        filters: {},
      })
      for (const record of page) rows.push(fields.map((field) => record[field]))
      if (page.length < EXPORT_PAGE || rows.length >= MAX_EXPORT) break
      after = String(page.at(-1)?.id)
    }
    await this.db.transaction((tx: Sql) =>
      this.auditor.record(tx, {
        actor: actorOf(auth),
        action: `${spec.objectType}.export`,
        object: {
          type: kind,
          id: `${rows.length} rows`,
          communityId: auth.scope.kind === 'company' ? null : (auth.scope.ids[0] ?? null),
        },
        after: { format, rows: rows.length, masked: PII_FIELDS.filter((f) => fields.includes(f)) },
        requestId: options.requestId,
      }),
    )
    return {
      body: format === 'csv' ? formatCsv(fields, rows) : writeXlsx(kind, fields, rows),
      rows: rows.length,
    }
  }
}

function safeJson(cell: string): unknown {
  try {
    return JSON.parse(cell) as unknown
  } catch {
    return cell
  }
}

function invalid(errors: RowError[]): ApiError {
  const first = errors[0]
  const where = first ? `row ${first.row}${first.field ? ` (${first.field})` : ''}: ${first.message}` : ''
  return new ApiError(
    400,
    'invalid_rows',
    `${errors.length} rows cannot be imported; nothing was written. First: ${where}`,
    undefined,
    errors.slice(0, 500),
  )
}

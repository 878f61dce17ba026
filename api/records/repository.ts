/**
 * SQL for the record kinds, built from their specs: table and column names come from kinds.ts (code), values are
 * always bound parameters. Rows come back under their API names; dates as YYYY-MM-DD, timestamps as ISO strings.
 */
import type { Sql } from '../../data/index.ts'
import { scopeCondition, type ObjectLocation, type Scope } from '../auth/scope.ts'
import type { ColumnSpec, KindSpec } from './kinds.ts'

function expression(column: ColumnSpec): string {
  switch (column.type) {
    case 'date':
      return `to_char(${column.column}, 'YYYY-MM-DD') AS "${column.field}"`
    case 'decimal':
      return `${column.column}::float8 AS "${column.field}"`
    case 'text':
    case 'int':
    case 'float':
    case 'json':
    case 'timestamp':
      return `${column.column} AS "${column.field}"`
  }
}

const selects = new Map<string, string>()
/** The SELECT list of a kind, with the raw scope columns as __community/__building/__household. */
function selectList(spec: KindSpec): string {
  let list = selects.get(spec.name)
  if (!list) {
    const scope = [
      `${spec.scope.community} AS "__community"`,
      `${spec.scope.building ?? 'NULL'} AS "__building"`,
      `${spec.scope.household ?? 'NULL'} AS "__household"`,
    ]
    list = [...spec.columns.map(expression), ...scope].join(', ')
    selects.set(spec.name, list)
  }
  return list
}

export type RecordView = Record<string, unknown>

/** A row split into its API view and its location. */
function split(spec: KindSpec, row: Record<string, unknown>): { view: RecordView; location: ObjectLocation } {
  const view: RecordView = {}
  for (const column of spec.columns) {
    const value = row[column.field]
    view[column.field] = value instanceof Date ? value.toISOString() : (value ?? null)
  }
  return {
    view,
    location: {
      communityId: row.__community as string,
      buildingId: row.__building as string | null,
      householdId: row.__household as string | null,
    },
  }
}

export interface ListQuery {
  readonly after: string | null
  readonly limit: number
  readonly q?: string | undefined
  readonly includeArchived?: boolean | undefined
  readonly filters: Readonly<Partial<Record<'communityId' | 'buildingId' | 'householdId' | 'unitId', string>>>
}

const FILTER_COLUMNS = {
  communityId: 'community_id',
  buildingId: 'building_id',
  householdId: 'household_id',
  unitId: 'unit_id',
} as const

export const recordRepository = {
  /** One page of records in scope, ordered by id. */
  async list(sql: Sql, spec: KindSpec, scope: Scope, query: ListQuery): Promise<RecordView[]> {
    const params: unknown[] = []
    const where = [scopeCondition(scope, spec.scope, params)]
    if (query.after !== null) {
      params.push(query.after)
      where.push(`id > $${params.length}`)
    }
    if (!query.includeArchived) where.push('archived_at IS NULL')
    for (const name of spec.filters) {
      const value = query.filters[name]
      if (value === undefined) continue
      params.push(value)
      where.push(
        `${name === 'householdId' && spec.name === 'households' ? 'id' : FILTER_COLUMNS[name]} = $${params.length}`,
      )
    }
    if (query.q && spec.search.length > 0) {
      params.push(query.q.toLowerCase())
      where.push(`(${spec.search.map((col) => `strpos(lower(${col}), $${params.length}) > 0`).join(' OR ')})`)
    }
    params.push(query.limit)
    const rows = await sql.query<Record<string, unknown>>(
      `SELECT ${selectList(spec)} FROM ${spec.table} WHERE ${where.join(' AND ')} ORDER BY id LIMIT $${params.length}`,
      params,
    )
    return rows.map((row) => split(spec, row).view)
  },

  /** One record with its location, or null. `lock` takes a row lock (inside a transaction). */
  async get(
    sql: Sql,
    spec: KindSpec,
    id: string,
    lock = false,
  ): Promise<{ view: RecordView; location: ObjectLocation } | null> {
    const [row] = await sql.query<Record<string, unknown>>(
      `SELECT ${selectList(spec)} FROM ${spec.table} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    )
    return row ? split(spec, row) : null
  },

  /** The stored row as it is (for the audit's before/after hashes). */
  async raw(sql: Sql, spec: KindSpec, id: string): Promise<Record<string, unknown> | null> {
    const [row] = await sql.query<Record<string, unknown>>(`SELECT * FROM ${spec.table} WHERE id = $1`, [id])
    return row ?? null
  },

  /** The columns a new record inherits from its parent, or null when the parent is missing or archived. */
  async parentColumns(sql: Sql, spec: KindSpec, parentId: string): Promise<Record<string, string> | null> {
    if (!spec.parent) return {}
    const list = spec.parent.inherit.map(([child, parent]) => `${parent} AS "${child}"`).join(', ')
    const [row] = await sql.query<Record<string, string>>(
      `SELECT ${list} FROM ${spec.parent.table} WHERE id = $1 AND archived_at IS NULL`,
      [parentId],
    )
    return row ?? null
  },

  async insert(sql: Sql, spec: KindSpec, values: Readonly<Record<string, unknown>>): Promise<void> {
    const columns = Object.keys(values)
    await sql.query(
      `INSERT INTO ${spec.table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
      columns.map((column) => values[column]),
    )
  },

  async update(
    sql: Sql,
    spec: KindSpec,
    id: string,
    values: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    const columns = Object.keys(values)
    if (columns.length === 0) return
    const sets = columns.map((column, i) => `${column} = $${i + 2}`)
    await sql.query(`UPDATE ${spec.table} SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, [
      id,
      ...columns.map((column) => values[column]),
    ])
  },

  async setArchived(sql: Sql, spec: KindSpec, id: string, archived: boolean): Promise<void> {
    await sql.query(
      `UPDATE ${spec.table} SET archived_at = ${archived ? 'coalesce(archived_at, now())' : 'NULL'},
         updated_at = now() WHERE id = $1`,
      [id],
    )
  },
}

/** Column values for the API fields of `input` that `spec` accepts on create or update. */
export function columnValues(
  spec: KindSpec,
  input: Readonly<Record<string, unknown>>,
  mode: 'create' | 'update',
) {
  const values: Record<string, unknown> = {}
  for (const column of spec.columns) {
    if (!(mode === 'create' ? column.create : column.update)) continue
    if (!(column.field in input) || input[column.field] === undefined) continue
    if (spec.parent && column.field === spec.parent.field) continue
    const value = input[column.field]
    values[column.column] = column.type === 'json' ? JSON.stringify(value) : value
  }
  return values
}

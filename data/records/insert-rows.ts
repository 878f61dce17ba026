/**
 * Bulk insert with bound parameters: rows go in multi-row VALUES statements, chunked under PostgreSQL's limit of
 * 65,535 parameters per statement. Table and column names come from code, never from input.
 */
import type { Sql } from '../postgres/types.ts'

const MAX_PARAMETERS = 60_000

/** Inserts `rows` (arrays in `columns` order) into `table`. */
export async function insertRows(
  sql: Sql,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length))
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement)
    const params: unknown[] = []
    const tuples = chunk.map((row) => {
      if (row.length !== columns.length)
        throw new Error(`${table}: row has ${row.length} values for ${columns.length} columns`)
      const placeholders = row.map((value) => {
        params.push(value)
        return `$${params.length}`
      })
      return `(${placeholders.join(', ')})`
    })
    await sql.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params)
  }
}

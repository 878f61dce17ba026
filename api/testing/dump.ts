/**
 * Test helper: a text dump of every table of a PostgreSQL database (bytea as base64, so ciphertext bytes cannot
 * spell digits by accident), and the patterns of plaintext Chinese ID numbers and mobile numbers to search it for.
 */
import type { Postgres } from '../../data/index.ts'

/** Plaintext resident ID number or mainland mobile number, not part of a longer digit run. */
export const PLAINTEXT_PII = /(?<![\d.])(\d{17}[\dXx]|1[3-9]\d{9})(?![\d])/

/** Every row of every table in the public schema, one JSON line each. */
export async function dumpPostgres(db: Postgres): Promise<string> {
  const tables = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
  )
  const lines: string[] = []
  for (const { table_name } of tables) {
    const columns = await db.query<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
      [table_name],
    )
    const list = columns
      .map(
        (c) =>
          (c.data_type === 'bytea' ? `encode(${c.column_name}, 'base64')` : `${c.column_name}::text`) +
          ` AS "${c.column_name}"`,
      )
      .join(', ')
    for (const row of await db.query(`SELECT ${list} FROM ${table_name}`))
      lines.push(`${table_name} ${JSON.stringify(row)}`)
  }
  return lines.join('\n')
}

import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { permissionTable } from './permission-table.ts'

const cells = (table: string) =>
  table
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s:|-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    )

describe('permissionTable', () => {
  it('is what the README documents (regenerate with `npx tsx api/auth/permission-table.ts`)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    // The table that starts a line with its permission column (other tables have permission columns too).
    const start = readme.indexOf('\n| permission ') + 1
    const end = readme.indexOf('\n\n', start)
    assert.ok(start > 0, 'the README has the permission table')
    assert.deepEqual(cells(readme.slice(start, end)), cells(permissionTable()))
  })

  it('marks a permission only for the roles that hold it', () => {
    const rows = cells(permissionTable())
    const header = rows[0] ?? []
    const audit = rows.find((r) => r[0] === '`audit:read`') ?? []
    assert.deepEqual(
      header.filter((_, i) => audit[i] === '✓'),
      ['administrator', 'auditor'],
    )
  })
})

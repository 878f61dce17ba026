/**
 * The permission matrix as the README's Markdown table (roles across, permissions down, then scopes and TOTP),
 * generated from `matrix` so that the documentation cannot drift from the code: a test compares the two, and
 * `npx tsx api/auth/permission-table.ts` prints it for pasting.
 */
import { matrix, permissions, roleHas, roles } from './permissions.ts'

const SHORT: Partial<Record<string, string>> = { maintenance_engineer: 'maint. eng.' }

/** The Markdown table, one line per permission. */
export function permissionTable(): string {
  const header = ['permission', ...roles.map((r) => SHORT[r] ?? r.replace(/_/g, ' '))]
  const rows = [
    ...permissions.map((p) => [`\`${p}\``, ...roles.map((r) => (roleHas(r, p) ? '✓' : ''))]),
    ['scopes', ...roles.map((r) => matrix[r].scopes.join('/'))],
    ['TOTP', ...roles.map((r) => (matrix[r].mfa ? 'required' : ''))],
  ]
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : ':-:'))), ...rows.map(line)].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(permissionTable())

/**
 * Demo accounts for a first start on the embedded default: when the users table is empty, one account per role
 * is created (scoped to the first community, building and household of the loaded data) with random passwords,
 * and the credentials are printed once. They hold no personal data: user names are role names, and the resident
 * account shows only its user name and password.
 */
import type { Config, Logger } from '../../data/index.ts'
import { resolveScope } from '../auth/auth-state.ts'
import { matrix, roles, type Role, type ScopeKind } from '../auth/permissions.ts'
import type { Platform } from '../platform.ts'
import { userRepository } from './repository.ts'

export interface DemoAccount {
  readonly role: Role
  readonly username: string
  readonly password: string
  /** Base32 TOTP secret, for roles that need a second factor. */
  readonly totpSecret: string | null
}

const USERNAMES: Record<Role, string> = {
  administrator: 'admin',
  community_manager: 'manager',
  customer_service: 'service',
  repair_staff: 'repair',
  finance: 'finance',
  security_guard: 'guard',
  auditor: 'auditor',
  planner: 'planner',
  maintenance_engineer: 'engineer',
  resident: 'resident',
  wall_screen: 'wallscreen',
}

const SCOPES: Record<Role, ScopeKind> = {
  administrator: 'company',
  community_manager: 'community',
  customer_service: 'community',
  repair_staff: 'building',
  finance: 'community',
  security_guard: 'community',
  auditor: 'company',
  planner: 'community',
  maintenance_engineer: 'building',
  resident: 'household',
  wall_screen: 'community',
}

const FIRST = `SELECT c.company_id, c.id AS community_id, r.building_id, r.household_id, r.id AS resident_id
  FROM communities c JOIN residents r ON r.community_id = c.id
  WHERE c.archived_at IS NULL AND r.age_group = 'adult' AND r.erased_at IS NULL
  ORDER BY c.id, r.id LIMIT 1`

/** Whether this start should create demo accounts: `on`, or `auto` on the embedded database. */
export function demoAccountsWanted(config: Config): boolean {
  return (
    config.api.demoAccounts === 'on' ||
    (config.api.demoAccounts === 'auto' && config.postgres.kind === 'pglite')
  )
}

/**
 * Creates the demo accounts when there are no users yet; returns them (with their passwords) or null when
 * nothing was created. `print` receives the one-time credentials table.
 */
export async function ensureDemoAccounts(
  platform: Platform,
  log: Logger,
  print: (text: string) => void = (text) => process.stdout.write(text),
): Promise<DemoAccount[] | null> {
  const db = platform.db
  if ((await userRepository.count(db)) > 0) return null
  const [first] = await db.query<{
    company_id: string
    community_id: string
    building_id: string
    household_id: string
    resident_id: string
  }>(FIRST)
  if (!first) {
    log.warn('no community loaded: demo accounts not created')
    return null
  }
  const actor = { id: 'system', role: 'system', companyId: first.company_id }
  const ids: Record<ScopeKind, string[]> = {
    company: [],
    community: [first.community_id],
    building: [first.building_id],
    household: [first.household_id],
  }
  // Sanity: the ids resolve inside the company.
  await resolveScope(db, first.company_id, 'household', ids.household)
  const accounts: DemoAccount[] = []
  for (const role of roles) {
    const issued = await platform.users.create(
      actor,
      {
        username: USERNAMES[role],
        displayName: `${matrix[role].label} (demo)`,
        role,
        scope: { kind: SCOPES[role], ids: ids[SCOPES[role]] },
        residentId: role === 'resident' ? first.resident_id : null,
      },
      null,
    )
    const secret = issued.totpUri ? new URL(issued.totpUri).searchParams.get('secret') : null
    accounts.push({
      role,
      username: issued.user.username,
      password: issued.password ?? '',
      totpSecret: secret,
    })
  }
  const lines = accounts.map(
    (a) =>
      `  ${a.role.padEnd(22)}${a.username.padEnd(12)}${a.password}${a.totpSecret ? `   TOTP secret ${a.totpSecret}` : ''}`,
  )
  print(
    [
      '',
      'Demo accounts (shown once; passwords are stored only as scrypt hashes — note them now):',
      `  ${'role'.padEnd(22)}${'username'.padEnd(12)}password`,
      ...lines,
      '  The administrator signs in with a TOTP code: add the secret to an authenticator app.',
      '  Manage accounts with `npm run users -- list|create|disable|enable|reset`.',
      '',
    ].join('\n') + '\n',
  )
  log.info({ accounts: accounts.length }, 'demo accounts created')
  return accounts
}

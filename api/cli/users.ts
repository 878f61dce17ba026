/**
 * `npm run users -- <command>`: account administration for operators, on the configured database.
 *
 *   list
 *   create <username> --role <role> [--scope company | community:<id,…> | building:<id,…>] [--resident <id>]
 *          [--name <display name>] [--company <id>]
 *   disable <username> | enable <username>
 *   reset <username> [--totp]          new password (and TOTP secret), printed once; ends all sessions
 *   rotate-keys                        retire the JWT signing key now (old tokens verify for the grace period)
 *
 * Passwords are generated and printed once (never taken on the command line, where shell history keeps them).
 */
import { userInfo } from 'node:os'
import { parseArgs } from 'node:util'
import { createLogger } from '../../data/index.ts'
import { isRole, type ScopeKind } from '../auth/permissions.ts'
import { createPlatform } from '../platform.ts'
import { userRepository } from '../users/repository.ts'
import type { Issued } from '../users/service.ts'
import { defaultIo, isEntry, openCliStores, runCli, type CliIo } from './open.ts'

const USAGE = `usage: npm run users -- list
       npm run users -- create <username> --role <role> [--scope company|community:<ids>|building:<ids>] [--resident <id>] [--name <name>] [--company <id>]
       npm run users -- disable|enable <username>
       npm run users -- reset <username> [--totp]
       npm run users -- rotate-keys
`

function printIssued(io: CliIo, issued: Issued): void {
  const lines = [
    `${issued.user.username} (${issued.user.role}, ${issued.user.scope.kind}${issued.user.scope.ids.length ? ': ' + issued.user.scope.ids.join(',') : ''})`,
  ]
  if (issued.password) lines.push(`  password: ${issued.password}`)
  if (issued.totpUri) lines.push(`  TOTP: ${issued.totpUri}`)
  lines.push('  (shown once)')
  io.out(lines.join('\n') + '\n')
}

/** Runs the command with `args`; returns the exit code. `config` defaults to the process's configuration. */
export async function usersMain(args: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      scope: { type: 'string', default: 'company' },
      resident: { type: 'string' },
      name: { type: 'string' },
      company: { type: 'string' },
      totp: { type: 'boolean', default: false },
    },
  })
  const [command, username] = positionals
  if (!command) {
    io.err(USAGE)
    return 2
  }
  const stores = await openCliStores(io.config)
  try {
    const platform = createPlatform(stores.config, stores, createLogger({ level: 'warn', name: 'users' }))
    const db = stores.postgres
    const companyId =
      values.company ??
      (await db.query<{ id: string }>('SELECT id FROM companies ORDER BY id LIMIT 1'))[0]?.id
    if (!companyId) throw new Error('no company in the database: start the server once to load the community')
    const actor = { id: `operator:${userInfo().username}`, role: 'operator', companyId }
    const target = async () => {
      if (!username) throw new Error(USAGE)
      const user = await userRepository.byUsername(db, username.toLowerCase())
      if (!user || user.company_id !== companyId) throw new Error(`no user ${username}`)
      return user
    }
    switch (command) {
      case 'list': {
        for (const user of await platform.users.list(companyId, '', 1000)) {
          const state = user.disabled ? 'disabled' : user.lockedUntil ? 'locked' : 'active'
          io.out(
            `${user.username.padEnd(20)} ${user.role.padEnd(22)} ${user.scope.kind.padEnd(10)} ${state}\n`,
          )
        }
        return 0
      }
      case 'create': {
        if (!username || !values.role || !isRole(values.role))
          throw new Error(`--role must be one of the roles\n${USAGE}`)
        const [kind, ids = ''] = values.scope.split(':') as [string, string?]
        if (!['company', 'community', 'building', 'household'].includes(kind))
          throw new Error(`bad --scope\n${USAGE}`)
        printIssued(
          io,
          await platform.users.create(
            actor,
            {
              username,
              displayName: values.name ?? username,
              role: values.role,
              scope: { kind: kind as ScopeKind, ids: ids ? ids.split(',') : [] },
              residentId: values.resident ?? null,
            },
            null,
          ),
        )
        return 0
      }
      case 'disable':
      case 'enable': {
        const user = await target()
        await platform.users.setDisabled(actor, user.id, command === 'disable', null)
        io.out(`${user.username} ${command}d${command === 'disable' ? '; all sessions ended' : ''}\n`)
        return 0
      }
      case 'reset': {
        const user = await target()
        printIssued(io, await platform.users.resetPassword(actor, user.id, { resetTotp: values.totp }, null))
        return 0
      }
      case 'rotate-keys': {
        io.out(`new signing key ${await platform.keys.rotate()}\n`)
        return 0
      }
      default:
        io.err(USAGE)
        return 2
    }
  } finally {
    await stores.close()
  }
}

if (isEntry(import.meta.url)) runCli(() => usersMain(process.argv.slice(2)))

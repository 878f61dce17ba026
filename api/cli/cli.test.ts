/**
 * The operator commands (`npm run users`, `npm run audit`), run in-process on an embedded database: create,
 * disable, list and reset accounts, sign a tree head, and `audit verify` passing on an honest log and failing after
 * a row is edited in SQL. One run also goes through a real child process, as an operator would.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import {
  configFrom,
  generateCommunity,
  loadCommunitySet,
  migrate,
  openPostgres,
  PiiCipher,
} from '../../data/index.ts'
import { tempDir } from '../../data/testing/temp-dir.ts'
import { auditMain } from './audit.ts'
import type { CliIo } from './open.ts'
import { usersMain } from './users.ts'

describe('npm run users / npm run audit', () => {
  const dir = tempDir('cli-')
  const env = { DATA_DIR: dir.path, AUTH_SCRYPT_LOG_N: '10', PII_KEY: randomBytes(32).toString('base64') }
  const config = configFrom(env)
  const run = async (main: typeof usersMain, ...args: string[]) => {
    let out = ''
    let err = ''
    const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), config }
    const code = await main(args, io).catch((error: unknown) => {
      err += String(error)
      return 1
    })
    return { code, out, err }
  }
  const users = (...args: string[]) => run(usersMain, ...args)
  const audit = (...args: string[]) => run(auditMain, ...args)

  before(async () => {
    const db = await openPostgres({ kind: 'pglite', dir: `${dir.path}/pglite` })
    await migrate(db)
    await loadCommunitySet(
      db,
      new PiiCipher(Buffer.from(env.PII_KEY, 'base64')),
      generateCommunity({ profile: 'small', seed: 1 }),
    )
    await db.close()
  })
  after(() => dir.remove())

  it('creates, lists, disables and resets accounts, printing generated secrets once', async () => {
    const created = await users('create', 'ops-admin', '--role', 'administrator', '--name', 'Ops')
    assert.equal(created.code, 0, created.err)
    assert.match(created.out, /password: \S{10,}/)
    assert.match(created.out, /TOTP: otpauth:\/\/totp\//)
    const planner = await users('create', 'ops-planner', '--role', 'planner', '--scope', 'community:c01')
    assert.equal(planner.code, 0, planner.err)
    const refused = await users('create', 'bad', '--role', 'resident', '--scope', 'community:c01')
    assert.notEqual(refused.code, 0)
    assert.equal((await users('disable', 'ops-planner')).code, 0)
    const list = await users('list')
    assert.match(list.out, /ops-planner\s+planner\s+community\s+disabled/)
    const reset = await users('reset', 'ops-planner')
    assert.match(reset.out, /password: /)
  })

  it('verifies an honest log, and fails once a row was edited in SQL', async () => {
    assert.equal((await audit('sign')).code, 0)
    const honest = await audit('verify', '--json')
    assert.equal(honest.code, 0, honest.out + honest.err)
    const report = JSON.parse(honest.out) as { ok: boolean; entries: number; coveredEntries: number }
    assert.ok(report.ok && report.entries >= 4 && report.coveredEntries === report.entries)

    const db = await openPostgres({ kind: 'pglite', dir: `${dir.path}/pglite` })
    await db.exec('ALTER TABLE audit_log DISABLE TRIGGER USER')
    await db.query("UPDATE audit_log SET actor_id = 'nobody' WHERE seq = 1")
    await db.close()
    const tampered = await audit('verify')
    assert.equal(tampered.code, 1)
    assert.match(tampered.out, /edited: entry 1/)
  })

  it('runs as `npm run audit -- verify` in its own process, exiting 1 on the tampered log', async () => {
    const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'api/cli/audit.ts', 'verify'], {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
      child.on('exit', (code) => resolve({ code, out }))
    })
    assert.equal(result.code, 1)
    assert.match(result.out, /FAILED/)
  })
})

/**
 * Demo accounts: created once, on an empty users table, one per role, printed once without personal data, and
 * each able to sign in with the printed credentials.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  configFrom,
  createLogger,
  generateCommunity,
  loadCommunitySet,
  migrate,
  openPostgres,
  PiiCipher,
  totpCode,
  totpStep,
} from '../../data/index.ts'
import { tempDir } from '../../data/testing/temp-dir.ts'
import { createApp } from '../app.ts'
import { roles } from '../auth/permissions.ts'
import { createPlatform } from '../platform.ts'
import { PLAINTEXT_PII } from '../testing/dump.ts'
import { demoAccountsWanted, ensureDemoAccounts } from './demo-accounts.ts'

describe('ensureDemoAccounts', () => {
  it('creates one account per role once, prints them once without personal data, and they sign in', async () => {
    const dir = tempDir('demo-')
    const db = await openPostgres({ kind: 'pglite', dir: 'memory://' })
    try {
      await migrate(db)
      const pii = new PiiCipher(randomBytes(32))
      const set = generateCommunity({ profile: 'small', seed: 7 })
      await loadCommunitySet(db, pii, set)
      const config = configFrom({ DATA_DIR: dir.path, AUTH_SCRYPT_LOG_N: '10' })
      const log = createLogger({ level: 'silent' })
      const stores = {
        postgres: db,
        pii,
        clickhouse: undefined as never,
        influx: null,
        close: () => Promise.resolve(),
      }
      const platform = createPlatform(config, stores, log)
      let printed = ''
      const accounts = await ensureDemoAccounts(platform, log, (text) => (printed += text))
      assert.equal(accounts?.length, roles.length)
      assert.equal(await ensureDemoAccounts(platform, log, (text) => (printed += text)), null, 'only once')
      for (const account of accounts ?? []) assert.ok(printed.includes(account.password))
      assert.doesNotMatch(printed, PLAINTEXT_PII)
      const names = set.communities.flatMap((c) => c.residents.map((r) => r.name))
      assert.ok(!names.some((name) => printed.includes(name)), 'no resident names')

      const app = createApp({ stores, log, config, platform })
      for (const account of accounts ?? []) {
        const body = {
          username: account.username,
          password: account.password,
          ...(account.totpSecret ? { totp: totpCode(account.totpSecret, totpStep(Date.now())) } : {}),
        }
        const response = await app.request('/api/v1/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
        assert.equal(response.status, 200, account.role)
      }
      assert.equal(demoAccountsWanted(config), true, 'on by default on the embedded database')
      assert.equal(demoAccountsWanted(configFrom({ DATABASE_URL: 'postgres://h/d' })), false)
    } finally {
      await db.close()
      dir.remove()
    }
  })
})

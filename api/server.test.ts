import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { configFrom, createLogger } from '../data/index.ts'
import type { HealthBody } from './routes/health.ts'
import { startServer, type RunningServer } from './server.ts'
import { tempDir } from '../data/testing/temp-dir.ts'

const silent = createLogger({ level: 'silent' })

describe('startServer on embedded defaults', () => {
  const dir = tempDir('server-')
  let server: RunningServer

  before(async () => {
    const config = configFrom({ DATA_DIR: dir.path, PORT: '0', COMMUNITY_PROFILE: 'small', SIMULATOR: '0' })
    server = await startServer(config, silent)
  })
  after(async () => {
    await server.close()
    dir.remove()
  })

  it('serves /api/v1/health with every store up, its kind, version and latency', async () => {
    const response = await fetch(`${server.url}/api/v1/health`)
    assert.equal(response.status, 200)
    const body = (await response.json()) as HealthBody
    assert.equal(body.status, 'ok')
    const byStore = Object.fromEntries(body.stores.map((s) => [s.store, s]))
    assert.equal(byStore.postgres?.kind, 'pglite')
    assert.equal(byStore.postgres?.status, 'ok')
    assert.match(byStore.postgres?.version ?? '', /^\d+/)
    assert.equal(byStore.clickhouse?.kind, 'chdb')
    assert.equal(byStore.clickhouse?.status, 'ok')
    assert.equal(typeof byStore.clickhouse?.latencyMs, 'number')
    assert.equal(byStore.influx?.status, 'off')
  })

  it('loaded the community into PostgreSQL, with personal data only encrypted', async () => {
    const db = server.stores.postgres
    const [counts] = await db.query<{ buildings: number; residents: number; devices: number }>(
      `SELECT (SELECT count(*) FROM buildings)::int AS buildings, (SELECT count(*) FROM residents)::int AS residents,
              (SELECT count(*) FROM devices)::int AS devices`,
    )
    assert.ok((counts?.buildings ?? 0) > 0 && (counts?.residents ?? 0) > 0 && (counts?.devices ?? 0) > 0)
    const [resident] = await db.query<{ id_number_enc: Uint8Array }>(
      'SELECT id_number_enc FROM residents LIMIT 1',
    )
    assert.ok(resident)
    assert.match(server.stores.pii.decrypt(resident.id_number_enc), /^\d{17}[\dX]$/)
  })

  it('answers unknown routes with the JSON error shape', async () => {
    const response = await fetch(`${server.url}/api/v1/nope`)
    assert.equal(response.status, 404)
    const body = (await response.json()) as { error: { code: string; message: string } }
    assert.equal(body.error.code, 'not_found')
  })
})

describe('npm start with a bad setting', () => {
  function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      child.on('exit', (code) => resolve({ code, stderr }))
    })
  }

  it('exits non-zero with one line naming DATABASE_URL when the server is unreachable', async () => {
    const dir = tempDir('bad-db-')
    try {
      const { code, stderr } = await start({ DATABASE_URL: 'postgres://127.0.0.1:1/x', DATA_DIR: dir.path })
      assert.notEqual(code, 0)
      const lines = stderr.trim().split('\n')
      assert.equal(lines.length, 1, stderr)
      assert.match(lines[0] ?? '', /^config: DATABASE_URL="postgres:\/\/127\.0\.0\.1:1\/x" is unreachable/)
    } finally {
      dir.remove()
    }
  })

  it('exits non-zero with one line naming PORT when it is invalid', async () => {
    const { code, stderr } = await start({ PORT: 'abc' })
    assert.notEqual(code, 0)
    assert.match(stderr.trim(), /^config: PORT="abc" [^\n]+$/)
  })
})

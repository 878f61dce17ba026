/**
 * `npm run bench:api -- [--json] [--seconds 10] [--connections 50] [--database-url postgres://…]`
 *
 * In one run against the PostgreSQL server (TEST_DATABASE_URL, else DATABASE_URL, else the local server), in a
 * throwaway database holding the default community (~4,700 residents):
 *  (a) a bare Hono route on @hono/node-server (`GET /bare` → small JSON), the ceiling of the HTTP stack here;
 *  (b) the records route as a client uses it: `GET /api/v1/residents?limit=20&cursor=…` with a bearer token —
 *      signed-in, permission-checked, scope-filtered, keyset-paginated, personal data masked — on the full app with
 *      its default configuration (list pages reused for up to API_LIST_CACHE_MS = 1 s);
 *  (c) the same route with that cache off (API_LIST_CACHE_MS=0): every request reads PostgreSQL. Reported beside
 *      (b) so the figure is not mistaken for a database round trip per request.
 * Every request carries `Accept-Encoding: gzip, deflate, br`, as a browser's (and the wall screen's) does, so the
 * records pages travel gzip-compressed (compressed once per cached page); (b) is also measured for a client that
 * sends no Accept-Encoding (`recordsIdentity`, `ratioIdentity`: the 7 KB page uncompressed).
 * The load generator is its own process (50 keep-alive connections by default). Target: (b) ≥ 0.5 × (a) requests
 * per second, and (b)'s p99 ≤ 50 ms. Prints one JSON line. Diagnostics: `--probe-me` also measures `GET /api/v1/me`
 * and a bare route serving the records page's bytes (to separate the cost of the stack from the cost of the
 * payload); `--records-only` skips (a) and (c) (for profiling).
 */
import { fork } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import {
  configFrom,
  createLogger,
  generateCommunity,
  loadCommunitySet,
  loadConfig,
  loadTestServers,
  migrate,
  openPostgres,
  PiiCipher,
  type Stores,
} from '../data/index.ts'
import { createTempDatabase } from '../data/testing/servers.ts'
import { tempDir } from '../data/testing/temp-dir.ts'
import { createApp } from '../api/app.ts'
import { createPlatform } from '../api/platform.ts'
import { encodeCursor } from '../api/records/service.ts'
import { cpuPer, type LoadAsk, type LoadResult } from './api-load.ts'

const loader = fileURLToPath(new URL('./api-load.ts', import.meta.url))

/** What one route got: the load generator's figures and this (the server's) process's CPU per response. */
type Measured = LoadResult & { readonly serverCpuUsPerRequest: number }

async function load(ask: LoadAsk): Promise<Measured> {
  const before = process.cpuUsage()
  const result = await runChild(ask)
  return { ...result, serverCpuUsPerRequest: cpuPer(process.cpuUsage(before), result.responses) }
}

function runChild(ask: LoadAsk): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(loader, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    child.once('message', (result: LoadResult) => {
      child.kill()
      resolve(result)
    })
    child.once(
      'exit',
      (code) => code !== 0 && code !== null && reject(new Error(`load generator exited with ${code}`)),
    )
    child.send(ask)
  })
}

function listen(
  fetch: (request: Request) => Response | Promise<Response>,
): Promise<{ port: number; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve({ port: info.port, close: () => new Promise((done) => server.close(() => done())) }),
    )
  })
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      'database-url': { type: 'string' },
      'probe-me': { type: 'boolean', default: false },
      'records-only': { type: 'boolean', default: false },
    },
  })
  const connections = Number(values.connections)
  const durationMs = Number(values.seconds) * 1000
  const env = loadConfig()
  const serverUrl =
    values['database-url'] ??
    loadTestServers().TEST_DATABASE_URL ??
    (env.postgres.kind === 'server' ? env.postgres.url : 'postgres://postgres@127.0.0.1:5432/postgres')
  const say = (text: string) => values.json || process.stderr.write(`${text}\n`)

  const temp = await createTempDatabase(serverUrl)
  const dir = tempDir('bench-api-')
  const db = await openPostgres({ kind: 'server', url: temp.url, maxConnections: 16 })
  const closers: (() => Promise<void>)[] = [
    async () => {
      await db.close()
      await temp.drop()
      dir.remove()
    },
  ]
  try {
    await migrate(db)
    const pii = new PiiCipher(Buffer.alloc(32, 7))
    const set = generateCommunity({ profile: 'default', seed: 20261125 })
    await loadCommunitySet(db, pii, set)
    // What autovacuum does within a minute of a bulk load; without statistics the planner sorts whole tables.
    await db.exec('ANALYZE')
    const config = configFrom({ DATA_DIR: dir.path, LOG_LEVEL: 'warn', AUTH_SCRYPT_LOG_N: '14' })
    const log = createLogger({ level: 'warn' })
    const stores: Stores = {
      postgres: db,
      pii,
      clickhouse: undefined as never,
      influx: null,
      close: () => Promise.resolve(),
    }
    const platform = createPlatform(config, stores, log)
    const app = createApp({ stores, log, config, platform })
    const uncachedConfig = configFrom({ DATA_DIR: dir.path, LOG_LEVEL: 'warn', API_LIST_CACHE_MS: '0' })
    const uncachedApp = createApp({
      stores,
      log,
      config: uncachedConfig,
      platform: createPlatform(uncachedConfig, stores, log),
    })
    const community = set.communities[0]?.id ?? 'c01'
    const issued = await platform.users.create(
      { id: 'bench', role: 'operator', companyId: set.company.id },
      {
        username: 'bench',
        displayName: 'bench',
        role: 'customer_service',
        scope: { kind: 'community', ids: [community] },
      },
      null,
    )
    const records = await listen(app.fetch)
    closers.push(records.close)
    const uncached = await listen(uncachedApp.fetch)
    closers.push(uncached.close)
    const signIn = await fetch(`http://127.0.0.1:${records.port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: issued.password }),
    })
    const { accessToken } = (await signIn.json()) as { accessToken: string }
    // Each connection reads its own page: 50 different cursors spread over the residents.
    const ids = (
      await db.query<{ id: string }>('SELECT id FROM residents WHERE community_id = $1 ORDER BY id', [
        community,
      ])
    ).map((r) => r.id)
    const paths = Array.from({ length: connections }, (_, i) => {
      const after = ids[Math.floor((i * ids.length) / connections)]
      return `/api/v1/residents?limit=20${i > 0 && after ? `&cursor=${encodeCursor(after)}` : ''}`
    })
    const probe = await fetch(`http://127.0.0.1:${records.port}${paths[1]}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    })
    const page = (await probe.json()) as { items: { phone: string | null }[] }
    if (probe.status !== 200 || page.items.length !== 20)
      throw new Error(`records route answered ${probe.status}`)
    say(
      `records route ok: ${page.items.length} residents a page, phone shown as ${page.items.find((r) => r.phone)?.phone}`,
    )

    const bareApp = new Hono().get('/bare', (c) => c.json({ ok: true }))
    const bare = await listen(bareApp.fetch)
    closers.push(bare.close)
    const base = { host: '127.0.0.1', connections, warmupMs: 2000, durationMs }
    // Every client asks as a browser (and the wall screen's fetch) does: with Accept-Encoding.
    const browser = { 'accept-encoding': 'gzip, deflate, br' }
    const bearer = { ...browser, authorization: `Bearer ${accessToken}` }
    say('measuring the bare route…')
    const skipped: Measured = {
      requests: 0,
      rps: 0,
      p50Ms: 0,
      p99Ms: 0,
      maxMs: 0,
      non2xx: 0,
      errors: 0,
      responses: 0,
      clientCpuUsPerRequest: 0,
      serverCpuUsPerRequest: 0,
    }
    const bareResult = values['records-only']
      ? skipped
      : await load({ ...base, port: bare.port, paths: ['/bare'], headers: browser })
    say('measuring the records route…')
    const recordsResult = await load({ ...base, port: records.port, paths, headers: bearer })
    say('measuring the records route for a client without Accept-Encoding…')
    const identityResult = values['records-only']
      ? skipped
      : await load({
          ...base,
          port: records.port,
          paths,
          headers: { authorization: `Bearer ${accessToken}` },
        })
    if (values['probe-me']) {
      const payload = await (
        await fetch(`http://127.0.0.1:${records.port}${paths[1]}`, {
          headers: { authorization: `Bearer ${accessToken}` },
        })
      ).text()
      const fat = await listen(
        new Hono().get('/fat', (c) => c.body(payload, 200, { 'Content-Type': 'application/json' })).fetch,
      )
      closers.push(fat.close)
      const fatResult = await load({ ...base, port: fat.port, paths: ['/fat'], headers: {} })
      process.stderr.write(
        `bare route with the records page as its body (${payload.length} chars): ${JSON.stringify(fatResult)}\n`,
      )
      const meResult = await load({
        ...base,
        port: records.port,
        paths: ['/api/v1/me'],
        headers: { authorization: `Bearer ${accessToken}` },
      })
      process.stderr.write(`me: ${JSON.stringify(meResult)}\n`)
    }
    say('measuring the records route without the list cache…')
    const uncachedResult = values['records-only']
      ? skipped
      : await load({
          ...base,
          port: uncached.port,
          paths,
          headers: bearer,
        })
    const ratio = Math.round((recordsResult.rps / Math.max(1, bareResult.rps)) * 1000) / 1000
    const line = {
      bench: 'api',
      database: 'postgresql-server',
      connections,
      seconds: durationMs / 1000,
      bare: bareResult,
      records: recordsResult,
      ratio,
      recordsIdentity: identityResult,
      ratioIdentity: Math.round((identityResult.rps / Math.max(1, bareResult.rps)) * 1000) / 1000,
      recordsWithoutListCache: uncachedResult,
      ratioWithoutListCache: Math.round((uncachedResult.rps / Math.max(1, bareResult.rps)) * 1000) / 1000,
      target: { ratio: 0.5, p99Ms: 50 },
      pass:
        ratio >= 0.5 && recordsResult.p99Ms <= 50 && recordsResult.non2xx === 0 && recordsResult.errors === 0,
    }
    process.stdout.write(JSON.stringify(line) + '\n')
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined)
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:api failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})

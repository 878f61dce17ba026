/**
 * The HTTP edge: one error shape with a request id for every failure, no stack traces, 413 for oversized bodies,
 * 429 with Retry-After when rate limited, 400 for malformed JSON and unknown fields, and the request id in the
 * response headers and the logs. Also the rate limiter on its own.
 */
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { serve, type ServerType } from '@hono/node-server'
import { createLogger } from '../../data/index.ts'
import { createApp } from '../app.ts'
import { publicRoute } from '../auth/policy.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'
import { RateLimiter } from './rate-limit.ts'

describe('the HTTP edge', () => {
  let f: Fixture
  let app: ReturnType<typeof createApp>
  const logged: string[] = []

  before(async () => {
    f = await openFixture(await openTestDatabase(), {
      API_BODY_LIMIT_BYTES: '2048',
      API_RATE_LIMIT_PER_MINUTE: '400',
    })
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged.push(chunk.toString())
        done()
      },
    })
    app = createApp({
      stores: {
        postgres: f.db,
        pii: f.platform.pii,
        clickhouse: undefined as never,
        influx: null,
        close: () => Promise.resolve(),
      },
      log: createLogger({ level: 'debug' }, sink),
      config: f.config,
      platform: f.platform,
    })
    app.get('/api/v1/test/boom', publicRoute(), () => {
      throw new Error('internal detail: password=hunter2 at db.ts:12:3')
    })
    app.get('/api/v1/test/plain', publicRoute(), (c) => c.json({ ok: true }))
    app.get('/api/v1/test/cached', publicRoute(), (c) => {
      c.header('Cache-Control', 'private, max-age=60')
      return c.json({ ok: true })
    })
  })
  after(() => f.close())

  const call = (path: string, init: RequestInit = {}) => Promise.resolve(app.request(path, init))
  const errorOf = async (response: Response) =>
    (await response.json()) as { error: { code: string; message: string; requestId: string } }

  it('answers an unexpected failure with a generic 500, its request id, and no internals', async () => {
    const response = await call('/api/v1/test/boom')
    assert.equal(response.status, 500)
    const text = await response.text()
    assert.doesNotMatch(text, /hunter2|db\.ts|at |Error/)
    const body = JSON.parse(text) as { error: { code: string; requestId: string } }
    assert.equal(body.error.code, 'internal')
    assert.equal(body.error.requestId, response.headers.get('x-request-id'))
    assert.ok(logged.some((line) => line.includes(body.error.requestId) && line.includes('unhandled error')))
  })

  it('answers 413 to a body over the limit', async () => {
    const response = await call('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'x', password: 'y'.repeat(5000) }),
    })
    assert.equal(response.status, 413)
    assert.equal((await errorOf(response)).error.code, 'too_large')
  })

  it('answers 400 to malformed JSON and to unknown fields, naming the field but not echoing values', async () => {
    const bad = await call('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":',
    })
    assert.equal(bad.status, 400)
    assert.equal((await errorOf(bad)).error.code, 'bad_request')
    const extra = await call('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'a', password: 'b', role: 'administrator' }),
    })
    assert.equal(extra.status, 400)
    assert.match((await errorOf(extra)).error.message, /role/)
  })

  it('refuses mass assignment: fields outside the schema are rejected, not ignored', async () => {
    const response = await call(`/api/v1/residents/${f.ids.resident}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${f.tokens.customer_service}` },
      body: JSON.stringify({ occupation: 'home', communityId: f.ids.otherCommunity }),
    })
    assert.equal(response.status, 400)
    const [row] = await f.db.query<{ community_id: string }>(
      'SELECT community_id FROM residents WHERE id = $1',
      [f.ids.resident],
    )
    assert.equal(row?.community_id, f.ids.community)
  })

  it('answers 415 to a body of another media type', async () => {
    const response = await call('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    })
    assert.equal(response.status, 415)
    assert.equal((await errorOf(response)).error.code, 'unsupported_media_type')
  })

  it('puts a request id in every response and in the access log, and keeps one the client sent', async () => {
    const response = await call('/api/v1/health', { headers: { 'x-request-id': 'client-abc-123' } })
    assert.equal(response.headers.get('x-request-id'), 'client-abc-123')
    assert.ok(logged.some((line) => line.includes('"requestId":"client-abc-123"')))
    const other = await call('/api/v1/nope')
    assert.equal(other.status, 404)
    assert.equal((await errorOf(other)).error.requestId, other.headers.get('x-request-id'))
  })

  it('sends the default headers over a real socket too, where a route may override them', async () => {
    const server = await new Promise<ServerType>((resolve) => {
      const started: ServerType = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
        resolve(started),
      )
    })
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      for (const [path, status, cacheControl] of [
        ['/api/v1/test/plain', 200, 'no-store'],
        ['/api/v1/test/cached', 200, 'private, max-age=60'],
        ['/api/v1/test/boom', 500, 'no-store'],
        ['/api/v1/nope', 404, 'no-store'],
      ] as const) {
        const response = await fetch(base + path, { headers: { 'x-request-id': `socket-${status}` } })
        const text = await response.text()
        assert.equal(response.status, status, `${path}: ${text}`)
        assert.equal(response.headers.get('x-request-id'), `socket-${status}`, path)
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path)
        assert.equal(response.headers.get('cache-control'), cacheControl, path)
      }
    } finally {
      await new Promise((done) => server.close(done))
    }
  })

  it('answers 429 with Retry-After once a client exceeds the rate limit', async () => {
    let last: Response | undefined
    for (let i = 0; i < 420 && last?.status !== 429; i++) last = await call('/api/v1/health')
    assert.equal(last?.status, 429)
    assert.ok(Number(last?.headers.get('retry-after')) >= 1)
    assert.equal((await errorOf(last)).error.code, 'rate_limited')
  })
})

describe('RateLimiter', () => {
  it('allows the limit per window, then refuses until the window resets', () => {
    let now = 0
    const limiter = new RateLimiter(3, 1000, () => now)
    assert.deepEqual(
      [1, 2, 3, 4].map(() => limiter.hit('a').allowed),
      [true, true, true, false],
    )
    assert.equal(limiter.hit('b').allowed, true, 'keys are independent')
    now = 1000
    assert.equal(limiter.hit('a').allowed, true)
    limiter.reset('a')
    assert.equal(limiter.count('a'), 0)
  })
})

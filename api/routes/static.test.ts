import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { after, describe, it } from 'node:test'
import { Hono } from 'hono'
import { tempDir } from '../../data/testing/temp-dir.ts'
import { staticRoutes } from './static.ts'

function appOn(root: string): Hono {
  const app = new Hono()
  app.get('/api/v1/health', (c) => c.json({ status: 'ok' }))
  app.route('/', staticRoutes({ root }))
  app.notFound((c) => c.json({ error: { code: 'not_found' } }, 404))
  return app
}

describe('staticRoutes', () => {
  const dir = tempDir('static-')
  const js = 'console.log("twin")'
  mkdirSync(join(dir.path, 'assets'))
  writeFileSync(join(dir.path, 'index.html'), '<!doctype html><title>twin</title>')
  writeFileSync(join(dir.path, 'assets', 'index-abc123.js'), js)
  writeFileSync(join(dir.path, 'assets', 'index-abc123.js.gz'), gzipSync(js))
  const app = appOn(dir.path)
  after(() => dir.remove())

  it('serves index.html at / without long caching', async () => {
    const response = await app.request('/')
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /text\/html/)
    assert.equal(response.headers.get('cache-control'), 'no-cache')
  })

  it('serves hashed assets immutable, precompressed when the client accepts gzip', async () => {
    const plain = await app.request('/assets/index-abc123.js')
    assert.equal(plain.status, 200)
    assert.equal(plain.headers.get('cache-control'), 'public, max-age=31536000, immutable')
    assert.equal(await plain.text(), js)
    const gzip = await app.request('/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip' } })
    assert.equal(gzip.headers.get('content-encoding'), 'gzip')
  })

  it('falls back to index.html for client routes, but not for missing assets or reserved paths', async () => {
    const route = await app.request('/maintenance/alerts')
    assert.equal(route.status, 200)
    assert.match(await route.text(), /<title>twin/)
    assert.equal((await app.request('/assets/gone-000.js')).status, 404)
    const api = await app.request('/api/v1/nope')
    assert.equal(api.status, 404)
    assert.deepEqual(await api.json(), { error: { code: 'not_found' } })
    assert.equal((await app.request('/metrics')).status, 404)
    assert.equal((await app.request('/api/v1/health')).status, 200)
  })

  it('answers 503 with what to run while the UI is not built', async () => {
    const empty = tempDir('static-empty-')
    try {
      const response = await appOn(empty.path).request('/')
      assert.equal(response.status, 503)
      assert.match(await response.text(), /npm run build:ui/)
    } finally {
      empty.remove()
    }
  })
})

/**
 * Property-based fuzzing of every route in the OpenAPI registry (fast-check): random path ids (real ones of every
 * scope, and garbage), random query strings, random or half-valid JSON bodies, random callers (every role, none,
 * a forged token). Whatever comes in: no 5xx, no stack trace, and every response matches the schema declared for
 * its status — or the error shape. Runs on PGlite and on the PostgreSQL server.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import type { z } from '@hono/zod-openapi'
import { testServer } from '../data/testing/servers.ts'
import { roles } from './auth/permissions.ts'
import { errorBodySchema } from './http/errors.ts'
import { openFixture, openTestDatabase, type Fixture } from './testing/fixture.ts'

interface RouteDef {
  method: string
  path: string
  request?: {
    params?: z.ZodType
    query?: z.ZodType
    body?: { content: Record<string, { schema: z.ZodType }> }
  }
  responses: Record<string, { content?: Record<string, { schema: z.ZodType }> }>
}

const STACK = /\bat [\w.<>]+ \(|\.ts:\d+:\d+|node_modules|Error: /

/** The keys of a zod object schema (to build half-valid bodies and queries). */
function keysOf(schema: z.ZodType | undefined): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape
  return shape ? Object.keys(shape) : []
}

function fuzzSuite(label: string, url: string | undefined, runs: number): void {
  describe(`fuzzing every route: ${label}`, () => {
    let f: Fixture
    let routes: RouteDef[]
    before(async () => {
      f = await openFixture(await openTestDatabase(url))
      routes = f.app.openAPIRegistry.definitions.flatMap((d) =>
        d.type === 'route' ? [d.route as unknown as RouteDef] : [],
      )
    })
    after(() => f.close())

    it('covers the registered routes', () => assert.ok(routes.length >= 60, `${routes.length} routes`))

    it('never answers 5xx, never shows a stack trace, and every response matches its schema', async () => {
      const ids = Object.values(f.ids)
      const idArb = fc.oneof(
        fc.constantFrom(...ids),
        fc.string({ maxLength: 80 }),
        fc.constantFrom('%00', '..%2f..', "1' OR '1'='1", 'null', '-1', 'x'.repeat(70), '😀'),
      )
      const jsonArb = fc.jsonValue({ maxDepth: 3 })
      const callerArb = fc.oneof(
        { arbitrary: fc.constantFrom(...roles).map((role) => f.tokens[role]), weight: 4 },
        fc.constant(undefined),
        fc.string({ maxLength: 40 }),
      )
      // Signing out with a fixture token would end that role's session for the rest of the run.
      const anonymousArb = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 40 }))
      const statuses = new Map<number, number>()
      for (const route of routes) {
        const paramKeys = (route.path.match(/\{(\w+)\}/g) ?? []).map((k) => k.slice(1, -1))
        const queryKeys = keysOf(route.request?.query)
        const bodySchema = route.request?.body?.content['application/json']?.schema
        const bodyKeys = keysOf(bodySchema)
        const requestArb = fc.record({
          params: fc.tuple(...paramKeys.map(() => idArb)),
          query: fc.dictionary(
            fc.oneof(fc.constantFrom(...(queryKeys.length ? queryKeys : ['x'])), fc.string({ maxLength: 8 })),
            fc.oneof(
              fc.string({ maxLength: 20 }),
              fc.integer().map(String),
              fc.constantFrom('true', '0', '-5', '999999'),
            ),
            { maxKeys: 4 },
          ),
          body: fc.oneof(
            jsonArb,
            fc.dictionary(
              fc.oneof(fc.constantFrom(...(bodyKeys.length ? bodyKeys : ['x'])), fc.string({ maxLength: 8 })),
              jsonArb,
              { maxKeys: 6 },
            ),
            fc.constant('{"unterminated'),
          ),
          caller: route.path.endsWith('/auth/logout') ? anonymousArb : callerArb,
        })
        await fc.assert(
          fc.asyncProperty(requestArb, async ({ params, query, body, caller }) => {
            let path = route.path
            paramKeys.forEach(
              (key, i) => (path = path.replace(`{${key}}`, encodeURIComponent(String(params[i])))),
            )
            const search = new URLSearchParams(query).toString()
            const response = await f.request(
              route.method.toUpperCase(),
              search ? `${path}?${search}` : path,
              {
                token: caller,
                ...(route.method === 'get' ? {} : { body }),
              },
            )
            const text = await response.text()
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
            const where = `${route.method} ${path}?${search} → ${response.status}: ${text.slice(0, 300)}`
            assert.ok(response.status < 500, where)
            assert.doesNotMatch(text, STACK, where)
            if (response.status === 204) return
            const type = (response.headers.get('content-type') ?? '').split(';')[0] ?? ''
            if (response.status < 400 && type !== 'application/json') {
              // A file (export): the route must declare that media type for this status.
              const content = route.responses[String(response.status)]?.content ?? {}
              assert.ok(type in content, `undeclared ${type} for ${where}`)
              return
            }
            const json = JSON.parse(text) as unknown
            const declared = route.responses[String(response.status)]?.content?.['application/json']?.schema
            const schema = response.status < 400 ? declared : errorBodySchema
            assert.ok(schema, `no schema declared for ${where}`)
            const parsed = schema.safeParse(json)
            assert.ok(parsed.success, `${where}\n${parsed.success ? '' : parsed.error.message}`)
          }),
          { numRuns: runs },
        )
      }
      // The properties must have reached the handlers, not only the guards.
      const ok = [...statuses].filter(([status]) => status < 300).reduce((sum, [, n]) => sum + n, 0)
      assert.ok(
        ok >= Math.min(routes.length, runs * 3),
        `only ${ok} successful responses: ${JSON.stringify([...statuses])}`,
      )
      assert.ok((statuses.get(400) ?? 0) > 0 && (statuses.get(404) ?? 0) > 0 && (statuses.get(403) ?? 0) > 0)
    })

    it('answers the document, the docs page and unknown routes without 5xx', async () => {
      for (const path of [
        '/api/v1/openapi.json',
        '/api/v1/docs',
        '/api/v1/nope',
        '/api/v2/x',
        '/metrics',
        '/ingest/v1/batch',
      ]) {
        const response = await f.request('GET', path)
        assert.ok(response.status < 500, path)
      }
    })
  })
}

fuzzSuite('PGlite', undefined, 25)
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () =>
  fuzzSuite('PostgreSQL server', server.url, 10),
)

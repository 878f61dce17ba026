/**
 * The OpenAPI 3.1 document, generated from the route schemas (`GET /api/v1/openapi.json`), with each operation's
 * declared policy added as `x-permission` and a bearer security requirement; and a small browsable page
 * (`GET /api/v1/docs`) that renders it without loading anything from outside.
 */
import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../auth/context.ts'
import { publicRoute, routePolicies, type RoutePolicy } from '../auth/policy.ts'
import { routeApp } from './openapi.ts'

function describePolicy(policy: RoutePolicy | null): string {
  if (!policy) return 'undeclared'
  return policy.kind === 'permission' ? policy.permission : policy.kind
}

const PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>API · 社区数字孪生</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1d2733}
h1{font-size:1.4rem} details{border:1px solid #d5dde6;border-radius:6px;margin:.4rem 0;padding:.3rem .7rem}
summary{cursor:pointer} .m{display:inline-block;width:4.5rem;font-weight:600;text-transform:uppercase}
.p{font-family:ui-monospace,monospace} .perm{float:right;color:#5b6b7d;font-family:ui-monospace,monospace}
pre{background:#f4f6f9;padding:.6rem;overflow:auto;max-height:24rem}
</style></head><body><h1>Community twin API <small id="v"></small></h1>
<p>Sign in with <code>POST /api/v1/auth/login</code>, then send <code>Authorization: Bearer &lt;accessToken&gt;</code>.
The machine-readable document is <a href="openapi.json">openapi.json</a>.</p><div id="ops"></div>
<script>
fetch('openapi.json').then(r => r.json()).then(doc => {
  document.getElementById('v').textContent = doc.info.version
  const ops = document.getElementById('ops')
  for (const [path, item] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(item)) {
    const d = document.createElement('details'), s = document.createElement('summary')
    const m = document.createElement('span'); m.className = 'm'; m.textContent = method
    const p = document.createElement('span'); p.className = 'p'; p.textContent = path
    const perm = document.createElement('span'); perm.className = 'perm'; perm.textContent = op['x-permission'] || ''
    s.append(m, p, ' — ', op.summary || '', perm); d.append(s)
    const pre = document.createElement('pre'); pre.textContent = JSON.stringify(op, null, 2); d.append(pre)
    ops.append(d)
  }
})
</script></body></html>`

/** The document and page routes; `root` is the whole app, read when the document is requested. */
export function docsRoutes(root: OpenAPIHono<AppEnv>) {
  const app = routeApp()
  app.get('/openapi.json', publicRoute(), (c) => {
    const doc = root.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Community digital twin and command center API',
        version: '1.0.0',
        description:
          'Errors are {error: {code, message, requestId}}. Personal data is masked unless unmasked (audited).',
      },
      servers: [{ url: '/' }],
    })
    const components = (doc.components ??= {})
    components.securitySchemes = { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }
    const paths = (doc.paths ?? {}) as Record<string, Record<string, Record<string, unknown>>>
    for (const route of routePolicies(root)) {
      const operation = paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()]
      if (!operation) continue
      operation['x-permission'] = describePolicy(route.policy)
      if (route.policy && route.policy.kind !== 'public') operation.security = [{ bearer: [] }]
    }
    return c.json(doc)
  })
  app.get('/docs', publicRoute(), (c) => {
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
    )
    return c.html(PAGE)
  })
  return app
}

/**
 * `tsx bench/workorders.ts [--orders 2000] [--plans 2000] [--lifecycles 30] [--pglite]`
 *
 * Property operations (work orders, maintenance) on the PostgreSQL server (TEST_DATABASE_URL, else the local
 * server; `--pglite` for the embedded store), in a throwaway database holding the small generated community:
 *  (a) the SLA job escalating N overdue orders (each its own transaction: lock, update, history row, audit entry);
 *  (b) the missed-plan check raising an alert for N missed maintenance plans;
 *  (c) a repair request's whole lifecycle through `app.request()` (create, assign, accept, start, resolve,
 *      return visit, verify, close: 8 signed-in, permission- and scope-checked, audited requests), p50/p95.
 * Prints one JSON line.
 */
import { parseArgs } from 'node:util'
import { loadTestServers } from '../data/index.ts'
import { MaintenanceMonitor } from '../api/equipment/monitor.ts'
import { openFixture, openTestDatabase } from '../api/testing/fixture.ts'
import { SlaMonitor } from '../api/workorders/sla-monitor.ts'

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000' },
    plans: { type: 'string', default: '2000' },
    lifecycles: { type: 'string', default: '30' },
    pglite: { type: 'boolean', default: false },
    // One JSON line is always printed; accepted for the same command line as the other benchmarks.
    json: { type: 'boolean', default: true },
  },
})
const orders = Number(values.orders)
const plans = Number(values.plans)
const lifecycles = Number(values.lifecycles)
const url = values.pglite
  ? undefined
  : (loadTestServers().TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')

const f = await openFixture(await openTestDatabase(url))
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0
try {
  const [company] = await f.db.query<{ id: string }>(
    'SELECT company_id AS id FROM communities WHERE id = $1',
    [f.ids.community],
  )
  await f.db.query(
    `INSERT INTO work_orders (id, company_id, community_id, building_id, source, category, skill, title, priority,
       state, created_at, updated_at, sla_started_at, respond_due_at, due_at)
     SELECT 'wo-bench-' || g, $1, $2, $3, 'staff', 'general', 'general', 'bench', 'normal', 'new',
       now() - interval '5 days', now() - interval '5 days', now() - interval '5 days',
       now() - interval '5 days' + interval '2 hours', now() - interval '2 days'
     FROM generate_series(1, $4::int) g`,
    [company?.id, f.ids.community, f.ids.building, orders],
  )
  const sla = new SlaMonitor({ db: f.db, auditor: f.platform.auditor, batch: orders })
  let t = performance.now()
  const escalated = await sla.check()
  const slaMs = performance.now() - t

  const [device] = await f.db.query<{ id: string }>(
    `SELECT id FROM devices WHERE community_id = $1 AND kind = 'elevator' ORDER BY id LIMIT 1`,
    [f.ids.community],
  )
  await f.db.query(
    `INSERT INTO maintenance_plans (id, company_id, community_id, device_id, device_kind, name, interval_days,
       next_due_at, created_by, created_at, updated_at)
     SELECT 'mp-bench-' || g, $1, $2, $3, 'elevator', 'bench', 15, now() - interval '1 day', 'bench', now(), now()
     FROM generate_series(1, $4::int) g`,
    [company?.id, f.ids.community, device?.id, plans],
  )
  const missed = new MaintenanceMonitor({ db: f.db, auditor: f.platform.auditor, batch: plans })
  t = performance.now()
  const alerts = await missed.check()
  const planMs = performance.now() - t

  const [repair] = await f.db.query<{ id: string }>(`SELECT id FROM users WHERE username = 'repair'`)
  const step = async (role: keyof typeof f.tokens, path: string, body: unknown) => {
    const r = await f.request('POST', `/api/v1${path}`, { token: f.tokens[role], body })
    if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`)
    return (await r.json()) as { id: string }
  }
  const durations: number[] = []
  for (let i = 0; i < lifecycles; i++) {
    t = performance.now()
    const { id } = await step('resident', '/work-orders', { title: `bench ${i}`, category: 'plumbing' })
    await step('customer_service', `/work-orders/${id}/assign`, { assigneeId: repair?.id })
    await step('repair_staff', `/work-orders/${id}/accept`, {})
    await step('repair_staff', `/work-orders/${id}/start`, {})
    await step('repair_staff', `/work-orders/${id}/resolve`, {})
    await step('customer_service', `/work-orders/${id}/return-visit`, { satisfied: true })
    await step('customer_service', `/work-orders/${id}/verify`, {})
    await step('community_manager', `/work-orders/${id}/close`, {})
    durations.push(performance.now() - t)
  }
  durations.sort((a, b) => a - b)
  const round = (x: number) => Math.round(x * 100) / 100
  console.log(
    JSON.stringify({
      bench: 'workorders',
      store: url ? 'postgresql-server' : 'pglite',
      slaEscalated: escalated.length,
      slaCheckMs: round(slaMs),
      slaMsPerOrder: round(slaMs / Math.max(1, escalated.length)),
      missedPlanAlerts: alerts.length,
      missedPlanCheckMs: round(planMs),
      lifecycles,
      lifecycleRequests: 8,
      lifecycleP50Ms: round(percentile(durations, 0.5)),
      lifecycleP95Ms: round(percentile(durations, 0.95)),
    }),
  )
} finally {
  await f.close()
}

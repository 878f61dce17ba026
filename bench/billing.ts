/**
 * `npm run bench:billing -- [--units 10000] [--database-url postgres://…]`
 *
 * A month's billing for at least `--units` units: communities of the `large` profile are loaded until they hold
 * that many units (into PGlite by default, or a throwaway database on the PostgreSQL server with
 * `--database-url`), every meter gets a month of cumulative readings in chDB, and for each community a cycle is
 * opened, its readings collected from telemetry and its bills generated with four fee items (area, fixed,
 * electricity and water with shared public use). Target: bill generation under 10 s per 10,000 units.
 * Prints one JSON line: units, bills, bill lines, and the time of readings collection and of bill generation.
 */
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import {
  configFrom,
  createLogger,
  generateCommunity,
  loadCommunitySet,
  migrate,
  openPostgres,
  PiiCipher,
  type Postgres,
  type Stores,
} from '../data/index.ts'
import { createTempDatabase } from '../data/testing/servers.ts'
import { tempDir } from '../data/testing/temp-dir.ts'
import { billingFor } from '../api/billing/billing.ts'
import { cycleBounds } from '../api/billing/cycles.ts'
import { openTelemetryStore, seedMeterTelemetry } from '../api/billing/testing.ts'
import { resolveScope } from '../api/auth/auth-state.ts'
import { permissionsOf } from '../api/auth/permissions.ts'
import type { AuthContext } from '../api/auth/context.ts'
import { createPlatform } from '../api/platform.ts'

const { values: args } = parseArgs({
  options: {
    units: { type: 'string', default: '10000' },
    'database-url': { type: 'string' },
    // One JSON line is always printed; accepted for the same command line as the other benchmarks.
    json: { type: 'boolean', default: true },
  },
})
const wanted = Number(args.units)
const dir = tempDir('bench-billing-')
const log = createLogger({ level: 'silent' })

const set = generateCommunity({ profile: 'large', seed: 20261125 })
const communities = []
let unitCount = 0
for (const c of set.communities) {
  if (unitCount >= wanted) break
  communities.push(c)
  unitCount += c.units.length
}

let db: Postgres
let drop = () => Promise.resolve()
const url = args['database-url']
if (url) {
  const temp = await createTempDatabase(url)
  db = await openPostgres({ kind: 'server', url: temp.url, maxConnections: 4 })
  drop = temp.drop
} else {
  db = await openPostgres({ kind: 'pglite', dir: 'memory://' })
}
const store = await openTelemetryStore(`${dir.path}/chdb`)
try {
  await migrate(db)
  const pii = new PiiCipher(randomBytes(32))
  await loadCommunitySet(db, pii, { ...set, communities })
  const config = configFrom({ DATA_DIR: dir.path, LOG_LEVEL: 'error' })
  const stores: Stores = { postgres: db, pii, clickhouse: store, influx: null, close: () => db.close() }
  const platform = createPlatform(config, stores, log)
  const billing = billingFor(platform, { clickhouse: store })
  const system: AuthContext = {
    userId: 'bench',
    username: 'bench',
    role: 'administrator',
    companyId: set.company.id,
    permissions: permissionsOf('administrator'),
    scope: await resolveScope(db, set.company.id, 'company', []),
    sessionId: 'none',
    residentId: null,
  }
  const period = '2026-09'
  const { start, end } = await cycleBounds(db, period, config.analytics.timezone)
  let collectMs = 0
  let generateMs = 0
  let bills = 0
  let lines = 0
  let totalFen = 0
  for (const c of communities) {
    await seedMeterTelemetry(store, db, {
      communityId: c.id,
      start,
      end,
      plan: (m) => {
        const open = 1000 + m.index
        return {
          open,
          close: open + (m.public ? 250 : m.kind === 'electricity_meter' ? 90 + (m.index % 80) : 4),
        }
      },
    })
    for (const item of [
      { name: '物业费', kind: 'area', unitPrice: 280 },
      { name: '垃圾清运', kind: 'fixed', amountFen: 1200 },
      { name: '电费', kind: 'meter', meterKind: 'electricity_meter', unitPrice: 53.8, sharedSplit: 'area' },
      { name: '水费', kind: 'meter', meterKind: 'water_meter', unitPrice: 345, sharedSplit: 'usage' },
    ] as const) {
      await billing.items.create(system, { communityId: c.id, ...item }, null)
    }
    const cycle = await billing.cycles.create(system, { communityId: c.id, period }, null)
    let t = performance.now()
    await billing.readings.collect(system, cycle.id, null)
    collectMs += performance.now() - t
    t = performance.now()
    const summary = await billing.generator.generate(system, cycle.id, null)
    generateMs += performance.now() - t
    bills += summary.bills
    lines += summary.lines
    totalFen += summary.totalFen
  }
  console.log(
    JSON.stringify({
      bench: 'billing',
      store: db.kind,
      communities: communities.length,
      units: unitCount,
      bills,
      lines,
      totalFen,
      collectMs: Math.round(collectMs),
      generateMs: Math.round(generateMs),
      generateMsPer10kUnits: Math.round((generateMs / Math.max(bills, 1)) * 10_000),
      generateTargetMs: 10_000,
      pass: bills >= wanted && (generateMs / Math.max(bills, 1)) * 10_000 < 10_000,
    }),
  )
} finally {
  await store.close()
  await db.close()
  await drop()
  dir.remove()
}

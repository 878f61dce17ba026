import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  configFrom,
  createLogger,
  migrate,
  migrateClickHouse,
  openClickHouse,
  openPostgres,
  type ClickHouse,
  type Postgres,
} from '../data/index.ts'
import { tempDir } from '../data/testing/temp-dir.ts'
import { startAnalytics } from './start.ts'

describe('startAnalytics', () => {
  const dir = tempDir('analytics-start-')
  let clickhouse: ClickHouse
  let postgres: Postgres

  before(async () => {
    clickhouse = await openClickHouse({ kind: 'chdb', path: dir.path, database: 'start' })
    await migrateClickHouse(clickhouse)
    postgres = await openPostgres({ kind: 'pglite', dir: 'memory://' })
    await migrate(postgres)
  })
  after(async () => {
    await clickhouse.close()
    await postgres.close()
    dir.remove()
  })

  it('starts from the configuration, applies retention, exposes observers and services, and closes', async () => {
    const config = configFrom({ ANALYTICS_MINUTE_DAYS: '20', ALARM_RULES_POLL_MS: '100' }).analytics
    const analytics = await startAnalytics({
      postgres,
      clickhouse,
      config,
      log: createLogger({ level: 'silent' }),
    })
    try {
      assert.deepEqual(analytics.observers, [analytics.engine, analytics.tracker])
      const [row] = await (
        await clickhouse.client.query({
          query: "SELECT engine_full FROM system.tables WHERE database = 'start' AND name = 'telemetry_1m'",
          format: 'JSONEachRow',
        })
      ).json<{ engine_full: string }>()
      assert.match(row?.engine_full ?? '', /TTL t \+ toIntervalDay\(20\)/)
      assert.deepEqual(await analytics.alarms.list('all'), [])
      assert.equal(typeof (await analytics.refresher.watermarks()).hourUntil, 'number')
    } finally {
      await analytics.close()
    }
  })
})

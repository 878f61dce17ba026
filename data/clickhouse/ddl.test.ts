import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createTable } from './ddl.ts'
import { telemetryTable } from './schema.ts'

describe('createTable', () => {
  it('emits one plain table on a single node', () => {
    const [ddl, ...rest] = createTable(telemetryTable, { database: 'db' })
    assert.equal(rest.length, 0)
    assert.match(ddl ?? '', /^CREATE TABLE IF NOT EXISTS db\.telemetry\n/)
    assert.match(ddl ?? '', /ENGINE = MergeTree\n/)
    assert.doesNotMatch(ddl ?? '', /ON CLUSTER|Replicated|Distributed/)
  })

  it('emits a replicated local table and a distributed table on a cluster', () => {
    const [local, distributed] = createTable(telemetryTable, { database: 'db', cluster: 'main' })
    assert.match(local ?? '', /^CREATE TABLE IF NOT EXISTS db\.telemetry_local ON CLUSTER main\n/)
    assert.match(
      local ?? '',
      /ENGINE = ReplicatedMergeTree\('\/clickhouse\/tables\/\{shard\}\/db\/telemetry_local', '\{replica\}'\)/,
    )
    assert.match(
      distributed ?? '',
      /^CREATE TABLE IF NOT EXISTS db\.telemetry ON CLUSTER main AS db\.telemetry_local\n/,
    )
    assert.match(
      distributed ?? '',
      /ENGINE = Distributed\(main, db, telemetry_local, cityHash64\(device_id\)\)$/,
    )
  })
})

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { configFrom } from './config.ts'
import { ConfigError } from './errors.ts'
import { maskValue } from './env.ts'

function configError(env: Record<string, string>): ConfigError {
  try {
    configFrom(env)
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`)
    return error
  }
  assert.fail('expected the configuration to be refused')
}

describe('configFrom', () => {
  it('runs on embedded defaults with nothing set', () => {
    const config = configFrom({})
    assert.equal(config.server.host, '127.0.0.1')
    assert.equal(config.server.port, 8080)
    assert.equal(config.postgres.kind, 'pglite')
    assert.equal(config.clickhouse.kind, 'chdb')
    assert.equal(config.influx, null)
    assert.equal(config.mqtt.kind, 'embedded')
    assert.equal(config.mqtt.protocolVersion, 4, 'aedes speaks MQTT 3.1.1')
    assert.equal(config.ingest.qos, 1)
    assert.equal(config.community.profile, 'default')
    assert.ok(config.dataDir.endsWith('/var'))
  })

  it('uses the servers that are configured', () => {
    const config = configFrom({
      DATABASE_URL: 'postgres://u:p@db:5432/x',
      CLICKHOUSE_URL: 'http://ch:8123',
      CLICKHOUSE_CLUSTER: 'main',
      INFLUX_URL: 'http://influx:8086',
      MQTT_URL: 'mqtt://broker:1883',
    })
    assert.deepEqual(config.postgres, { kind: 'server', url: 'postgres://u:p@db:5432/x' })
    assert.equal(config.clickhouse.kind, 'server')
    assert.equal(config.clickhouse.cluster, 'main')
    assert.equal(config.influx?.url, 'http://influx:8086')
    assert.deepEqual(config.mqtt, {
      kind: 'external',
      url: 'mqtt://broker:1883',
      protocolVersion: 5,
      shareGroup: 'ingest',
      clientId: undefined,
    })
  })

  it('treats empty strings as unset', () => {
    assert.equal(configFrom({ DATABASE_URL: '', PORT: '' }).postgres.kind, 'pglite')
  })

  const bad: [string, Record<string, string>, RegExp][] = [
    ['a port out of range', { PORT: '70000' }, /^config: PORT="70000" .*65535/],
    ['a port that is not a number', { PORT: 'eighty' }, /^config: PORT="eighty" /],
    [
      'a database URL of the wrong scheme',
      { DATABASE_URL: 'mysql://x/y' },
      /^config: DATABASE_URL="mysql:\/\/x\/y" must start with postgres:/,
    ],
    [
      'a database URL that is not a URL',
      { DATABASE_URL: 'not a url' },
      /^config: DATABASE_URL="not a url" is not a URL/,
    ],
    ['an unknown profile', { COMMUNITY_PROFILE: 'huge' }, /^config: COMMUNITY_PROFILE="huge" /],
    [
      'a cluster name with SQL in it',
      { CLICKHOUSE_CLUSTER: 'x; DROP' },
      /^config: CLICKHOUSE_CLUSTER=.* plain identifier/,
    ],
    [
      'a PII key of the wrong length',
      { PII_KEY: 'c2hvcnQ=' },
      /^config: PII_KEY="\*\*\*\*" must be 32 bytes/,
    ],
  ]
  for (const [what, env, message] of bad) {
    it(`refuses ${what} with one line naming the variable`, () => {
      const error = configError(env)
      assert.match(error.message, message)
      assert.doesNotMatch(error.message, /\n/)
    })
  }

  it('never shows a password or a secret in its message', () => {
    const error = configError({ DATABASE_URL: 'mysql://admin:hunter2@db/x' })
    assert.doesNotMatch(error.message, /hunter2/)
    assert.match(error.message, /admin:\*\*\*\*@db/)
  })
})

describe('maskValue', () => {
  it('masks URL passwords and secret variables, and leaves the rest', () => {
    assert.equal(maskValue('DATABASE_URL', 'postgres://u:secret@h/d'), 'postgres://u:****@h/d')
    assert.equal(maskValue('INFLUX_TOKEN', 'abc'), '****')
    assert.equal(maskValue('PORT', '8080'), '8080')
  })
})

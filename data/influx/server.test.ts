import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createInflux, InfluxError, type Influx } from './client.ts'
import { encodePoint } from './line-protocol.ts'
import { testServer } from '../testing/servers.ts'

const server = testServer('TEST_INFLUX_URL')

describe('InfluxDB server', { skip: server.skip }, () => {
  let influx: Influx
  const database = `contract_${process.pid}_${Date.now()}`

  before(async () => {
    influx = createInflux({ url: server.url, database })
    await influx.ensureDatabase()
  })
  after(async () => {
    await createInflux({ url: server.url, database: '_internal' }).query(`DROP DATABASE "${database}"`)
  })

  it('answers a ping with its version', async () => {
    const { version, latencyMs } = await influx.ping()
    assert.match(version, /^\d+\.\d+/)
    assert.ok(latencyMs >= 0)
  })

  it('stores a batch of points and reads them back', async () => {
    const t0 = Date.UTC(2026, 10, 25, 8, 0, 0)
    const lines = Array.from({ length: 5000 }, (_, i) =>
      encodePoint({
        measurement: 'water_pump',
        tags: { device: `p${i % 5}` },
        fields: { flow: i },
        ts: t0 + i,
      }),
    ).join('\n')
    await influx.write(lines)
    const [series] = await influx.query('SELECT count(flow) FROM water_pump')
    assert.equal(series?.values[0]?.[1], 5000)
  })

  it('keeps escaped tags and string fields intact', async () => {
    const tag = 'gate 1,north=A'
    await influx.write(
      encodePoint({ measurement: 'events', tags: { gate: tag }, fields: { note: 'say "hi"' }, ts: 1000 }),
    )
    const [series] = await influx.query('SELECT note, gate FROM events')
    assert.deepEqual(series?.values[0]?.slice(1), ['say "hi"', tag])
  })

  it('overwrites a point written twice with the same series and timestamp (idempotent redelivery)', async () => {
    const line = encodePoint({ measurement: 'dup', tags: { device: 'e1' }, fields: { v: 1 }, ts: 2000 })
    await influx.write(line)
    await influx.write(line)
    const [series] = await influx.query('SELECT count(v) FROM dup')
    assert.equal(series?.values[0]?.[1], 1)
  })

  it('rejects malformed line protocol with the server message', async () => {
    await assert.rejects(influx.write('no_fields_here 123'), (error: unknown) => {
      assert.ok(error instanceof InfluxError)
      assert.equal(error.status, 400)
      return true
    })
  })

  it('reports an unreachable server clearly', async () => {
    const nowhere = createInflux({ url: 'http://127.0.0.1:1', database: 'x', timeoutMs: 2000 })
    await assert.rejects(nowhere.ping(), /unreachable/)
  })
})

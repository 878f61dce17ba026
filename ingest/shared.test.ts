import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import mqtt from 'mqtt'
import { defaultLimits } from '../data/messages/index.ts'
import type { Stores } from '../data/index.ts'
import { testServer } from '../data/testing/servers.ts'
import { startIngest, type IngestService } from './service.ts'
import { chRows, ingestStores, silentLog, telemetry, testRegistry, topics } from './testing.ts'

const broker = testServer('TEST_MQTT_URL')

describe('ingest on Mosquitto (MQTT 5)', { skip: broker.skip }, () => {
  let stores: Stores
  let remove: () => Promise<void>
  const workers: IngestService[] = []
  const group = `test${process.pid}`

  before(async () => {
    ;({ stores, remove } = await ingestStores())
    for (const name of ['a', 'b']) {
      workers.push(
        await startIngest(stores, silentLog, {
          mqttUrl: broker.url,
          protocolVersion: 5,
          shareGroup: group,
          clientId: `ingest-${group}-${name}`,
          qos: 1,
          limits: defaultLimits,
          registry: testRegistry(),
          pipeline: { batchAgeMs: 50 },
        }),
      )
    }
  })
  after(async () => {
    for (const worker of workers) await worker.close()
    await remove()
  })

  it('splits one $share group between two workers, which together store every message once', async () => {
    const publisher = await mqtt.connectAsync(broker.url, { clientId: `pub-${group}`, protocolVersion: 4 })
    const n = 4000
    const t0 = Date.now()
    for (let seq = 1; seq <= n; seq++) {
      // Two devices, so that both workers see every device now and then.
      publisher.publish(seq % 2 ? topics.pump : topics.lift, telemetry(seq, t0 + seq), { qos: 1 })
    }
    await new Promise<void>((resolve) => {
      const check = () =>
        publisher.queue.length === 0 && Object.keys(publisher.outgoing).length === 0
          ? resolve()
          : setTimeout(check, 20)
      check()
    })
    await publisher.endAsync()
    const deadline = Date.now() + 20_000
    for (;;) {
      const [row] = await chRows<{ n: number }>(stores, 'SELECT count() AS n FROM telemetry')
      if (Number(row?.n) >= n || Date.now() > deadline) break
      await new Promise((r) => setTimeout(r, 100))
    }
    for (const worker of workers) await worker.pipeline.flush()
    const [row] = await chRows<{ n: number; u: number }>(
      stores,
      'SELECT count() AS n, uniqExact(device_id, seq) AS u FROM telemetry',
    )
    assert.equal(Number(row?.n), n, 'every message stored')
    assert.equal(Number(row?.u), n, 'none twice')
    const shares = workers.map((w) => w.metrics.received.mqtt)
    assert.equal(shares[0]! + shares[1]!, n)
    for (const share of shares)
      assert.ok(share > n * 0.2, `each worker takes a real share: ${shares.join(' / ')}`)
  })
})

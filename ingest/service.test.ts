import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import mqtt from 'mqtt'
import { defaultLimits } from '../data/messages/index.ts'
import { startEmbeddedBroker, type EmbeddedBroker } from './broker/embedded.ts'
import { startIngest, type IngestService } from './service.ts'
import { chRows, ingestStores, silentLog, telemetry, testRegistry, topics } from './testing.ts'
import type { Stores } from '../data/index.ts'

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('ingest service on the embedded broker (aedes, MQTT 3.1.1)', () => {
  let broker: EmbeddedBroker
  let stores: Stores
  let remove: () => Promise<void>
  let ingest: IngestService
  let publisher: mqtt.MqttClient

  before(async () => {
    broker = await startEmbeddedBroker('127.0.0.1', 0)
    ;({ stores, remove } = await ingestStores())
    ingest = await startIngest(stores, silentLog, {
      mqttUrl: broker.url,
      protocolVersion: 4,
      qos: 1,
      clientId: 'ingest-test',
      limits: defaultLimits,
      registry: testRegistry(),
      pipeline: { batchAgeMs: 50 },
    })
    publisher = await mqtt.connectAsync(broker.url, { clientId: 'device-test' })
  })
  after(async () => {
    await publisher.endAsync()
    await ingest.close()
    await broker.close()
    await remove()
  })

  it('stores valid telemetry once per (device, seq), however often it is sent', async () => {
    for (let seq = 1; seq <= 200; seq++) await publisher.publishAsync(topics.pump, telemetry(seq), { qos: 1 })
    // A device's own resend of messages it already sent: stored once.
    for (let seq = 190; seq <= 200; seq++)
      await publisher.publishAsync(topics.pump, telemetry(seq), { qos: 1 })
    await until(() => Promise.resolve(ingest.metrics.totals.duplicates >= 11))
    await ingest.pipeline.flush()
    const [row] = await chRows<{ n: number; u: number }>(
      stores,
      "SELECT count() AS n, uniqExact(seq) AS u FROM telemetry WHERE device_id = 'c01-pump-1'",
    )
    assert.equal(Number(row?.n), 200)
    assert.equal(Number(row?.u), 200)
  })

  it('keeps metrics as a map with their values', async () => {
    await publisher.publishAsync(
      topics.lift,
      telemetry(5000, Date.now(), { motor_current: 12.25, load_kg: 640 }),
      { qos: 1 },
    )
    await until(
      async () =>
        (await chRows(stores, "SELECT 1 FROM telemetry WHERE device_id = 'c01-lift-1' AND seq = 5000"))
          .length === 1,
    )
    const [row] = await chRows<{ c: number; l: number }>(
      stores,
      "SELECT m['motor_current'] AS c, m['load_kg'] AS l FROM telemetry WHERE device_id = 'c01-lift-1' AND seq = 5000",
    )
    assert.deepEqual(row, { c: 12.25, l: 640 })
  })

  it('stores events with their fields and statuses, including a bare last-will word', async () => {
    await publisher.publishAsync(
      topics.liftEvent,
      JSON.stringify({ ts: Date.now(), seq: 6000, type: 'door.cycle', ms: 3100 }),
      { qos: 1 },
    )
    await publisher.publishAsync(topics.gateStatus, 'offline', { qos: 1 })
    await until(async () => (await chRows(stores, 'SELECT 1 FROM device_status')).length === 1)
    await until(async () => (await chRows(stores, 'SELECT 1 FROM device_events')).length === 1)
    const [event] = await chRows<{ type: string; ms: number }>(
      stores,
      "SELECT type, JSONExtractInt(fields, 'ms') AS ms FROM device_events",
    )
    assert.deepEqual(event, { type: 'door.cycle', ms: 3100 })
    const [status] = await chRows<{ status: string }>(stores, 'SELECT status FROM device_status')
    assert.equal(status?.status, 'offline')
  })

  it('puts each kind of bad input in the dead-letter table with its reason, and keeps going', async () => {
    const now = Date.now()
    const bad: [string, string | Buffer, string][] = [
      [topics.pump, 'not json', 'not_json'],
      [topics.pump, Buffer.from([0xff, 0xfe, 0x00]), 'not_json'],
      [topics.pump, '[]', 'not_object'],
      [topics.pump, '"text"', 'not_object'],
      [topics.pump, JSON.stringify({ ts: now, seq: 1 }), 'missing_field'],
      [topics.pump, JSON.stringify({ ts: now, seq: 2, m: { flow: 1 }, extra: 1 }), 'unknown_field'],
      [topics.pump, JSON.stringify({ ts: String(now), seq: 3, m: { flow: 1 } }), 'wrong_type'],
      [topics.pump, `{"ts":${now},"seq":4,"m":{"flow":1e999}}`, 'non_finite'],
      [topics.pump, JSON.stringify({ ts: now, seq: -5, m: { flow: 1 } }), 'bad_seq'],
      [
        topics.pump,
        JSON.stringify({ ts: now - 400 * 86_400_000, seq: 6, m: { flow: 1 } }),
        'ts_out_of_range',
      ],
      [topics.pump, JSON.stringify({ ts: now, seq: 7, m: {} }), 'no_metrics'],
      [
        topics.pump,
        JSON.stringify({
          ts: now,
          seq: 8,
          m: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`m${i}`, i])),
        }),
        'too_many_metrics',
      ],
      [topics.pump, JSON.stringify({ ts: now, seq: 9, m: { 'Flow Rate': 1 } }), 'bad_metric_name'],
      [topics.pump, `{"ts":${now},"seq":10,"m":{"__proto__":{"polluted":1}}}`, 'forbidden_key'],
      [topics.pump, 'x'.repeat(defaultLimits.maxPayloadBytes + 1), 'oversized'],
      ['community/c01/water_pump/no-such-device/telemetry', telemetry(11), 'unknown_device'],
      ['community/c01/elevator/c01-pump-1/telemetry', telemetry(12), 'kind_mismatch'],
      ['community/c01/water_pump/c01-pump-1/bogus', telemetry(13), 'bad_topic'],
      [topics.liftEvent, JSON.stringify({ ts: now, seq: 14, type: 'Door Open' }), 'bad_event_type'],
      [topics.gateStatus, JSON.stringify({ status: 'exploded' }), 'bad_status'],
    ]
    for (const [topic, payload] of bad) await publisher.publishAsync(topic, payload, { qos: 1 })
    await publisher.publishAsync(topics.pump, telemetry(10_000), { qos: 1 })
    await until(async () => (await chRows(stores, 'SELECT 1 FROM dead_letters')).length === bad.length)
    await until(async () => (await chRows(stores, 'SELECT 1 FROM telemetry WHERE seq = 10000')).length === 1)
    const rows = await chRows<{ reason: string; topic: string }>(
      stores,
      'SELECT reason, topic FROM dead_letters',
    )
    const got = rows.map((r) => `${r.topic} ${r.reason}`).sort()
    const expected = bad.map(([topic, , reason]) => `${topic} ${reason}`).sort()
    assert.deepEqual(got, expected)
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was modified')
  })

  it('keeps the raw bytes of a dead letter, truncated to its bound', async () => {
    const [row] = await chRows<{ hex: string; bytes: number }>(
      stores,
      "SELECT hex(base64Decode(payload_base64)) AS hex, payload_bytes AS bytes FROM dead_letters WHERE reason = 'not_json' AND payload_bytes = 3",
    )
    assert.equal(row?.hex, 'FFFE00')
    const [big] = await chRows<{ kept: number; bytes: number }>(
      stores,
      "SELECT length(base64Decode(payload_base64)) AS kept, payload_bytes AS bytes FROM dead_letters WHERE reason = 'oversized'",
    )
    assert.equal(Number(big?.kept), 4096)
    assert.equal(Number(big?.bytes), defaultLimits.maxPayloadBytes + 1)
  })

  it('exposes Prometheus metrics', async () => {
    const text = await ingest.metrics.exposition()
    assert.match(text, /ingest_messages_received_total\{source="mqtt"\} \d+/)
    assert.match(text, /ingest_dead_letters_total\{reason="not_json"\} 2/)
    assert.match(text, /ingest_rows_stored_total\{sink="clickhouse"\} \d+/)
  })
})

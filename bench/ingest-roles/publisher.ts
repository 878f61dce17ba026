/**
 * Benchmark publisher: N telemetry messages round-robin over the default community's devices, MQTT 3.1.1
 * (MQTT.js), as fast as the broker acknowledges (QoS 1) or its socket takes them (QoS 0) with a window of
 * outstanding publishes (default 2,000; 1 = each publish awaited), or paced at a given rate. `ts` is the publish time, for latency.
 */
import mqtt from 'mqtt'
import type { Ask } from '../ingest.ts'
import { benchDevices } from './devices.ts'

export default async function publisher(ask: Ask, reply: (r: Record<string, number>) => void): Promise<void> {
  const devices = benchDevices(ask.run)
  const client = await mqtt.connectAsync(ask.mqttUrl, {
    clientId: `bench-pub-${process.pid}`,
    protocolVersion: 4,
  })
  // MQTT.js adds a 'drain' listener per publish waiting for the socket; the window bounds them.
  client.stream.setMaxListeners(4000)
  const seqBase = ask.seqBase ?? 1
  const window = Math.max(1, ask.window ?? 2000)
  const rate = ask.rate ?? 0
  let inflight = 0
  const started = performance.now()
  const onAck = () => inflight--
  for (let i = 0; i < ask.messages; i++) {
    const device = devices[i % devices.length]!
    let m = ''
    for (let k = 0; k < device.metrics.length; k++)
      m += (k ? ',"' : '"') + device.metrics[k] + '":' + ((i * 7 + k) % 1000) / 10
    const payload = '{"ts":' + Date.now() + ',"seq":' + (seqBase + i) + ',"m":{' + m + '}}'
    // QoS 1: the callback comes with the broker's PUBACK; QoS 0: once the packet is handed to the socket.
    // Either way at most `window` are outstanding, so the publisher goes as fast as the broker takes messages.
    inflight++
    client.publish(device.topic, payload, { qos: ask.qos }, onAck)
    while (inflight >= window) await new Promise((r) => setImmediate(r))
    if (rate > 0 && i % 100 === 99) {
      const due = started + ((i + 1) / rate) * 1000
      const wait = due - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    }
  }
  while (inflight > 0) await new Promise((r) => setTimeout(r, 5))
  await client.endAsync()
  reply({ published: ask.messages, seconds: (performance.now() - started) / 1000 })
  process.exit(0)
}

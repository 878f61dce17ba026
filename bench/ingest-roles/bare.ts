/**
 * Benchmark bare subscriber: MQTT.js, subscribed to every device topic, only counting. Its rate is the
 * broker's ceiling for the benchmark's publisher on this machine.
 */
import mqtt from 'mqtt'
import type { Ask } from '../ingest.ts'

export default async function bare(ask: Ask, reply: (r: Record<string, number>) => void): Promise<void> {
  const client = await mqtt.connectAsync(ask.mqttUrl, {
    clientId: `bench-bare-${process.pid}`,
    protocolVersion: 5,
    clean: true,
    properties: { receiveMaximum: 65_535 },
  })
  let count = 0
  let started = 0
  let last = 0
  let cpu = process.cpuUsage()
  let done = false
  const finish = () => {
    if (done) return
    done = true
    const used = process.cpuUsage(cpu)
    const seconds = (last - started) / 1000
    reply({ msgPerSec: count / seconds, cpuUsPerMsg: (used.user + used.system) / count, received: count })
  }
  client.on('message', () => {
    if (count++ === 0) {
      started = performance.now()
      cpu = process.cpuUsage()
    }
    last = performance.now()
    if (count === ask.messages) finish()
  })
  // After the publisher is done, stop waiting once nothing arrives for 3 s (QoS 0 may lose messages).
  process.on('message', (m: { published?: boolean }) => {
    if (!m.published) return
    let seen = count
    const timer = setInterval(() => {
      if (count === seen) {
        clearInterval(timer)
        finish()
      }
      seen = count
    }, 3000)
  })
  await client.subscribeAsync(`community/${ask.run}/+/+/+`, { qos: ask.qos })
  reply({ ready: 1 })
}

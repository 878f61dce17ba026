import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import type { AddressInfo, Server } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { Aedes } from 'aedes'
import mqtt from 'mqtt'
import type { Community } from '../../data/index.ts'
import { testServer } from '../../data/testing/servers.ts'
import { MINUTE } from './calendar.ts'
import { planConnections } from './connections.ts'
import { MONDAY, NO_RANDOM_FAULTS, smallCommunity } from './fixtures.ts'
import { publishSimulation } from './publisher.ts'
import { createSimulation } from './simulation.ts'
import type { Simulation } from './simulation.ts'

/** The small community under a fresh id, so runs on a shared broker never see each other's topics. */
function isolatedCommunity(): Community {
  const c = smallCommunity()
  const id = `t${randomBytes(4).toString('hex')}`
  return { ...c, id, devices: c.devices.map((d) => ({ ...d, communityId: id })) }
}

function simulationOf(community: Community, minutes: number): Simulation {
  const start = MONDAY + 7 * 60 * MINUTE
  return createSimulation({
    community,
    seed: 13,
    start,
    end: start + minutes * MINUTE,
    faults: { rates: NO_RANDOM_FAULTS },
  })
}

/** Every (topic, payload) the simulation should publish, counted. */
function expected(simulation: Simulation): Map<string, number> {
  const counts = new Map<string, number>()
  const add = (topic: string, payload: string) =>
    counts.set(`${topic} ${payload}`, (counts.get(`${topic} ${payload}`) ?? 0) + 1)
  const run = simulation.messages()
  let last = simulation.start
  for (const m of run) {
    add(m.topic, m.payload)
    last = m.ts
  }
  for (const m of run.shutdown(last)) add(m.topic, m.payload)
  return counts
}

/** Subscribes to the community's topics and counts what arrives live (retained replays are ignored). */
async function listen(url: string, community: Community) {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    clientId: `sim-test-sub-${randomBytes(3).toString('hex')}`,
  })
  const received = new Map<string, number>()
  let total = 0
  client.on('message', (topic, payload, packet) => {
    if (packet.retain) return
    const key = `${topic} ${payload.toString()}`
    received.set(key, (received.get(key) ?? 0) + 1)
    total++
  })
  await client.subscribeAsync(`community/${community.id}/#`, { qos: 1 })
  return {
    received,
    get total() {
      return total
    },
    close: () => client.endAsync(),
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
}

/** Removes the retained statuses a run left on a real broker. */
async function clearRetained(url: string, simulation: Simulation): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4 })
  await Promise.all(
    simulation.devices.map((d) => client.publishAsync(d.topics.status, '', { qos: 1, retain: true })),
  )
  await client.endAsync()
}

/** The shared cases, run against every broker. */
function publishCases(broker: () => string, cleanUp: boolean): void {
  it('delivers every message of a max-speed run at QoS 1, then every device’s offline status', async () => {
    const community = isolatedCommunity()
    const simulation = simulationOf(community, 20)
    const want = expected(simulation)
    const total = [...want.values()].reduce((a, b) => a + b, 0)
    const sub = await listen(broker(), community)
    try {
      const result = await publishSimulation({
        simulation,
        url: broker(),
        speed: 'max',
        qos: 1,
        maxInFlight: 200,
      })
      assert.equal(result.published, total)
      assert.equal(result.failed, 0)
      assert.equal(result.aborted, false)
      await until(() => sub.total >= total, 20_000)
      assert.equal(sub.total, total)
      for (const [key, count] of want) assert.equal(sub.received.get(key), count, key)
    } finally {
      await sub.close()
      if (cleanUp) await clearRetained(broker(), simulation)
    }
  })

  it('paces a realtime run by the message times and stops cleanly when aborted', async () => {
    const community = isolatedCommunity()
    const simulation = simulationOf(community, 60)
    const sub = await listen(broker(), community)
    const abort = new AbortController()
    try {
      const began = Date.now()
      setTimeout(() => abort.abort(), 600)
      // 60× real time: the hour would take a minute; the abort comes after about 36 simulated seconds.
      const result = await publishSimulation({ simulation, url: broker(), speed: 60, signal: abort.signal })
      assert.equal(result.aborted, true)
      assert.ok(Date.now() - began >= 550)
      assert.ok(
        result.lastTs - simulation.start < 2 * MINUTE,
        `published up to ${result.lastTs - simulation.start} ms`,
      )
      await until(() => sub.total >= result.published, 10_000)
      const offline = [...sub.received.keys()].filter((k) => k.includes('"simulator stopped"'))
      assert.equal(offline.length, simulation.devices.length)
    } finally {
      await sub.close()
      if (cleanUp) await clearRetained(broker(), simulation)
    }
  })
}

describe('publishSimulation on aedes (in-process)', () => {
  let server: Server
  let broker: Aedes
  let url = ''
  before(async () => {
    broker = await Aedes.createBroker()
    server = createServer(broker.handle)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(async () => {
    await new Promise<void>((resolve) => broker.close(() => resolve()))
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  publishCases(() => url, false)
})

const mosquitto = testServer('TEST_MQTT_URL')
describe('publishSimulation on Mosquitto', { skip: mosquitto.skip }, () => {
  publishCases(() => mosquitto.url, true)
})

describe('planConnections', () => {
  it('pools devices per building gateway and gives each lift and pump controller its own connection and will', () => {
    const simulation = simulationOf(smallCommunity(), 1)
    const plan = planConnections(simulation.devices)
    const controllers = simulation.devices.filter((d) => d.kind === 'elevator' || d.kind === 'water_pump')
    assert.ok(plan.connections.length < 40, `${plan.connections.length} connections`)
    for (const d of controllers) {
      const c = plan.connections[plan.route[d.index] as number]
      assert.equal(c?.devices, 1)
      assert.equal(c?.will?.topic, d.topics.status)
      assert.deepEqual(JSON.parse(c?.will?.payload ?? '{}'), { status: 'offline', detail: 'connection lost' })
    }
    assert.equal(planConnections(simulation.devices, 'single').connections.length, 1)
    for (const d of simulation.devices) assert.ok((plan.route[d.index] as number) >= 0)
  })
})

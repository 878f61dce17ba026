/**
 * Device-simulator benchmark (`npx tsx bench/simulator.ts --profile default --days 1`): how fast the simulator
 * generates its message stream (payloads encoded, nothing published) on one core. Prints ONE JSON line; the
 * target is >= 200,000 messages per CPU second (wall-clock rate is also shown; on a shared machine it understates),
 * so that one publisher process can feed the ingest benchmark's ~30,000 msg/s with most of its time left for MQTT.
 */
import { parseArgs } from 'node:util'
import { generateCommunity, isProfile } from '../data/index.ts'
import { createSimulation, dryRun } from '../ingest/simulator/index.ts'

const TARGET = 200_000

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'default' },
    days: { type: 'string', default: '1' },
    seed: { type: 'string', default: '20261125' },
  },
})
const profile = values.profile
const days = Number(values.days)
if (!isProfile(profile) || !(days > 0)) {
  console.error('usage: bench/simulator.ts --profile small|default|large --days N')
  process.exit(2)
}
const seed = Number(values.seed)
const set = generateCommunity({ seed, profile })
const start = Date.parse('2025-06-02T00:00:00+08:00')
const simulation = createSimulation({
  community: set.communities,
  seed,
  start,
  end: start + days * 86_400_000,
})
const report = dryRun(simulation)
console.log(
  JSON.stringify({
    bench: 'simulator',
    profile,
    days,
    devices: simulation.devices.length,
    messages: report.messages,
    elapsedMs: report.elapsedMs,
    messagesPerSecond: report.messagesPerSecond,
    cpuMs: report.cpuMs,
    messagesPerCpuSecond: report.messagesPerCpuSecond,
    meanPayloadBytes: Math.round(report.bytes / Math.max(1, report.messages)),
    target: TARGET,
    pass: report.messagesPerCpuSecond >= TARGET,
  }),
)

/**
 * `npm run simulate -- --profile default --speed realtime|max --duration 7d …`: generates the community, writes
 * the ground truth, and publishes the devices' messages to an MQTT broker (or, with --dry-run, only generates
 * them and reports counts and speed). With --json the result is one JSON line on stdout; progress goes to stderr.
 * Bad arguments print one line and exit 2; a broker that cannot be reached exits 1.
 */
import { generateCommunity } from '../../data/index.ts'
import { iso } from './calendar.ts'
import { USAGE, UsageError, parseCliArgs } from './cli-args.ts'
import type { CliOptions } from './cli-args.ts'
import { dryRun } from './dry-run.ts'
import type { FaultOptions } from './faults.ts'
import { publishSimulation } from './publisher.ts'
import { createSimulation } from './simulation.ts'
import { writeGroundTruth } from './truth.ts'

const NO_FAULTS: FaultOptions = {
  rates: {
    elevatorDegradation: 0,
    pumpDegradation: 0,
    meterLeak: 0,
    stuckSensor: 0,
    offline: 0,
    renovation: 0,
  },
}

function say(options: CliOptions, line: string): void {
  if (!options.json) process.stderr.write(line + '\n')
}

async function run(options: CliOptions): Promise<number> {
  const set = generateCommunity({ seed: options.seed, profile: options.profile })
  const simulation = createSimulation({
    community: set.communities,
    seed: options.seed,
    start: options.start,
    end: Number.isFinite(options.end) ? options.end : undefined,
    kinds: options.kinds,
    faults: options.faults ? undefined : NO_FAULTS,
  })
  await writeGroundTruth(options.truthFile, simulation.truth)
  const span = `${iso(simulation.start)} → ${Number.isFinite(simulation.end) ? iso(simulation.end) : 'until stopped'}`
  const summary = {
    profile: options.profile,
    seed: options.seed,
    start: iso(simulation.start),
    end: Number.isFinite(simulation.end) ? iso(simulation.end) : null,
    devices: simulation.devices.filter((d) => d.included).length,
    faults: simulation.truth.length,
    truthFile: options.truthFile,
  }
  say(options, `simulating ${summary.devices} devices of ${set.communities.length} community(ies), ${span}`)
  say(options, `ground truth: ${summary.faults} injected faults in ${options.truthFile}`)

  if (options.dryRun) {
    const report = dryRun(simulation)
    if (options.json) console.log(JSON.stringify({ mode: 'dry-run', ...summary, ...report }))
    else
      say(
        options,
        `generated ${report.messages} messages in ${report.elapsedMs} ms (${report.messagesPerSecond} msg/s)`,
      )
    return 0
  }

  const abort = new AbortController()
  const stop = () => abort.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    const result = await publishSimulation({
      simulation,
      url: options.mqtt,
      speed: options.speed,
      qos: options.qos,
      maxInFlight: options.maxInFlight,
      pool: options.pool,
      signal: abort.signal,
      onError: (error, connection) => process.stderr.write(`simulate: ${connection}: ${error.message}\n`),
      onProgress: (p) =>
        say(options, `${iso(p.simTime)}  published ${p.published}${p.failed ? `, failed ${p.failed}` : ''}`),
    })
    if (options.json)
      console.log(
        JSON.stringify({ mode: 'publish', speed: options.speed, url: options.mqtt, ...summary, ...result }),
      )
    else
      say(
        options,
        `published ${result.published} messages over ${result.connections} connections (${result.messagesPerSecond} msg/s)`,
      )
    return result.failed > 0 ? 1 : 0
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}

async function main(): Promise<number> {
  let options: CliOptions
  try {
    options = parseCliArgs(process.argv.slice(2), Date.now(), process.cwd())
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`simulate: ${error.message}\n`)
      return 2
    }
    throw error
  }
  if (options.help) {
    process.stdout.write(USAGE + '\n')
    return 0
  }
  try {
    return await run(options)
  } catch (error) {
    process.stderr.write(`simulate: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}

process.exitCode = await main()

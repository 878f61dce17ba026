/**
 * Generates a simulation's whole stream without publishing it, counting messages by kind and channel and timing
 * the generation: the `--dry-run` of the CLI and the simulator benchmark.
 */
import type { Simulation } from './simulation.ts'

export interface DryRunReport {
  readonly messages: number
  readonly bytes: number
  readonly byChannel: Readonly<Record<string, number>>
  readonly byKind: Readonly<Record<string, number>>
  /** Telemetry and events lost to injected outages (not in `messages`). */
  readonly lost: number
  readonly elapsedMs: number
  readonly messagesPerSecond: number
  /** CPU time of this process over the run (user + system): the rate above on a busy machine is misleading. */
  readonly cpuMs: number
  readonly messagesPerCpuSecond: number
}

/** Reads the whole stream of `simulation` (which must have an end). `now` is the wall clock used for timing. */
export function dryRun(simulation: Simulation, now: () => number = () => performance.now()): DryRunReport {
  if (!Number.isFinite(simulation.end)) throw new RangeError('a dry run needs a simulation with an end')
  const kinds = simulation.devices.map((d) => d.kind)
  const byKind: Record<string, number> = {}
  const byChannel: Record<string, number> = { telemetry: 0, event: 0, status: 0 }
  let messages = 0
  let bytes = 0
  const began = now()
  const cpu = process.cpuUsage()
  const run = simulation.messages()
  for (const m of run) {
    messages++
    bytes += m.payload.length
    byChannel[m.channel] = (byChannel[m.channel] ?? 0) + 1
    const kind = kinds[m.device] as string
    byKind[kind] = (byKind[kind] ?? 0) + 1
  }
  const elapsedMs = now() - began
  const used = process.cpuUsage(cpu)
  const cpuMs = (used.user + used.system) / 1000
  return {
    messages,
    bytes,
    byChannel,
    byKind,
    lost: run.counts.lost,
    elapsedMs: Math.round(elapsedMs),
    messagesPerSecond: Math.round(messages / Math.max(0.001, elapsedMs / 1000)),
    cpuMs: Math.round(cpuMs),
    messagesPerCpuSecond: Math.round(messages / Math.max(0.001, cpuMs / 1000)),
  }
}

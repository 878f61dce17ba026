/**
 * The simulator's command line (`npm run sim -- ...`):
 *   run --scenario FILE [--json] [--heatmap]   run a scenario file; --json prints one JSON line
 *   validate [--json]                          run the RiMEA validation suite
 * Bad arguments print one line and exit 2; a bad scenario prints one line naming the path and exits 1;
 * a failed validation exits 1.
 */
import { readFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { SimResult } from './run.ts'
import { runScenario } from './run.ts'
import { parseScenarioJson, ScenarioError } from './scenario.ts'
import { runValidation } from './validation.ts'

/** Where the CLI writes. */
export interface CliIo {
  readonly out: (line: string) => void
  readonly err: (line: string) => void
}

const USAGE = 'usage: sim run --scenario FILE [--json] [--heatmap] | sim validate [--json]'

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        scenario: { type: 'string' },
        json: { type: 'boolean', default: false },
        heatmap: { type: 'boolean', default: false },
      },
    })
  } catch (e) {
    io.err(`sim: ${e instanceof Error ? e.message : String(e)} (${USAGE})`)
    return 2
  }
  const [command, ...rest] = parsed.positionals
  if (rest.length > 0) {
    io.err(`sim: unexpected argument "${rest[0]}" (${USAGE})`)
    return 2
  }
  const { json, heatmap, scenario: file } = parsed.values
  if (command === 'run') {
    if (!file) {
      io.err(`sim: run needs --scenario FILE (${USAGE})`)
      return 2
    }
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (e) {
      io.err(`sim: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`)
      return 2
    }
    try {
      const result = runScenario(parseScenarioJson(text))
      io.out(json ? JSON.stringify(toJson(result, heatmap)) : describe(result))
      return 0
    } catch (e) {
      if (e instanceof ScenarioError || e instanceof RangeError) {
        io.err(`sim: ${e.message}`)
        return 1
      }
      throw e
    }
  }
  if (command === 'validate') {
    if (file || heatmap) {
      io.err(`sim: validate takes only --json (${USAGE})`)
      return 2
    }
    const cases = runValidation()
    const pass = cases.every((c) => c.pass)
    if (json) io.out(JSON.stringify({ pass, cases }))
    else {
      for (const c of cases)
        io.out(`${c.pass ? 'PASS' : 'FAIL'} ${c.id}: ${c.measured} [criterion: ${c.criterion}]`)
      io.out(pass ? 'validation passed' : 'validation FAILED')
    }
    return pass ? 0 : 1
  }
  io.err(command ? `sim: unknown command "${command}" (${USAGE})` : `sim: missing command (${USAGE})`)
  return 2
}

/** The result as plain JSON: typed-array heatmap frames become arrays (or only their count, by default). */
export function toJson(result: SimResult, withFrames: boolean): unknown {
  const h = result.heatmap
  return {
    ...result,
    heatmap: h
      ? {
          originX: h.originX,
          originY: h.originY,
          cell: h.cell,
          cols: h.cols,
          rows: h.rows,
          interval: h.interval,
          peak: h.peak,
          frameCount: h.frames.length,
          ...(withFrames
            ? { frames: h.frames.map((f) => Array.from(f, (x) => Math.round(x * 100) / 100)) }
            : {}),
        }
      : null,
  }
}

function describe(r: SimResult): string {
  const lines = [
    `${r.name}: ${r.arrived}/${r.total} arrived, evacuation time ${r.evacuationTime ?? '-'} s`,
    `  ${r.agentSteps} agent-steps in ${r.wallMs} ms (${r.agentStepsPerSec} per second)`,
    `  exits: ${Object.entries(r.exitUsage)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  ]
  for (const f of r.flows)
    lines.push(
      `  flow ${f.id}: ${f.count} people, ${f.flow.toFixed(2)} /s (peak ${f.peakFlow.toFixed(2)} /s)`,
    )
  if (r.vehicles) lines.push(`  gate wait p50 ${r.vehicles.gateWait.p50} s, p95 ${r.vehicles.gateWait.p95} s`)
  return lines.join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) }).then(
    (code) => {
      process.exitCode = code
    },
    (e: unknown) => {
      console.error(`sim: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
      process.exitCode = 1
    },
  )
}

/**
 * Command line for predictive-maintenance models over a CSV of time-series rows, for our own data and for
 * maintenance teams importing their history:
 *
 *   npm run models -- train    --csv FILE --task classify|rul|anomaly --label COL [--group COL --time COL] …
 *   npm run models -- evaluate --model DIR --csv FILE [--predictions FILE]
 *   npm run models -- cv       --csv FILE --task … --folds K --seed S --json
 *
 * Prints one JSON line with --json, `key value` lines otherwise. Input problems (bad arguments, empty file,
 * missing label column, text in a numeric label, …) print one line to stderr and exit with code 2; anything else
 * is a bug: stack trace, exit code 1. See cli/args.ts for every option.
 */
import { pathToFileURL } from 'node:url'
import { initBackend } from './backend.ts'
import { isInputError } from './errors.ts'
import { USAGE, parseCli } from './cli/args.ts'
import type { CliArgs } from './cli/args.ts'
import { cvCommand, evaluateCommand, trainCommand } from './cli/commands.ts'
import type { Report } from './cli/commands.ts'

/** Where the CLI writes; tests pass collectors. */
export interface CliIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}

function format(report: Report, json: boolean): string {
  if (json) return `${JSON.stringify(report)}\n`
  return Object.entries(report)
    .map(([key, value]) => `${key.padEnd(22)} ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('\n')
    .concat('\n')
}

async function run(args: CliArgs, io: CliIo): Promise<Report> {
  await initBackend()
  switch (args.command) {
    case 'train':
      return trainCommand(args, (line) => io.stderr(`${line}\n`))
    case 'evaluate':
      return evaluateCommand(args)
    case 'cv':
      return cvCommand(args)
  }
}

/** Runs the command line; resolves with the exit code (0 ok, 2 bad input, 1 bug). */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(`${USAGE}\n`)
      return 0
    }
    const args = parseCli(argv)
    io.stdout(format(await run(args, io), args.json))
    return 0
  } catch (err) {
    if (isInputError(err)) {
      // One line, so scripts and people see the reason at once; --help has the full usage.
      const hint = err.name === 'UsageError' ? ' (models --help for usage)' : ''
      io.stderr(`models: ${err.message}${hint}\n`)
      return 2
    }
    io.stderr(
      `models: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    )
    return 1
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.argv.slice(2))
}

/**
 * Command line for the generator:
 *
 *   npm run community -- --profile default [--seed N] [--json] [--out FILE]
 *
 * Prints the counts of the generated set (one JSON line with --json, a short table otherwise) and, with --out,
 * writes the full CommunitySet as JSON. Bad arguments print one line to stderr and exit with code 2.
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Profile } from './types.ts'
import { generateCommunity, isProfile } from './generate.ts'
import { summarize } from './stats.ts'

const USAGE = 'usage: community --profile small|default|large [--seed N] [--json] [--out FILE]'

class UsageError extends Error {}

interface CliOptions {
  readonly profile: Profile
  readonly seed: number
  readonly json: boolean
  readonly out: string | undefined
}

/** Parses and checks the arguments; throws UsageError with a one-line reason. */
export function parseCli(argv: readonly string[]): CliOptions {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      options: {
        profile: { type: 'string', default: 'default' },
        seed: { type: 'string', default: '1' },
        json: { type: 'boolean', default: false },
        out: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0])
  }
  if (!isProfile(values.profile)) throw new UsageError(`unknown profile "${values.profile}"`)
  if (!/^-?\d+$/.test(values.seed) || !Number.isSafeInteger(Number(values.seed))) {
    throw new UsageError(`seed must be an integer, got "${values.seed}"`)
  }
  if (values.out === '') throw new UsageError('--out needs a file name')
  return { profile: values.profile, seed: Number(values.seed), json: values.json, out: values.out }
}

function main(argv: readonly string[]): number {
  let options: CliOptions
  try {
    options = parseCli(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`community: ${err.message} (${USAGE})\n`)
    return 2
  }
  const started = performance.now()
  const set = generateCommunity({ seed: options.seed, profile: options.profile })
  const ms = Math.round(performance.now() - started)
  const summary = { ...summarize(set), ms }
  if (options.out !== undefined) writeFileSync(options.out, JSON.stringify(set))
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`)
  } else {
    for (const [key, value] of Object.entries(summary)) {
      process.stdout.write(
        `${key.padEnd(20)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}\n`,
      )
    }
    if (options.out !== undefined) process.stdout.write(`written to ${options.out}\n`)
  }
  return 0
}

process.exitCode = main(process.argv.slice(2))

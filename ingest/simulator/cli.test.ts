import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { DAY, HOUR } from './calendar.ts'
import { UsageError, parseCliArgs, parseDuration } from './cli-args.ts'

const run = promisify(execFile)
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url))
const NOW = Date.parse('2026-11-25T12:34:56Z')

describe('parseCliArgs', () => {
  it('applies the defaults: default profile, realtime from now, open-ended', () => {
    const o = parseCliArgs([], NOW, '/x')
    assert.equal(o.profile, 'default')
    assert.equal(o.speed, 'realtime')
    assert.equal(o.start, Date.parse('2026-11-25T12:34:56Z'))
    assert.equal(o.end, Infinity)
    assert.equal(o.mqtt, 'mqtt://127.0.0.1:1883')
    assert.equal(o.qos, 1)
    assert.equal(o.truthFile, '/x/var/simulator/ground-truth.jsonl')
  })

  it('replays history ending at the last full hour for --speed max', () => {
    const o = parseCliArgs(
      ['--speed', 'max', '--duration', '7d', '--qos', '0', '--kinds', 'elevator,water_pump'],
      NOW,
      '/',
    )
    assert.equal(o.end, Date.parse('2026-11-25T12:00:00Z'))
    assert.equal(o.end - o.start, 7 * DAY)
    assert.equal(o.qos, 0)
    assert.deepEqual(o.kinds, ['elevator', 'water_pump'])
  })

  it('parses durations with units and combinations', () => {
    assert.equal(parseDuration('90m'), 1.5 * HOUR)
    assert.equal(parseDuration('1d12h'), 36 * HOUR)
    assert.equal(parseDuration('2w'), 14 * DAY)
    for (const bad of ['', '5', '5x', '-2h', '0h']) assert.throws(() => parseDuration(bad), UsageError, bad)
  })

  it('rejects bad arguments with a UsageError', () => {
    for (const args of [
      ['--profile', 'huge'],
      ['--speed', 'fast'],
      ['--qos', '2'],
      ['--start', 'yesterday'],
      ['--mqtt', 'http://x'],
      ['--kinds', 'toaster'],
      ['--seed', '-1'],
      ['--unknown'],
      ['positional'],
    ]) {
      assert.throws(() => parseCliArgs(args, NOW, '/'), UsageError, args.join(' '))
    }
  })
})

describe('simulate CLI', () => {
  it('prints one JSON line for a dry run and writes the ground truth', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-cli-'))
    try {
      const truth = join(dir, 'truth.jsonl')
      const args = [
        '--import',
        'tsx',
        CLI,
        '--profile',
        'small',
        '--duration',
        '30m',
        '--start',
        '2025-06-02T08:00:00+08:00',
      ]
      const { stdout } = await run(process.execPath, [...args, '--dry-run', '--json', '--truth', truth])
      const lines = stdout.trim().split('\n')
      assert.equal(lines.length, 1)
      const report = JSON.parse(lines[0] as string) as Record<string, unknown>
      assert.equal(report.mode, 'dry-run')
      assert.ok((report.messages as number) > 1000)
      assert.ok((report.messagesPerSecond as number) > 0)
      assert.equal(report.start, '2025-06-02T00:00:00.000Z')
      await readFile(truth, 'utf8')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('exits 2 with one line on bad arguments', async () => {
    const error = (await run(process.execPath, ['--import', 'tsx', CLI, '--profile', 'nope']).catch(
      (e: unknown) => e,
    )) as {
      code: number
      stderr: string
    }
    assert.equal(error.code, 2)
    assert.equal(error.stderr.trim().split('\n').length, 1)
    assert.match(error.stderr, /^simulate: bad --profile/)
  })
})

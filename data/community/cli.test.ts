// Tests for the command line, run as a real process: counts as one JSON line, the full set to a file, exit code 2
// with a one-line message for bad arguments.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url))

function run(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8' })
}

describe('community CLI', () => {
  it('prints the counts as one JSON line with --json', () => {
    const r = run('--profile', 'small', '--seed', '3', '--json')
    assert.equal(r.status, 0, r.stderr)
    const lines = r.stdout.trim().split('\n')
    assert.equal(lines.length, 1)
    const counts = JSON.parse(lines[0] as string) as Record<string, unknown>
    assert.equal(counts.profile, 'small')
    assert.equal(counts.seed, 3)
    assert.equal(counts.communities, 1)
    assert.equal(typeof counts.ms, 'number')
    assert.ok((counts.devices as number) > 0)
  })

  it('writes the full set with --out, identical to a second run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'community-'))
    try {
      assert.equal(run('--profile', 'small', '--out', join(dir, 'a.json')).status, 0)
      assert.equal(run('--profile', 'small', '--out', join(dir, 'b.json')).status, 0)
      const a = readFileSync(join(dir, 'a.json'), 'utf8')
      assert.equal(a, readFileSync(join(dir, 'b.json'), 'utf8'))
      assert.equal((JSON.parse(a) as { profile: string }).profile, 'small')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('exits with 2 and one line on stderr for bad arguments', () => {
    for (const args of [
      ['--profile', 'huge'],
      ['--seed', 'abc'],
      ['--seed', '1.5'],
      ['--frobnicate'],
      ['stray'],
    ]) {
      const r = run(...args)
      assert.equal(r.status, 2, args.join(' '))
      assert.equal(r.stdout, '')
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
    }
  })
})

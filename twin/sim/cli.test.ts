import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from './cli.ts'
import { rimea1 } from './rimea-scenarios.ts'

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out, err }
}

describe('sim CLI', () => {
  it('runs a scenario file and prints one JSON line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-cli-'))
    try {
      const file = join(dir, 's.json')
      await writeFile(file, JSON.stringify(rimea1()))
      const r = await cli(['run', '--scenario', file, '--json'])
      assert.equal(r.code, 0)
      assert.equal(r.out.length, 1)
      const j = JSON.parse(r.out[0]!) as {
        evacuationTime: number
        arrivals: { id: string; time: number }[]
        agentSteps: number
        wallMs: number
      }
      assert.ok(j.evacuationTime > 26 && j.evacuationTime < 34)
      assert.equal(j.arrivals[0]!.id, 'p1')
      assert.ok(j.agentSteps > 0 && j.wallMs >= 0)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('reports a bad scenario in one line naming the path, exit 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-cli-'))
    try {
      const file = join(dir, 'bad.json')
      await writeFile(file, JSON.stringify({ ...rimea1(), dt: 'fast' }))
      const r = await cli(['run', '--scenario', file])
      assert.equal(r.code, 1)
      assert.equal(r.err.length, 1)
      assert.match(r.err[0]!, /^sim: scenario dt: /)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('rejects bad arguments with one line and exit 2', async () => {
    for (const args of [
      [],
      ['fly'],
      ['run'],
      ['run', '--nope'],
      ['validate', '--scenario', 'x'],
      ['run', '--scenario', '/nonexistent.json'],
    ]) {
      const r = await cli(args)
      assert.equal(r.code, 2, args.join(' '))
      assert.equal(r.err.length, 1)
      assert.equal(r.out.length, 0)
    }
  })
})

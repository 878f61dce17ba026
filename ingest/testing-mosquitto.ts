/**
 * A private Mosquitto for tests that must control the broker: its queue limits (the packaged default of 1,000
 * queued messages per session would drop a backlog that the ingest tests deliberately build up) and its
 * lifetime. Started from Debian's mosquitto binary with a temporary config on a free loopback port.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { join } from 'node:path'
import { tempDir } from '../data/testing/temp-dir.ts'

export interface TestMosquitto {
  readonly url: string
  readonly port: number
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port} within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Starts mosquitto with unlimited per-session queues; the broker keeps everything it accepted. */
export async function startMosquitto(): Promise<TestMosquitto> {
  const dir = tempDir('mosquitto-')
  const port = await freePort()
  const config = join(dir.path, 'mosquitto.conf')
  writeFileSync(
    config,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      // The ingest's backlog lives in the broker while the ingest is down or paused: never drop it.
      'max_queued_messages 0',
      'max_queued_bytes 0',
      'max_inflight_messages 0',
      'log_dest none',
      '',
    ].join('\n'),
  )
  const child: ChildProcess = spawn('mosquitto', ['-c', config], { stdio: 'ignore' })
  await waitForPort(port, 10_000)
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      dir.remove()
    },
  }
}

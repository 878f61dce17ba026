/**
 * The load generator of `npm run bench:api`: N keep-alive HTTP/1.1 connections over raw sockets, each sending
 * one request at a time (no pipelining) and timing it from write to the last byte of the response. Lean on
 * purpose, so that the client's own cost is small and the same for every route measured.
 */
import { connect, type Socket } from 'node:net'

export interface LoadAsk {
  readonly host: string
  readonly port: number
  /** One path per connection (cycled when fewer). */
  readonly paths: readonly string[]
  readonly headers: Readonly<Record<string, string>>
  readonly connections: number
  readonly warmupMs: number
  readonly durationMs: number
}

export interface LoadResult {
  readonly requests: number
  readonly rps: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly maxMs: number
  readonly non2xx: number
  readonly errors: number
  /** Responses over the whole run, warm-up included (to divide CPU time by). */
  readonly responses: number
  /** The load generator's own CPU time per response, µs (user + system). */
  readonly clientCpuUsPerRequest: number
}

/** Reads one HTTP response from a buffer; returns [status, total length] or null when incomplete. */
function complete(buffer: Buffer): [number, number] | null {
  const end = buffer.indexOf('\r\n\r\n')
  if (end < 0) return null
  const head = buffer.subarray(0, end).toString('latin1')
  const status = Number(head.slice(9, 12))
  const length = /\r\ncontent-length: *(\d+)/i.exec(head)
  if (length) {
    const total = end + 4 + Number(length[1])
    return buffer.length >= total ? [status, total] : null
  }
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
    const last = buffer.indexOf('\r\n0\r\n\r\n', end)
    return last >= 0 ? [status, last + 7] : null
  }
  return [status, end + 4]
}

/** CPU time (user + system) per item, µs, to one decimal. */
export function cpuPer(usage: NodeJS.CpuUsage, items: number): number {
  return Math.round(((usage.user + usage.system) / Math.max(1, items)) * 10) / 10
}

/** Runs the load; resolves with counts and latency percentiles of the measured window. */
export function runLoad(ask: LoadAsk): Promise<LoadResult> {
  const latencies: number[] = []
  const cpuAtStart = process.cpuUsage()
  let responses = 0
  let non2xx = 0
  let errors = 0
  const started = performance.now()
  const measureFrom = started + ask.warmupMs
  const stopAt = measureFrom + ask.durationMs
  const extra = Object.entries(ask.headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')
  return new Promise((resolve) => {
    let open = ask.connections
    const done = () => {
      if (--open > 0) return
      latencies.sort((a, b) => a - b)
      const at = (q: number) =>
        latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
      resolve({
        requests: latencies.length,
        rps: Math.round(latencies.length / (ask.durationMs / 1000)),
        p50Ms: Math.round(at(0.5) * 100) / 100,
        p99Ms: Math.round(at(0.99) * 100) / 100,
        maxMs: Math.round((latencies.at(-1) ?? 0) * 100) / 100,
        non2xx,
        errors,
        responses,
        clientCpuUsPerRequest: cpuPer(process.cpuUsage(cpuAtStart), responses),
      })
    }
    for (let i = 0; i < ask.connections; i++) {
      const request = Buffer.from(
        `GET ${ask.paths[i % ask.paths.length]} HTTP/1.1\r\nhost: ${ask.host}:${ask.port}\r\n${extra}\r\n`,
        'latin1',
      )
      const socket: Socket = connect({ host: ask.host, port: ask.port, noDelay: true })
      let buffer: Buffer = Buffer.alloc(0)
      let sentAt = 0
      const send = () => {
        if (performance.now() >= stopAt) {
          socket.end()
          return
        }
        sentAt = performance.now()
        socket.write(request)
      }
      socket.on('connect', send)
      socket.on('data', (chunk: Buffer) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk])
        const response = complete(buffer)
        if (!response) return
        const now = performance.now()
        responses++
        if (sentAt >= measureFrom && now <= stopAt) {
          latencies.push(now - sentAt)
          if (response[0] < 200 || response[0] >= 300) non2xx++
        }
        buffer = Buffer.from(buffer.subarray(response[1]))
        send()
      })
      socket.on('error', () => {
        errors++
      })
      socket.on('close', done)
    }
  })
}

// As a child process of bench/api.ts: one ask in, one result out.
process.on('message', (ask: LoadAsk) => {
  void runLoad(ask).then((result) => {
    process.send?.(result)
  })
})

/**
 * A server-sent-events feed for tests and the benchmark, served on its own port beside the real app (`serve()`):
 * the page opened with `?live=<feed url>` reads it through the same client code as `GET /api/v1/live` (the client
 * sends no credentials to another origin; the feed answers CORS). Tests push chosen events; the benchmark runs a
 * synthetic telemetry load (N device updates per second in batches) in the compact `telemetry` event form.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { streamSSE, type SSEStreamingApi } from 'hono/streaming'

export const TEST_LIVE_PATH = '/test/live'

export class TestLiveFeed {
  /** Connected pages, each with the function that ends its handler. */
  private readonly clients = new Map<SSEStreamingApi, () => void>()
  private nextId = 1
  private synthetic: ReturnType<typeof setInterval> | null = null

  /** Number of connected pages. */
  get connections(): number {
    return this.clients.size
  }

  /** Serves the feed on 127.0.0.1 (a free port); resolves with its URL and the function that stops it. */
  async serve(): Promise<{ url: string; close: () => Promise<void> }> {
    const app = new Hono()
    app.use('*', cors({ origin: '*', allowHeaders: ['last-event-id', 'accept', 'cache-control'] }))
    app.route('/', this.routes())
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s))
    })
    const port = (server.address() as AddressInfo).port
    return {
      url: `http://127.0.0.1:${port}${TEST_LIVE_PATH}`,
      close: async () => {
        this.close()
        if ('closeAllConnections' in server) server.closeAllConnections()
        await new Promise<void>((resolve) => server.close(() => resolve()))
      },
    }
  }

  /** The route serving the feed. */
  routes(): Hono {
    return new Hono().get(TEST_LIVE_PATH, (c) =>
      streamSSE(c, async (stream) => {
        const heartbeat = setInterval(() => void stream.write(': ping\n\n').catch(() => undefined), 15_000)
        // Ends when the page goes away, or when the feed closes the stream: closing it from this side fires no
        // abort, and a heartbeat left running would keep the test process alive after the tests.
        await new Promise<void>((resolve) => {
          this.clients.set(stream, resolve)
          stream.onAbort(resolve)
        })
        clearInterval(heartbeat)
        this.clients.delete(stream)
      }),
    )
  }

  /** Sends one event to every connected page. */
  async push(event: string, data: unknown): Promise<void> {
    const message = { event, data: JSON.stringify(data), id: String(this.nextId++) }
    await Promise.all([...this.clients.keys()].map((s) => s.writeSSE(message).catch(() => undefined)))
  }

  /**
   * Updates `perSecond` devices per second (round-robin over `deviceIds`), in batches every `batchMs`, with
   * telemetry shaped like the simulator's.
   */
  startSynthetic(deviceIds: readonly string[], perSecond: number, batchMs = 100): void {
    this.stopSynthetic()
    let cursor = 0
    const perBatch = Math.max(1, Math.round((perSecond * batchMs) / 1000))
    this.synthetic = setInterval(() => {
      const ts = Date.now()
      const batch = new Array<unknown>(perBatch)
      for (let i = 0; i < perBatch; i++) {
        const d = deviceIds[cursor++ % deviceIds.length]!
        const phase = (ts / 1000 + cursor) % 60
        batch[i] = {
          d,
          ts,
          m: {
            power_kw: 0.5 + (phase % 7),
            floor: Math.floor(phase % 18),
            flow_m3h: phase % 5,
            present: phase % 40,
          },
        }
      }
      void this.push('telemetry', batch)
    }, batchMs)
  }

  stopSynthetic(): void {
    if (this.synthetic) clearInterval(this.synthetic)
    this.synthetic = null
  }

  close(): void {
    this.stopSynthetic()
    for (const [stream, end] of this.clients) {
      end()
      void stream.close()
    }
    this.clients.clear()
  }
}

/**
 * The live stream client for `GET /api/v1/live` (server-sent events), built on fetch rather than EventSource so
 * that it controls reconnection: exponential backoff with jitter, `Last-Event-ID` on every reconnect, a watchdog
 * that drops a silent (half-open) connection, and quiet retries while the server does not offer the endpoint yet.
 * It never throws: state changes go to `onState`, events to `onEvent`.
 */
import { SseParser, type SseHandler } from './sse-parser.ts'

export type LiveState = 'connecting' | 'open' | 'retrying' | 'unavailable' | 'unauthorized' | 'stopped'

export interface LiveClientOptions {
  /** Stream URL. */
  readonly url: string
  /** Called for each event: type, data, last event id. */
  readonly onEvent: SseHandler
  /** Called when the connection state changes. */
  readonly onState?: (state: LiveState, detail: string) => void
  /** First reconnection delay, ms. */
  readonly minBackoffMs?: number
  /** Longest reconnection delay, ms (also the retry period while the endpoint is missing). */
  readonly maxBackoffMs?: number
  /** A connection that delivers nothing (not even a heartbeat comment) for this long is dropped, ms. */
  readonly idleTimeoutMs?: number
  /** Extra request headers per connection attempt (the Bearer token). */
  readonly headers?: () => Record<string, string>
  /** Called on 401: resolves true when credentials were renewed (reconnect at once). */
  readonly onUnauthorized?: () => Promise<boolean>
}

const defaults = {
  minBackoffMs: 500,
  maxBackoffMs: 30_000,
  idleTimeoutMs: 45_000,
} satisfies Partial<LiveClientOptions>

/** Connects, reads, and reconnects until `stop()`. */
export class LiveClient {
  private readonly options: LiveClientOptions & typeof defaults
  private readonly parser: SseParser
  private abort: AbortController | null = null
  private stopped = true
  private attempt = 0
  private lastByteAt = 0
  private watchdog: ReturnType<typeof setInterval> | null = null
  private wake: (() => void) | null = null

  constructor(options: LiveClientOptions) {
    this.options = { ...defaults, ...options }
    this.parser = new SseParser(options.onEvent)
  }

  /** The id of the last event received (resumes the stream after a reconnect). */
  get lastEventId(): string {
    return this.parser.lastEventId
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.watchdog = setInterval(() => this.checkIdle(), 5_000)
    void this.run()
  }

  stop(): void {
    this.stopped = true
    if (this.watchdog) clearInterval(this.watchdog)
    this.watchdog = null
    this.abort?.abort()
    this.wake?.()
    this.options.onState?.('stopped', '')
  }

  private checkIdle(): void {
    if (
      this.abort &&
      this.lastByteAt > 0 &&
      performance.now() - this.lastByteAt > this.options.idleTimeoutMs
    ) {
      this.abort.abort()
    }
  }

  private async run(): Promise<void> {
    const decoder = new TextDecoder()
    while (!this.stopped) {
      let missing = false
      let unauthorized = false
      this.abort = new AbortController()
      this.options.onState?.('connecting', '')
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream', ...this.options.headers?.() }
        if (this.parser.lastEventId) headers['last-event-id'] = this.parser.lastEventId
        const response = await fetch(this.options.url, {
          headers,
          cache: 'no-store',
          signal: this.abort.signal,
        })
        if (response.status === 401 && (await this.options.onUnauthorized?.())) continue
        if (!response.ok || !response.body) {
          missing = response.status === 404 || response.status === 405 || response.status === 501
          unauthorized = response.status === 401 || response.status === 403
          throw new Error(`status ${response.status}`)
        }
        this.options.onState?.('open', '')
        this.attempt = 0
        this.lastByteAt = performance.now()
        this.parser.reset()
        const reader = response.body.getReader()
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          this.lastByteAt = performance.now()
          this.parser.push(decoder.decode(value, { stream: true }))
        }
        throw new Error('stream ended')
      } catch (error) {
        if (this.stopped) break
        this.lastByteAt = 0
        const detail = error instanceof Error ? error.message : String(error)
        this.options.onState?.(missing ? 'unavailable' : unauthorized ? 'unauthorized' : 'retrying', detail)
        await this.sleep(missing || unauthorized ? this.options.maxBackoffMs : this.backoff())
      }
    }
  }

  private backoff(): number {
    const { minBackoffMs, maxBackoffMs } = this.options
    const base = this.parser.retry ?? minBackoffMs
    const delay = Math.min(maxBackoffMs, base * 2 ** Math.min(this.attempt, 10))
    this.attempt++
    return delay * (0.5 + Math.random() * 0.5)
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        this.wake = null
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.wake = done
    })
  }
}

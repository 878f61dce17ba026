/**
 * Runs an async task now and then every `everyMs` (`missingMs` after it failed with a missing endpoint), one run
 * at a time, until stopped; `now()` runs it again at once (after a live-stream `reset`, say). Failures go to
 * `onError` and never stop the polling: a wall screen outlives server restarts.
 */
import { HttpError } from './http.ts'

export interface PollerOptions {
  readonly everyMs: number
  /** Delay after a 404 (the route is not deployed), ms. */
  readonly missingMs?: number
  readonly onError?: (error: unknown) => void
}

export class Poller {
  private timer: ReturnType<typeof setTimeout> | undefined
  private running = false
  private again = false
  private stopped = false
  private readonly abort = new AbortController()

  constructor(
    private readonly task: (signal: AbortSignal) => Promise<void>,
    private readonly options: PollerOptions,
  ) {}

  start(): this {
    this.now()
    return this
  }

  /** Runs the task as soon as the current run (if any) ends. */
  now(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    clearTimeout(this.timer)
    void this.run()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
    this.abort.abort()
  }

  private async run(): Promise<void> {
    this.running = true
    let delay = this.options.everyMs
    try {
      await this.task(this.abort.signal)
    } catch (error) {
      if (this.stopped) return
      if (error instanceof HttpError && error.missing) delay = this.options.missingMs ?? 60_000
      this.options.onError?.(error)
    } finally {
      this.running = false
    }
    if (this.stopped) return
    if (this.again) {
      this.again = false
      delay = 0
    }
    this.timer = setTimeout(() => void this.run(), delay)
  }
}

/**
 * Fixed-window request counters per key (client address, user name), in process memory. Per instance: behind a
 * load balancer each instance limits on its own, which bounds the total at N × the limit.
 */

export interface LimitDecision {
  readonly allowed: boolean
  /** Seconds until the window resets (for Retry-After). */
  readonly retryAfterSeconds: number
}

interface Window {
  count: number
  resetAt: number
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>()

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one event for `key`; `allowed` is false once the window's limit is exceeded. */
  hit(key: string): LimitDecision {
    const now = this.now()
    let window = this.windows.get(key)
    if (!window || window.resetAt <= now) {
      if (this.windows.size >= this.maxKeys) this.sweep(now)
      window = { count: 0, resetAt: now + this.windowMs }
      this.windows.set(key, window)
    }
    window.count++
    return {
      allowed: window.count <= this.limit,
      retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
    }
  }

  /** How many events `key` has in its current window. */
  count(key: string): number {
    const window = this.windows.get(key)
    return window && window.resetAt > this.now() ? window.count : 0
  }

  /** Forgets `key` (a successful sign-in clears its failures). */
  reset(key: string): void {
    this.windows.delete(key)
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key)
    if (this.windows.size >= this.maxKeys) this.windows.clear()
  }
}

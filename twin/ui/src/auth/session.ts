/**
 * The sign-in of the wall screen (or an operator) against the API's Bearer tokens (`POST /api/v1/auth/login`,
 * `POST /api/v1/auth/refresh`). The access token lives in memory; the refresh token in localStorage so an
 * unattended screen survives reloads and server restarts. Refreshes are single-flight (a refresh token is
 * used up by its first use, and reuse revokes the sign-in) and happen ahead of expiry; a 401 triggers one
 * refresh and one retry. A server without authentication simply never answers 401, and nothing here is used.
 */

export type AuthState = 'anonymous' | 'signed-in' | 'signed-out'

interface TokenPair {
  readonly accessToken: string
  readonly expiresIn: number
  readonly refreshToken: string
}

const REFRESH_KEY = 'twin.refreshToken'

/** A failed sign-in; `status` is the server's answer (401 wrong credentials, 429 rate limited). */
export class SignInError extends Error {
  override readonly name = 'SignInError'
  constructor(readonly status: number) {
    super(`twin-ui: sign-in failed with status ${status}`)
  }
}

export class AuthSession {
  private accessToken: string | null = null
  private refreshTimer: ReturnType<typeof setTimeout> | undefined
  private refreshing: Promise<boolean> | null = null
  private readonly listeners = new Set<() => void>()
  private current: AuthState = 'anonymous'

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null = safeStorage(),
  ) {}

  get state(): AuthState {
    return this.current
  }

  /** Subscribes to state changes (for useSyncExternalStore). */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getState = (): AuthState => this.current

  /** Request headers carrying the access token, if any. */
  headers(): Record<string, string> {
    return this.accessToken ? { authorization: `Bearer ${this.accessToken}` } : {}
  }

  /** fetch with the access token; on 401 refreshes once and retries. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    // After a reload the stored refresh token gets an access token first, so the page never meets a 401.
    if (!this.accessToken && this.storage?.getItem(REFRESH_KEY)) await this.refresh()
    const send = () =>
      fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), ...this.headers() } })
    const response = await send()
    if (response.status !== 401) return response
    if (await this.refresh()) return send()
    this.set('signed-out')
    return response
  }

  /** Signs in with a user name and password (and a TOTP code for administrator roles). */
  async signIn(username: string, password: string, totp?: string): Promise<void> {
    const response = await fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(totp ? { username, password, totp } : { username, password }),
    })
    if (!response.ok) throw new SignInError(response.status)
    this.accept((await response.json()) as TokenPair)
  }

  /** Exchanges the stored refresh token for a new pair; false when there is none or it was refused. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null
    })
    return this.refreshing
  }

  private async doRefresh(): Promise<boolean> {
    const refreshToken = this.storage?.getItem(REFRESH_KEY)
    if (!refreshToken) return false
    try {
      const response = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      })
      if (response.status === 400 || response.status === 401) {
        this.storage?.removeItem(REFRESH_KEY)
        return false
      }
      if (!response.ok) return false
      this.accept((await response.json()) as TokenPair)
      return true
    } catch {
      // Server unreachable (restarting): keep the refresh token and let the caller retry later.
      return false
    }
  }

  private accept(pair: TokenPair): void {
    this.accessToken = pair.accessToken
    this.storage?.setItem(REFRESH_KEY, pair.refreshToken)
    clearTimeout(this.refreshTimer)
    const ahead = Math.max(5, pair.expiresIn * 0.8) * 1000
    this.refreshTimer = setTimeout(() => void this.refresh(), ahead)
    this.set('signed-in')
  }

  private set(state: AuthState): void {
    if (state === this.current) return
    this.current = state
    for (const listener of this.listeners) listener()
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

/** The page's session. */
export const session = new AuthSession()

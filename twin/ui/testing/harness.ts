/**
 * Starts the real command center in-process for browser tests and the benchmark: `startServer` on a temporary
 * data directory with the embedded stores and broker (no simulator: tests publish what they need), serving the
 * API, the analytics routes, the live stream and the built UI from one origin, plus the test live feed on its
 * own port (`?live=<feedUrl>`). Demo accounts are created here so that their passwords are known.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { createPlatform } from '../../../api/platform.ts'
import { startServer, type RunningServer } from '../../../api/server.ts'
import { ensureDemoAccounts, type DemoAccount } from '../../../api/users/demo-accounts.ts'
import { configFrom, createLogger, type Profile } from '../../../data/index.ts'
import { TestLiveFeed } from './live-feed.ts'

export interface Account {
  readonly username: string
  readonly password: string
}

export interface TwinServer {
  /** Base URL of the command center: the UI at `/`, the API under `/api/v1`. */
  readonly url: string
  /** URL of the test live feed (another origin). */
  readonly feedUrl: string
  /** The demo wall-screen account, for signing in. */
  readonly wallScreen: Account
  /** The demo community-manager account (alarm rules, acknowledging). */
  readonly manager: Account
  readonly running: RunningServer
  readonly feed: TestLiveFeed
  /** Signs in through the API; returns the access token. */
  token(account: Account): Promise<string>
  close(): Promise<void>
}

function account(accounts: readonly DemoAccount[], role: DemoAccount['role']): Account {
  const found = accounts.find((a) => a.role === role)
  if (!found) throw new Error(`twin-ui harness: no ${role} demo account was created`)
  return { username: found.username, password: found.password }
}

/** Starts the command center and the test feed. */
export async function startTwinServer(profile: Profile = 'small'): Promise<TwinServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twin-ui-'))
  const log = createLogger({ level: 'silent' })
  const config = configFrom({
    DATA_DIR: dataDir,
    PORT: '0',
    MQTT_EMBEDDED_PORT: '0',
    COMMUNITY_PROFILE: profile,
    SIMULATOR: '0',
    DEMO_ACCOUNTS: '0',
    AUTH_SCRYPT_LOG_N: '10',
    ALARM_RULES_POLL_MS: '500',
    LIVE_HEARTBEAT_MS: '5000',
  })
  const running = await startServer(config, log)
  try {
    const platform = createPlatform(config, running.stores, log)
    const accounts = (await ensureDemoAccounts(platform, log, () => undefined)) ?? []
    const feed = new TestLiveFeed()
    const served = await feed.serve()
    const url = running.url
    return {
      url,
      feedUrl: served.url,
      wallScreen: account(accounts, 'wall_screen'),
      manager: account(accounts, 'community_manager'),
      running,
      feed,
      token: async (who) => {
        const response = await fetch(`${url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(who),
        })
        if (!response.ok) throw new Error(`twin-ui harness: sign-in answered ${response.status}`)
        return ((await response.json()) as { accessToken: string }).accessToken
      },
      close: async () => {
        await served.close()
        await running.close()
        rmSync(dataDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await running.close()
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
}

/** Signs in through the UI's own sign-in form when the page asks for it (no-op on a server without auth). */
export async function signInIfAsked(page: Page, who: Account): Promise<void> {
  const form = page.locator('form.sign-in')
  const ready = page.waitForFunction(() => (window.__twin?.bridge.firstSceneFrameMs ?? 0) > 0, null, {
    timeout: 60_000,
  })
  const asked = await Promise.race([
    form.waitFor({ timeout: 60_000 }).then(() => true),
    ready.then(() => false),
  ])
  if (!asked) return
  await form.locator('input[name=username]').fill(who.username)
  await form.locator('input[name=password]').fill(who.password)
  await form.locator('button[type=submit]').click()
}

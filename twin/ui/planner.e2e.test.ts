/**
 * End-to-end planner mode: the real command center (`startServer` on embedded stores, `small` community) serving
 * the built UI, driven in Debian's Chromium. The planner signs in at `/#planner`, closes a gate on the plan's
 * side panel, picks the evacuation of a building, runs the scenario on the server (a worker thread), and sees
 * the KPI table; the report exports as CSV and PNG. Skipped when /usr/bin/chromium is missing.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { createPlatform } from '../../api/platform.ts'
import { startServer, type RunningServer } from '../../api/server.ts'
import { ensureDemoAccounts } from '../../api/users/demo-accounts.ts'
import { configFrom, createLogger } from '../../data/index.ts'
import { launchChromium, type Browser } from './testing/browser.ts'
import { ensureUiBuilt } from './testing/build.ts'
import { signInIfAsked, type Account } from './testing/harness.ts'

const artifacts = join(import.meta.dirname, '..', '..', 'var', 'test-artifacts', 'twin-ui')
const chromiumMissing = !existsSync('/usr/bin/chromium')

describe('planner mode in Chromium', { skip: chromiumMissing && 'no /usr/bin/chromium' }, () => {
  let running: RunningServer
  let dataDir: string
  let planner: Account
  let browser: Browser
  let page: Page
  const errors: string[] = []

  before(async () => {
    await ensureUiBuilt()
    dataDir = mkdtempSync(join(tmpdir(), 'twin-planner-'))
    const log = createLogger({ level: 'silent' })
    const config = configFrom({
      DATA_DIR: dataDir,
      PORT: '0',
      MQTT_EMBEDDED_PORT: '0',
      COMMUNITY_PROFILE: 'small',
      SIMULATOR: '0',
      DEMO_ACCOUNTS: '0',
      AUTH_SCRYPT_LOG_N: '10',
    })
    running = await startServer(config, log)
    // The harness keeps only the wall-screen and manager accounts: the planner's comes from the same call here.
    const accounts =
      (await ensureDemoAccounts(createPlatform(config, running.stores, log), log, () => undefined)) ?? []
    const found = accounts.find((a) => a.role === 'planner')
    assert.ok(found, 'a planner demo account')
    planner = { username: found.username, password: found.password }
    browser = await launchChromium(1600, 1000)
    page = await browser.context.newPage()
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
    page.on('console', (m) => {
      // The first visit meets the 401 that makes the page ask for a sign-in.
      if (m.type() === 'error' && !m.text().includes('status of 401')) errors.push(m.text())
    })
    mkdirSync(artifacts, { recursive: true })
  })

  after(async () => {
    await browser?.close()
    await running?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it('runs an evacuation from the planner and shows its KPI table', { timeout: 180_000 }, async () => {
    await page.goto(`${running.url}/#planner`)
    await signInIfAsked(page, planner)
    await page.locator('[data-testid=planner]').waitFor({ timeout: 60_000 })
    // A layout change: close the first gate (the plan marks it), then the demand: evacuate the first home.
    await page.locator('.planner-side input[type=checkbox]').first().check()
    await page.locator('[data-testid=changes] li').filter({ hasText: 'closeGate' }).waitFor()
    await page.locator('[data-testid=demand]').selectOption('evacuation')
    await page.locator('[data-testid=name]').fill('e2e evacuation')
    await page.locator('[data-testid=run]').click()
    const table = page.locator('[data-testid=kpi-table]')
    await table.waitFor({ timeout: 150_000 })
    const row = table.locator('tr[data-metric="evacuation time (last arrival)"] td').nth(1)
    const seconds = Number(await row.textContent())
    assert.ok(seconds > 30, `evacuation time shown: ${seconds} s`)
    assert.equal(await page.locator('[data-testid=scenarios] li[data-status=done]').count(), 1)
    await page.locator('[data-testid=replay]').waitFor()

    // The report: the KPI table as CSV, the plan (with the heatmap frame) as PNG.
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid=export-csv]').click(),
    ])
    const csvPath = join(artifacts, 'planner-kpis.csv')
    await csv.saveAs(csvPath)
    const text = readFileSync(csvPath, 'utf8')
    assert.match(text, /^\ufeff?metric,unit,e2e evacuation,lower is better\r\n/)
    assert.match(text, /evacuation time \(last arrival\),s,\d/)
    const png = await page.evaluate(
      () =>
        document.querySelector<HTMLCanvasElement>('[data-testid=plan-canvas]')?.toDataURL('image/png') ?? '',
    )
    assert.ok(png.startsWith('data:image/png;base64,') && png.length > 5_000, `PNG of ${png.length} chars`)
    await page.screenshot({ path: join(artifacts, 'planner-1600x1000.png') })
    assert.deepEqual(errors, [])
  })
})

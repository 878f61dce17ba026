/**
 * End-to-end planner mode: the real command center (`startServer` on embedded stores, `small` community) serving
 * the built UI, driven in Debian's Chromium. The planner signs in at `/#planner` and edits the layout with real
 * mouse clicks on the 3D twin (world points projected to the screen with the camera the canvas drew with): a new
 * gate on the boundary wall, a parking lot (then removed from the list), an existing gate closed. It runs an
 * evacuation on the server (progress, then the KPI table), watches the heatmap replay change the canvas's pixels,
 * runs a baseline and compares the two (A/B heatmaps, the KPI table), and exports the report as CSV and PNG.
 * Skipped when /usr/bin/chromium is missing.
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
import { countBrightPixels } from './testing/pixels.ts'

const artifacts = join(import.meta.dirname, '..', '..', 'var', 'test-artifacts', 'twin-ui')
const chromiumMissing = !existsSync('/usr/bin/chromium')

describe('planner mode in Chromium', { skip: chromiumMissing && 'no /usr/bin/chromium' }, () => {
  let running: RunningServer
  let dataDir: string
  let planner: Account
  let browser: Browser
  let page: Page
  const errors: string[] = []

  /** Where the world point (x, y, 0) is on the screen (CSS px), from the matrices of the last frame drawn. */
  const toScreen = (x: number, y: number) =>
    page.evaluate(
      ([x, y]) => {
        const { viewMatrix: v, projectionMatrix: p } = window.__planner!.bridge.viewState
        // Column-major 4x4 matrices times column vectors, inline (no named helpers: the page has no __name).
        const eye = [0, 0, 0, 0]
        const clip = [0, 0, 0, 0]
        for (let r = 0; r < 4; r++) eye[r] = v[r]! * x + v[4 + r]! * y + v[12 + r]!
        for (let r = 0; r < 4; r++)
          clip[r] = p[r]! * eye[0]! + p[4 + r]! * eye[1]! + p[8 + r]! * eye[2]! + p[12 + r]! * eye[3]!
        const rect = document.querySelector('[data-testid=planner-view] canvas')!.getBoundingClientRect()
        const sx = rect.left + ((clip[0]! / clip[3]! + 1) / 2) * rect.width
        const sy = rect.top + ((1 - clip[1]! / clip[3]!) / 2) * rect.height
        const margin = 30
        const inside =
          clip[3]! > 0 &&
          sx > rect.left + margin &&
          sx < rect.right - margin &&
          sy > rect.top + margin &&
          sy < rect.bottom - margin
        return { x: sx, y: sy, inside }
      },
      [x, y] as const,
    )

  /** Waits until the canvas stops drawing (the frame asked for is on screen, the camera at rest). */
  const settled = async () => {
    let frames = -1
    for (let i = 0; i < 100; i++) {
      const now = await page.evaluate(() => window.__planner?.bridge.frames ?? 0)
      if (now === frames) return
      frames = now
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    assert.fail('the planner canvas kept drawing')
  }

  /** Share of bright pixels on the 3D view. */
  const brightShare = async () =>
    countBrightPixels(page, await page.locator('[data-testid=planner-view]').screenshot(), {
      x: 0,
      y: 0,
      width: 1,
      height: 1,
    })

  /** The numbers in the text of the pending change of `type`. */
  const changeText = (type: string) =>
    page.locator(`[data-testid=changes] li[data-change=${type}]`).first().textContent()

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

  it(
    'edits the layout on the 3D twin, runs, replays, compares and exports',
    { timeout: 300_000 },
    async (t) => {
      await page.goto(`${running.url}/#planner`)
      await signInIfAsked(page, planner)
      await page.locator('[data-testid=planner]').waitFor({ timeout: 60_000 })
      await page.waitForFunction(() => (window.__planner?.bridge.firstSceneFrameMs ?? 0) > 0, null, {
        polling: 100,
        timeout: 60_000,
      })
      const layout = await page.evaluate(() => ({
        boundary: window.__planner!.boundary.map(([x, y]) => [x, y] as [number, number]),
        gates: window.__planner!.gates.map((g) => ({ id: g.id, name: g.name, position: g.position })),
      }))
      assert.ok(layout.boundary.length >= 3 && layout.gates.length >= 1, 'a boundary and gates')

      // A new gate: click the middle of a wall segment away from the existing gates; it lands on the wall.
      let wall: { x: number; y: number; screen: { x: number; y: number } } | null = null
      for (let k = 0; k < layout.boundary.length && !wall; k++) {
        const a = layout.boundary[k]!
        const b = layout.boundary[(k + 1) % layout.boundary.length]!
        const x = (a[0] + b[0]) / 2
        const y = (a[1] + b[1]) / 2
        if (layout.gates.some((g) => Math.hypot(g.position[0] - x, g.position[1] - y) < 25)) continue
        const screen = await toScreen(x, y)
        if (screen.inside) wall = { x, y, screen }
      }
      assert.ok(wall, 'a wall midpoint on screen, away from the gates')
      await page.locator('input[data-tool=addGate]').check()
      await page.mouse.click(wall.screen.x, wall.screen.y)
      const added = (await changeText('addGate')) ?? ''
      const [gx, gy] = (/\((-?\d+), (-?\d+)\)/.exec(added) ?? []).slice(1).map(Number)
      assert.ok(
        Math.hypot(gx! - wall.x, gy! - wall.y) < 2,
        `new gate at (${gx}, ${gy}), clicked at (${wall.x}, ${wall.y})`,
      )

      // A parking lot where the view is centred, then removed again from the list.
      await page.locator('input[data-tool=addParking]').check()
      const box = (await page.locator('[data-testid=planner-view]').boundingBox())!
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
      await page.locator('[data-testid=changes] li[data-change=addParking]').waitFor()
      await page
        .locator('[data-testid=changes] li[data-change=addParking] [data-testid=remove-change]')
        .click()
      assert.equal(await page.locator('[data-testid=changes] li[data-change=addParking]').count(), 0)

      // An existing gate closed by clicking it on the twin.
      const gate = layout.gates.find((g) => Math.hypot(g.position[0] - wall.x, g.position[1] - wall.y) > 25)!
      const gateOnScreen = await toScreen(gate.position[0], gate.position[1])
      assert.ok(gateOnScreen.inside, `gate ${gate.id} on screen`)
      await page.locator('input[data-tool=closeGate]').check()
      await page.mouse.click(gateOnScreen.x, gateOnScreen.y)
      assert.match((await changeText('closeGate')) ?? '', new RegExp(gate.name))
      assert.equal(await page.locator('[data-testid=changes] li').count(), 2)

      // Run: progress first, then the KPI table.
      await page.locator('[data-testid=demand]').selectOption('evacuation')
      await page.locator('[data-testid=name]').fill('e2e evacuation')
      await page.locator('[data-testid=run]').click()
      await page.locator('[data-testid=progress]').waitFor({ timeout: 30_000 })
      const table = page.locator('[data-testid=kpi-table]')
      await table.waitFor({ timeout: 150_000 })
      const row = table.locator('tr[data-metric="evacuation time (last arrival)"] td').nth(1)
      const seconds = Number(await row.textContent())
      assert.ok(seconds > 30, `evacuation time shown: ${seconds} s`)
      assert.equal(await page.locator('[data-testid=scenarios] li[data-status=done]').count(), 1)

      // Replay on the twin: the busiest frame lights up the ground, the last (everyone out) much less.
      await page.locator('[data-testid=replay]').waitFor()
      await settled()
      const busy = await brightShare()
      const scrub = page.locator('[data-testid=scrub]')
      const last = Number(await scrub.getAttribute('max'))
      assert.ok(last > 0, `${last + 1} heatmap frames`)
      await scrub.fill(String(last))
      await settled()
      const done = await brightShare()
      t.diagnostic(
        `bright share of the view: ${busy.toFixed(4)} at the busiest frame, ${done.toFixed(4)} at the last`,
      )
      assert.ok(
        busy - done > 0.0005,
        `bright share ${busy.toFixed(4)} at the busiest frame, ${done.toFixed(4)} at the end`,
      )
      // Playing advances the frame (and the canvas draws it).
      await scrub.fill('0')
      await page.locator('[data-testid=play]').click()
      await page.waitForFunction(
        () => Number(document.querySelector<HTMLInputElement>('[data-testid=scrub]')?.value) > 0,
        null,
        { polling: 100, timeout: 10_000 },
      )
      await settled()
      await page.locator('[data-testid=play]').click()
      await page.screenshot({ path: join(artifacts, 'planner-replay-1600x1000.png') })

      // A baseline (no changes) to compare with: A the baseline, B the changed layout.
      while ((await page.locator('[data-testid=remove-change]').count()) > 0)
        await page.locator('[data-testid=remove-change]').first().click()
      await page.locator('[data-testid=name]').fill('e2e baseline')
      await page.locator('[data-testid=run]').click()
      await page.locator('[data-testid=scenarios] li[data-status=done]').nth(1).waitFor({ timeout: 150_000 })
      await table.locator('th', { hasText: 'e2e baseline' }).waitFor()
      await page
        .locator('[data-testid=scenarios] li', { hasText: 'e2e evacuation' })
        .locator('input[name=b]')
        .check()
      await table.locator('th', { hasText: 'B · e2e evacuation' }).waitFor()
      assert.equal(await table.locator('thead th').count(), 4, 'metric, A, B, change')
      await page.locator('[data-testid=side-b]').click()
      assert.equal(await page.locator('[data-testid=side-b]').getAttribute('aria-pressed'), 'true')

      // The report: the KPI table as CSV, the 3D view (with the heatmap frame) as PNG.
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-testid=export-csv]').click(),
      ])
      const csvPath = join(artifacts, 'planner-kpis.csv')
      await csv.saveAs(csvPath)
      const text = readFileSync(csvPath, 'utf8')
      assert.match(
        text,
        /^\ufeff?metric,unit,e2e baseline,e2e evacuation,change \(b - a\),lower is better\r\n/,
      )
      assert.match(text, /evacuation time \(last arrival\),s,\d/)
      const [png] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-testid=export-png]').click(),
      ])
      const pngPath = join(artifacts, 'planner-twin.png')
      await png.saveAs(pngPath)
      const image = readFileSync(pngPath)
      assert.equal(image.subarray(1, 4).toString('latin1'), 'PNG')
      assert.ok(image.length > 5_000, `PNG of ${image.length} bytes`)
      assert.ok(
        (await countBrightPixels(page, image, { x: 0, y: 0, width: 1, height: 1 })) > 0.01,
        'the exported PNG shows the scene',
      )
      await page.screenshot({ path: join(artifacts, 'planner-1600x1000.png') })
      assert.deepEqual(errors, [])
    },
  )
})

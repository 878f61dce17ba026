/**
 * Twin UI benchmark (`npm run bench:twin -- --json`), printing ONE JSON line. It builds the UI if stale, starts
 * the real command center (`default` community) with the UI mounted, and drives Debian's Chromium (SwiftShader
 * WebGL, so frame rates mean nothing; we measure work per frame):
 * - initial JavaScript: gzip bytes of the scripts index.html loads (lazy chunks, i.e. deck.gl, reported apart);
 *   target <= 1 MB;
 * - first drawn frame: navigation start → first frame rendered with the scene (already signed in); <= 5 s;
 * - draw calls per frame with every layer on, camera moving, data in every live layer; target <= 150 (max);
 * - main-thread JavaScript per frame with 10,000 live device updates per second streamed through the same SSE
 *   client and store as `GET /api/v1/live` (compact `telemetry` events from the test feed, since the server's
 *   stream carries alarms, statuses and KPIs while values come from the device-state poll, which runs against
 *   the real server meanwhile), from a V8 CPU profile of the page: the JavaScript run from animation-frame
 *   callbacks (three.js/r3f and deck.gl render loops, instance updates) per rendered frame, plus all other
 *   JavaScript (stream reading and parsing, store updates, timers, React, GC) per second spread over 60 frames.
 *   "(program)" samples (native work, e.g. SwiftShader stalls inside WebGL calls) are reported apart. At the
 *   ~1 frame/s SwiftShader manages, each frame drains ~1 s of dirty devices, so frame-loop work is overstated,
 *   not understated. `jsMsPerFrame` (the target, <= 8 ms) is measured after the camera settled (the wall
 *   screen's state between tour moves); `jsMsPerFrameCameraMoving` with a fly-to every 2 s;
 * - heap growth: used JS heap after GC, sampled every 30 s for `--minutes` (default 1; the issue's run is 10)
 *   after `--warmup-minutes` (default 1) of live load and touring; target < 10 %.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ensureUiBuilt, distRoot } from '../twin/ui/testing/build.ts'
import { drawCallCounter, launchChromium } from '../twin/ui/testing/browser.ts'
import { startTwinServer } from '../twin/ui/testing/harness.ts'

const TARGETS = {
  drawCalls: 150,
  jsMsPerFrame: 8,
  initialJsGzipBytes: 1_000_000,
  firstFrameMs: 5000,
  heapGrowthPct: 10,
}

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    minutes: { type: 'string', default: '1' },
    'warmup-minutes': { type: 'string', default: '1' },
    profile: { type: 'string', default: 'default' },
    updates: { type: 'string', default: '10000' },
    /** Also write the page's CPU profile of the measurement window here (.cpuprofile, for DevTools). */
    'cpu-profile': { type: 'string' },
  },
})
const minutes = Number(values.minutes)
const warmupMinutes = Number(values['warmup-minutes'])
const updatesPerSecond = Number(values.updates)
const profile = values.profile === 'small' ? 'small' : values.profile === 'large' ? 'large' : 'default'
const log = (message: string) => {
  if (!values.json) process.stderr.write(`${message}\n`)
}

/** Gzip bytes of the scripts index.html loads up front, and of every other JS chunk. */
function jsSizes(): { initial: number; lazy: number; files: string[] } {
  const html = readFileSync(join(distRoot, 'index.html'), 'utf8')
  const initial = new Set<string>()
  for (const m of html.matchAll(
    /<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g,
  )) {
    if (m[1]) initial.add(m[1])
  }
  const gz = (file: string) => statSync(join(distRoot, `${file}.gz`)).size
  let lazy = 0
  for (const file of readdirSync(join(distRoot, 'assets'))) {
    if (file.endsWith('.js') && !initial.has(`assets/${file}`)) lazy += gz(`assets/${file}`)
  }
  return { initial: [...initial].reduce((s, f) => s + gz(f), 0), lazy, files: [...initial] }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string }; children?: number[] }[]
  samples?: number[]
  timeDeltas?: number[]
}

/**
 * Splits a V8 CPU profile's samples, ms: JavaScript run from animation-frame callbacks (under the
 * instrumentation's `__twinFrame`), all other JavaScript (stream, timers, React, GC), and native "(program)".
 */
function javascriptMs(profile: CpuProfile): { frame: number; other: number; program: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const inFrame = new Map<number, boolean>()
  const underFrame = (id: number): boolean => {
    const known = inFrame.get(id)
    if (known !== undefined) return known
    const node = byId.get(id)
    const up = parent.get(id)
    const result = node?.callFrame.functionName === '__twinFrame' || (up !== undefined && underFrame(up))
    inFrame.set(id, result)
    return result
  }
  const totals = { frame: 0, other: 0, program: 0 }
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i]!
    const name = byId.get(id)?.callFrame.functionName
    const ms = (deltas[i] ?? 0) / 1000
    if (name === '(program)') totals.program += ms
    else if (name === '(idle)') continue
    else if (underFrame(id)) totals.frame += ms
    else totals.other += ms
  }
  return totals
}

async function main(): Promise<void> {
  const built = await ensureUiBuilt()
  log(`ui ${built ? 'built' : 'up to date'}`)
  const sizes = jsSizes()
  const server = await startTwinServer(profile)
  const browser = await launchChromium(1920, 1080)
  try {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(server.wallScreen),
    })
    const token = login.ok ? ((await login.json()) as { refreshToken: string }).refreshToken : ''
    await browser.context.addInitScript((refresh) => {
      if (refresh && !localStorage.getItem('twin.refreshToken'))
        localStorage.setItem('twin.refreshToken', refresh)
    }, token)
    await browser.context.addInitScript(drawCallCounter)
    const page = await browser.context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const cdp = await browser.context.newCDPSession(page)

    // First drawn frame, every layer on.
    await page.goto(`${server.url}/?live=${encodeURIComponent(server.feedUrl)}&layers=all&tour=0`)
    await page.waitForFunction(() => (window.__twin?.bridge.firstSceneFrameMs ?? 0) > 0, null, {
      polling: 100,
      timeout: 60_000,
    })
    const firstFrameMs = await page.evaluate(() => window.__twin?.bridge.firstSceneFrameMs ?? 0)
    log(`first frame ${firstFrameMs.toFixed(0)} ms`)
    await page.waitForFunction(
      () => document.querySelector('[data-testid=live-state]')?.className.includes('open'),
      null,
      { polling: 100 },
    )

    // Live load through the same client path; alarms so the markers draw.
    const devices = await server.running.stores.postgres.query<{ id: string; kind: string }>(
      'SELECT id, kind FROM devices ORDER BY id',
    )
    const ids = devices.map((d) => d.id)
    server.feed.startSynthetic(ids, updatesPerSecond, 100)
    // Alarm events in the server's envelope (api/routes/live.ts), so the markers and the list have work.
    for (let i = 0; i < 20; i++) {
      const at = Date.now()
      await server.feed.push('alarm', {
        communityId: 'bench',
        at,
        data: {
          action: 'opened',
          alarm: {
            id: 1_000_000 + i,
            deviceId: ids[(i * 331) % ids.length],
            severity: 'major',
            state: 'open',
            message: 'bench',
            openedAt: new Date(at).toISOString(),
            triggeredAt: new Date(at).toISOString(),
          },
        },
      })
    }
    // Keep the camera moving (deck.gl redraws every frame the camera moves), or hold it still.
    let moving = true
    const tour = setInterval(() => {
      if (!moving) return
      void page
        .evaluate(() => {
          const x = Math.random() * 200 - 100
          const y = Math.random() * 300 - 150
          window.__twin?.bridge.requestFlyTo(x, y, 0, 150 + Math.random() * 100)
        })
        .catch(() => undefined)
    }, 2000)

    const sample = async () => {
      const state = await page.evaluate(() => ({
        frames: window.__twin?.bridge.frames ?? 0,
        draws: window.__draws?.total ?? 0,
        rafMs: window.__draws?.rafMs ?? 0,
        perFrame: [...(window.__draws?.perFrame ?? [])],
        messages: window.__twin?.store.stats.messages ?? 0,
        processingMs: window.__twin?.store.stats.processingMs ?? 0,
      }))
      return { ...state, at: performance.now() }
    }

    /** One measurement window: draw calls and JavaScript per frame from a CPU profile. */
    const measure = async (label: string, cameraMoving: boolean, windowMs: number) => {
      moving = cameraMoving
      await page.waitForTimeout(3000)
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
      await cdp.send('Profiler.start')
      const a = await sample()
      await page.waitForTimeout(windowMs)
      const b = await sample()
      const { profile: cpu } = await cdp.send('Profiler.stop')
      if (values['cpu-profile'])
        writeFileSync(`${values['cpu-profile']}.${label}.cpuprofile`, JSON.stringify(cpu))
      const frames = Math.max(1, b.frames - a.frames)
      const seconds = (b.at - a.at) / 1000
      const perFrame = b.perFrame.slice(-Math.min(b.perFrame.length, frames)).filter((n) => n > 0)
      const js = javascriptMs(cpu)
      const frameLoopJsMsPerFrame = js.frame / frames
      const otherJsMsPerSecond = js.other / seconds
      const result = {
        frames,
        drawCallsMax: Math.max(0, ...perFrame),
        drawCallsMean: (b.draws - a.draws) / frames,
        jsMsPerFrame: frameLoopJsMsPerFrame + otherJsMsPerSecond / 60,
        frameLoopJsMsPerFrame,
        otherJsMsPerSecond,
        messageMsPerSecond: (b.processingMs - a.processingMs) / seconds,
        nativeMsPerSecond: js.program / seconds,
        rafWallMsPerFrame: (b.rafMs - a.rafMs) / frames,
        updatesPerSecond: (b.messages - a.messages) / seconds,
        fps: frames / seconds,
      }
      log(`${label}: ${JSON.stringify(result)}`)
      return result
    }

    const still = await measure('still', false, 30_000)
    const moved = await measure('moving', true, 30_000)
    const drawCallsMax = Math.max(still.drawCallsMax, moved.drawCallsMax)
    const jsMsPerFrame = still.jsMsPerFrame
    const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

    // Heap: after a warm-up under live load and touring, the GC'd used heap every 30 s for `--minutes`;
    // growth compares the median of the last three samples with the first (single samples jitter by a few
    // hundred KB with JIT code and the browser's bounded performance-entry buffers).
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage')
      return (await cdp.send('Runtime.getHeapUsage')).usedSize
    }
    await page.waitForTimeout(warmupMinutes * 60_000)
    const heapSamples = [await heap()]
    const heapEndAt = Date.now() + minutes * 60_000
    while (Date.now() < heapEndAt) {
      await page.waitForTimeout(Math.min(30_000, Math.max(0, heapEndAt - Date.now())))
      heapSamples.push(await heap())
    }
    const heapStart = heapSamples[0]!
    const last = heapSamples.slice(-3).sort((x, y) => x - y)
    const heapEnd = last[Math.floor(last.length / 2)]!
    const heapGrowthPct = ((heapEnd - heapStart) / heapStart) * 100
    clearInterval(tour)
    server.feed.stopSynthetic()

    const result = {
      bench: 'twin',
      profile,
      devices: ids.length,
      updatesPerSecond,
      updatesReceivedPerSecond: Math.round(still.updatesPerSecond),
      initialJsGzipBytes: sizes.initial,
      lazyJsGzipBytes: sizes.lazy,
      firstFrameMs: Math.round(firstFrameMs),
      drawCallsPerFrameMax: drawCallsMax,
      drawCallsPerFrameMean: round(moved.drawCallsMean, 1),
      jsMsPerFrame: round(jsMsPerFrame),
      jsMsPerFrameCameraMoving: round(moved.jsMsPerFrame),
      frameLoopJsMsPerFrame: round(still.frameLoopJsMsPerFrame),
      frameLoopJsMsPerFrameCameraMoving: round(moved.frameLoopJsMsPerFrame),
      otherJsMsPerSecond: round(still.otherJsMsPerSecond, 1),
      messageHandlingJsMsPerSecond: round(still.messageMsPerSecond, 1),
      nativeMainThreadMsPerSecond: round(still.nativeMsPerSecond, 0),
      framesMeasured: still.frames + moved.frames,
      framesPerSecondSwiftShader: round(still.fps, 1),
      heapMinutes: minutes,
      heapWarmupMinutes: warmupMinutes,
      heapSamples: heapSamples.length,
      heapMaxBytes: Math.max(...heapSamples),
      heapStartBytes: heapStart,
      heapEndBytes: heapEnd,
      heapGrowthPct: round(heapGrowthPct),
      /** Every sample, MB: tells a leak (steady climb) from a plateau. */
      heapSamplesMb: heapSamples.map((b) => round(b / 1e6, 2)),
      pageErrors: errors.length,
      targets: TARGETS,
      pass:
        drawCallsMax <= TARGETS.drawCalls &&
        jsMsPerFrame <= TARGETS.jsMsPerFrame &&
        sizes.initial <= TARGETS.initialJsGzipBytes &&
        firstFrameMs <= TARGETS.firstFrameMs &&
        heapGrowthPct < TARGETS.heapGrowthPct &&
        errors.length === 0,
    }
    process.stdout.write(`${JSON.stringify(result)}\n`)
  } finally {
    await browser.close()
    await server.close()
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:twin failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    process.exit(1)
  },
)

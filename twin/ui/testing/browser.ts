/**
 * Debian's Chromium through playwright-core with a fresh profile and the flags this platform needs, and the
 * WebGL draw-call counter the benchmark and the end-to-end tests inject into the page.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface Browser {
  readonly context: BrowserContext
  close(): Promise<void>
}

/** Launches Chromium with a fresh profile directory (removed on close). */
export async function launchChromium(width = 1920, height = 1080): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'twin-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width, height },
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/**
 * Instruments the page before the app loads: counts WebGL draw calls (every context, WebGL 1 and 2, instanced
 * too) in `window.__draws.total`, the draw calls between consecutive animation frames in a ring
 * (`window.__draws.perFrame`, last 600 frames), and the JavaScript time spent inside animation-frame callbacks
 * (`window.__draws.rafMs`, the render loops of three.js and deck.gl). Added with `context.addInitScript`.
 */
export const drawCallCounter = `(() => {
  const counter = { total: 0, rafMs: 0, rafCallbacks: 0, perFrame: [] };
  window.__draws = counter;
  const names = ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced', 'drawRangeElements'];
  for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
    for (const name of names) {
      const original = proto[name];
      if (typeof original !== 'function') continue;
      proto[name] = function (...args) { counter.total++; return original.apply(this, args); };
    }
  }
  const ext = WebGLRenderingContext.prototype.getExtension;
  WebGLRenderingContext.prototype.getExtension = function (name) {
    const e = ext.call(this, name);
    if (e && name === 'ANGLE_instanced_arrays' && !e.__counted) {
      for (const m of ['drawArraysInstancedANGLE', 'drawElementsInstancedANGLE']) {
        const o = e[m]; e[m] = function (...a) { counter.total++; return o.apply(this, a); };
      }
      e.__counted = true;
    }
    return e;
  };
  const raf = window.requestAnimationFrame.bind(window);
  // Named so that CPU profiles can tell frame-loop JavaScript (below __twinFrame) from everything else.
  window.requestAnimationFrame = (callback) => raf(function __twinFrame(time) {
    const started = performance.now();
    try { callback(time); } finally { counter.rafMs += performance.now() - started; counter.rafCallbacks++; }
  });
  let last = 0;
  const sample = () => {
    counter.perFrame.push(counter.total - last);
    if (counter.perFrame.length > 600) counter.perFrame.shift();
    last = counter.total;
    raf(sample);
  };
  raf(sample);
})();`

declare global {
  interface Window {
    /** Installed by `drawCallCounter`. */
    __draws?: { total: number; rafMs: number; rafCallbacks: number; perFrame: number[] }
  }
}

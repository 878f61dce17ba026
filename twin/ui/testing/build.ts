/**
 * Makes sure twin/ui/dist is a build of the current sources: runs Vite's build programmatically when the build is
 * missing or older than any source file (tests and the benchmark call this; `npm ci` builds through `prepare`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const uiRoot = fileURLToPath(new URL('..', import.meta.url))
export const distRoot = join(uiRoot, 'dist')

function newestMtime(path: string): number {
  const stats = statSync(path)
  if (!stats.isDirectory()) return stats.mtimeMs
  let newest = 0
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/** True when dist/index.html exists and is newer than every source. */
export function uiBuildIsFresh(): boolean {
  const index = join(distRoot, 'index.html')
  if (!existsSync(index)) return false
  const sources = Math.max(
    newestMtime(join(uiRoot, 'src')),
    newestMtime(join(uiRoot, 'index.html')),
    newestMtime(join(uiRoot, 'vite.config.ts')),
  )
  return statSync(index).mtimeMs >= sources
}

/** Builds the UI unless the build is fresh; returns whether it built. */
export async function ensureUiBuilt(): Promise<boolean> {
  if (uiBuildIsFresh()) return false
  const { build } = await import('vite')
  await build({ configFile: join(uiRoot, 'vite.config.ts'), logLevel: 'warn' })
  return true
}

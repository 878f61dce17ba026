/**
 * Vite build of the twin UI: `npm run build:ui` writes twin/ui/dist, which api/routes/static.ts serves at `/`.
 * Every emitted JS/CSS/HTML file also gets a `.gz` sibling so the server sends precompressed bytes (and the
 * benchmark measures the same bytes the browser downloads).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
const outDir = join(root, 'dist')

/** Writes `file.gz` next to each compressible output file once the bundle is on disk. */
function gzipOutputs(): Plugin {
  return {
    name: 'twin-gzip-outputs',
    apply: 'build',
    writeBundle(_options, bundle) {
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(js|css|html|json|svg)$/.test(fileName)) continue
        const path = join(outDir, fileName)
        writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }))
      }
    },
  }
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), gzipOutputs()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // deck.gl is one lazy chunk of ~1 MB raw; the budget that matters is gzip of the initial load (bench/twin.ts).
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
})

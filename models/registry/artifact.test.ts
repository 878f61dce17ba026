/** Saving and loading model versions: the loaded model must predict exactly what the trained one did. */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import * as tf from '@tensorflow/tfjs'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../backend.ts'
import { readCsvFile } from '../csv/read.ts'
import { DataError } from '../errors.ts'
import { scoreTable } from '../pipeline/score.ts'
import { trainPipeline } from '../pipeline/train.ts'
import { MANIFEST_FILE, SPEC_FILE, loadArtifact, nextVersionDir, saveArtifact } from './artifact.ts'
import { directoryHandler } from './io-handler.ts'

const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name)

describe('registry', () => {
  let dir: string
  before(async () => {
    await initBackend()
    dir = mkdtempSync(join(tmpdir(), 'pdm-registry-'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('round-trips a bare model through the directory IO handler', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [3], units: 2, activation: 'tanh' })],
    })
    await model.save(directoryHandler(join(dir, 'bare')))
    const loaded = await tf.loadLayersModel(directoryHandler(join(dir, 'bare')))
    const x = tf.tensor2d([[0.1, -2, 3]])
    assert.deepEqual(
      (loaded.predict(x) as tf.Tensor).arraySync(),
      (model.predict(x) as tf.Tensor).arraySync(),
    )
  })

  for (const [task, file, options] of [
    ['rul', 'rul-groups.csv', { label: 'rul', group: 'pump', time: 'hour', window: 8, members: 2 }],
    ['anomaly', 'anomaly-rows.csv', { exclude: ['ts'], label: 'is_anomaly', rolling: 3 }],
  ] as const) {
    it(`saves a ${task} model version and loads it back with identical predictions`, async () => {
      const { table, fingerprint } = readCsvFile(fixture(file))
      const trained = await trainPipeline(table, { task, ...options, epochs: 2 })
      const { dir: versionDir, version } = await nextVersionDir(dir, task)
      assert.equal(version, 'v1')
      await saveArtifact(versionDir, version, {
        name: task,
        model: trained.model,
        plan: trained.plan,
        spec: trained.spec,
        metrics: { train: trained.trainMetrics },
        fingerprint,
      })
      for (const f of ['model.json', 'weights.bin', SPEC_FILE, 'metrics.json', MANIFEST_FILE]) {
        assert.ok(existsSync(join(versionDir, f)), f)
      }
      const manifest = JSON.parse(readFileSync(join(versionDir, MANIFEST_FILE), 'utf8')) as {
        fingerprint: { sha256: string }
      }
      assert.equal(manifest.fingerprint.sha256, fingerprint.sha256)
      assert.equal(manifest.fingerprint.sha256.length, 64)

      const loaded = await loadArtifact(versionDir)
      assert.deepEqual(loaded.spec, JSON.parse(JSON.stringify(trained.spec)))
      const before = scoreTable(trained.model, trained.spec, table).predictions.output
      const after = scoreTable(loaded.model, loaded.spec, table).predictions.output
      assert.deepEqual(after, before)
      assert.equal((await nextVersionDir(dir, task)).version, 'v2')
      await assert.rejects(
        saveArtifact(versionDir, version, {
          name: task,
          model: trained.model,
          plan: trained.plan,
          spec: trained.spec,
          metrics: {},
          fingerprint,
        }),
        /already holds a model/,
      )
    })
  }

  it('refuses a directory that is not a saved model', async () => {
    await assert.rejects(
      loadArtifact(join(dir, 'nothing')),
      (e: Error) => e instanceof DataError && /not a saved model/.test(e.message),
    )
  })
})

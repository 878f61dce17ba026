/**
 * Versioned model artifacts on disk: `<dataDir>/models/<name>/v<N>/` holds
 *
 * - `model.json` + `weights.bin`  the network (io-handler.ts),
 * - `feature-spec.json`            how to turn rows into inputs and outputs back into labels,
 * - `metrics.json`                 what training measured,
 * - `manifest.json`                name, version, task, creation time, network plan, how the CSV was read, and
 *                                  the training-data fingerprint (sha256 of the CSV bytes).
 *
 * A version is written into a temporary sibling directory and renamed into place, so a reader never sees half a
 * model and two trainings of the same name cannot both claim the same version.
 */
import * as tf from '@tensorflow/tfjs'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { CsvOptions, DataFingerprint } from '../csv/read.ts'
import { DataError } from '../errors.ts'
import type { FeatureSpec } from '../features/spec.ts'
import type { NetworkPlan } from '../nets/network.ts'
import { MODEL_FILE, directoryHandler } from './io-handler.ts'

export const MANIFEST_FILE = 'manifest.json'
export const SPEC_FILE = 'feature-spec.json'
export const METRICS_FILE = 'metrics.json'

/** The manifest of one saved model version. */
export interface ArtifactManifest {
  readonly format: 'pdm-model/1'
  readonly name: string
  readonly version: string
  readonly task: FeatureSpec['task']
  readonly createdAt: string
  readonly plan: NetworkPlan
  readonly fingerprint: DataFingerprint
  /** How the training CSV was read (separator, header), reused when scoring files of the same shape. */
  readonly csv: CsvOptions
}

/** A model loaded back from disk. */
export interface LoadedArtifact {
  readonly dir: string
  readonly manifest: ArtifactManifest
  readonly spec: FeatureSpec
  readonly metrics: Record<string, unknown>
  readonly model: tf.LayersModel
}

/** What to save. */
export interface ArtifactContent {
  readonly name: string
  readonly model: tf.LayersModel
  readonly plan: NetworkPlan
  readonly spec: FeatureSpec
  readonly metrics: Record<string, unknown>
  readonly fingerprint: DataFingerprint
  readonly csv?: CsvOptions
}

/** The next free version directory for `name` under `<dataDir>/models/`: v1, v2, … */
export async function nextVersionDir(
  dataDir: string,
  name: string,
): Promise<{ dir: string; version: string }> {
  const root = join(dataDir, 'models', name)
  let highest = 0
  if (existsSync(root)) {
    for (const entry of await readdir(root)) {
      const m = /^v(\d+)$/.exec(entry)
      if (m !== null) highest = Math.max(highest, Number(m[1]))
    }
  }
  const version = `v${highest + 1}`
  return { dir: join(root, version), version }
}

/**
 * Saves a model version into `dir` (which must not hold a model yet) atomically; returns the manifest.
 * `version` is recorded in the manifest (the directory name for registry paths).
 */
export async function saveArtifact(
  dir: string,
  version: string,
  content: ArtifactContent,
): Promise<ArtifactManifest> {
  if (existsSync(join(dir, MODEL_FILE)))
    throw new DataError(`${dir} already holds a model; choose another --out`)
  const manifest: ArtifactManifest = {
    format: 'pdm-model/1',
    name: content.name,
    version,
    task: content.spec.task,
    createdAt: new Date().toISOString(),
    plan: content.plan,
    fingerprint: content.fingerprint,
    csv: content.csv ?? {},
  }
  await mkdir(dirname(dir), { recursive: true })
  const staging = `${dir}.staging-${process.pid}-${Date.now()}`
  try {
    await content.model.save(directoryHandler(staging))
    await writeFile(join(staging, SPEC_FILE), `${JSON.stringify(content.spec, null, 2)}\n`)
    await writeFile(join(staging, METRICS_FILE), `${JSON.stringify(content.metrics, null, 2)}\n`)
    await writeFile(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`)
    // rename() replaces an empty directory but fails on a non-empty one: a concurrent save of the same version
    // loses here instead of overwriting the winner.
    await rename(staging, dir)
  } catch (err) {
    await rm(staging, { recursive: true, force: true })
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOTEMPTY' || code === 'EEXIST')
      throw new DataError(`${dir} was written by another training; retry`)
    throw err
  }
  return manifest
}

async function readJson<T>(dir: string, file: string): Promise<T> {
  try {
    return JSON.parse(await readFile(join(dir, file), 'utf8')) as T
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message
    throw new DataError(`${dir} is not a saved model (${file}: ${code})`)
  }
}

/** Loads a saved model version from `dir`; throws DataError if it is not one. */
export async function loadArtifact(dir: string): Promise<LoadedArtifact> {
  const manifest = await readJson<ArtifactManifest>(dir, MANIFEST_FILE)
  if (manifest.format !== 'pdm-model/1')
    throw new DataError(`${dir}: unknown model format ${JSON.stringify(manifest.format)}`)
  const spec = await readJson<FeatureSpec>(dir, SPEC_FILE)
  const metrics = await readJson<Record<string, unknown>>(dir, METRICS_FILE)
  const model = await tf.loadLayersModel(directoryHandler(dir))
  return { dir, manifest, spec, metrics, model }
}

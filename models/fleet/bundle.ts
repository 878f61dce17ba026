/**
 * Versioned fleet model artifacts: `<dataDir>/models/pdm-<kind>/v<N>/` holds
 *
 * - `classifier/`, `rul/`, `anomaly/`  the three networks (model.json + weights.bin, registry/io-handler.ts),
 * - `spec.json`                       inputs, geometry, horizon, calibrated alert policy, drift reference,
 * - `metrics.json`                    what training and validation measured,
 * - `manifest.json`                   name, version, kind, creation time, network plans, and the fingerprint of the
 *                                     training data (sha256 of its hourly aggregates, the histories it came from).
 *
 * Written into a staging directory and renamed into place, like the CSV models (registry/artifact.ts): a reader
 * never sees half a version, and two trainings cannot both claim the same number. The scoring job serves the
 * highest version of each kind.
 */
import * as tf from '@tensorflow/tfjs'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { DataError } from '../errors.ts'
import type { NetworkPlan } from '../nets/network.ts'
import { directoryHandler } from '../registry/io-handler.ts'
import { nextVersionDir } from '../registry/artifact.ts'
import type { PredictiveKind } from '../telemetry/hourly-sql.ts'
import type { FleetSpec } from './spec.ts'

const NETS = ['classifier', 'rul', 'anomaly'] as const
type NetName = (typeof NETS)[number]

/** Where the training data came from. */
export interface FleetFingerprint {
  /** sha256 of the training samples' inputs and labels. */
  readonly sha256: string
  /** Human-readable sources, e.g. "simulator seed 101, default profile, 2026-01-05 + 40 d". */
  readonly sources: readonly string[]
  readonly samples: number
  readonly positives: number
}

export interface FleetManifest {
  readonly format: 'pdm-fleet-model/1'
  readonly name: string
  readonly version: string
  readonly kind: PredictiveKind
  readonly createdAt: string
  readonly plans: Readonly<Record<NetName, NetworkPlan>>
  readonly fingerprint: FleetFingerprint
}

/** A loaded fleet model version. */
export interface FleetBundle {
  readonly dir: string
  readonly manifest: FleetManifest
  readonly spec: FleetSpec
  readonly metrics: Record<string, unknown>
  readonly classifier: tf.LayersModel
  readonly rul: tf.LayersModel
  readonly anomaly: tf.LayersModel
}

/** What to save. */
export interface FleetContent {
  readonly spec: FleetSpec
  readonly metrics: Record<string, unknown>
  readonly plans: Readonly<Record<NetName, NetworkPlan>>
  readonly fingerprint: FleetFingerprint
  readonly classifier: tf.LayersModel
  readonly rul: tf.LayersModel
  readonly anomaly: tf.LayersModel
}

/** The registry name of a kind's fleet model. */
export function fleetModelName(kind: PredictiveKind): string {
  return `pdm-${kind.replace('_', '-')}`
}

/** Saves the next version of the kind's model under `dataDir`; returns its manifest. */
export async function saveFleetBundle(dataDir: string, content: FleetContent): Promise<FleetManifest> {
  const name = fleetModelName(content.spec.kind)
  const { dir, version } = await nextVersionDir(dataDir, name)
  const manifest: FleetManifest = {
    format: 'pdm-fleet-model/1',
    name,
    version,
    kind: content.spec.kind,
    createdAt: new Date().toISOString(),
    plans: content.plans,
    fingerprint: content.fingerprint,
  }
  await mkdir(dirname(dir), { recursive: true })
  const staging = `${dir}.staging-${process.pid}-${Date.now()}`
  try {
    for (const net of NETS) await content[net].save(directoryHandler(join(staging, net)))
    await writeFile(join(staging, 'spec.json'), `${JSON.stringify(content.spec)}\n`)
    await writeFile(join(staging, 'metrics.json'), `${JSON.stringify(content.metrics, null, 2)}\n`)
    await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
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
    throw new DataError(`${dir} is not a saved fleet model (${file}: ${code})`)
  }
}

/** Loads a saved version; throws DataError if `dir` is not one. */
export async function loadFleetBundle(dir: string): Promise<FleetBundle> {
  const manifest = await readJson<FleetManifest>(dir, 'manifest.json')
  if (manifest.format !== 'pdm-fleet-model/1')
    throw new DataError(`${dir}: unknown model format ${JSON.stringify(manifest.format)}`)
  const spec = await readJson<FleetSpec>(dir, 'spec.json')
  const metrics = await readJson<Record<string, unknown>>(dir, 'metrics.json')
  const [classifier, rul, anomaly] = await Promise.all(
    NETS.map((net) => tf.loadLayersModel(directoryHandler(join(dir, net)))),
  )
  return { dir, manifest, spec, metrics, classifier: classifier!, rul: rul!, anomaly: anomaly! }
}

/** Every saved version of a kind, oldest first (directory names v1, v2, …). */
export async function fleetVersions(dataDir: string, kind: PredictiveKind): Promise<string[]> {
  const root = join(dataDir, 'models', fleetModelName(kind))
  if (!existsSync(root)) return []
  const versions: number[] = []
  for (const entry of await readdir(root)) {
    const m = /^v(\d+)$/.exec(entry)
    if (m !== null && existsSync(join(root, entry, 'manifest.json'))) versions.push(Number(m[1]))
  }
  return versions.sort((a, b) => a - b).map((v) => join(root, `v${v}`))
}

/** The newest saved version's directory of a kind, or null. */
export async function latestFleetDir(dataDir: string, kind: PredictiveKind): Promise<string | null> {
  const all = await fleetVersions(dataDir, kind)
  return all[all.length - 1] ?? null
}

/** Frees the networks' memory. */
export function disposeFleetBundle(bundle: FleetBundle): void {
  bundle.classifier.dispose()
  bundle.rul.dispose()
  bundle.anomaly.dispose()
}

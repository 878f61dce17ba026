/**
 * A tfjs IOHandler that saves to and loads from a directory on disk: `model.json` (topology + weights manifest)
 * and `weights.bin`, the same layout tfjs-node's `file://` handler writes, which we cannot use here (tfjs-node
 * does not install). Usable as `model.save(directoryHandler(dir))` and `tf.loadLayersModel(directoryHandler(dir))`.
 */
import * as tf from '@tensorflow/tfjs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export const MODEL_FILE = 'model.json'
export const WEIGHTS_FILE = 'weights.bin'

/** An IOHandler bound to `dir` (created on save). */
export function directoryHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error('binary model topologies (GraphDef) are not supported by the directory handler')
      }
      await mkdir(dir, { recursive: true })
      const weights = new Uint8Array(
        tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)),
      )
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      }
      if (artifacts.trainingConfig !== undefined) modelJson.trainingConfig = artifacts.trainingConfig
      if (artifacts.userDefinedMetadata !== undefined)
        modelJson.userDefinedMetadata = artifacts.userDefinedMetadata
      await writeFile(join(dir, WEIGHTS_FILE), weights)
      await writeFile(join(dir, MODEL_FILE), JSON.stringify(modelJson))
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) }
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const modelPath = join(dir, MODEL_FILE)
      const modelJson = JSON.parse(await readFile(modelPath, 'utf8')) as tf.io.ModelJSON
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = []
        const buffers: ArrayBuffer[] = []
        for (const group of manifest) {
          specs.push(...group.weights)
          for (const path of group.paths) {
            const bytes = await readFile(join(dirname(modelPath), path))
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
          }
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)]
      })
    },
  }
}

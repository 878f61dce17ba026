/**
 * The deck.gl layers drawn over the three.js scene: the crowd heatmap (people counters weighted by how many
 * people they see; a graduated-dot fallback where the browser cannot blend into float textures) and the name
 * labels of buildings and gates. Data arrays are built once per scene; live values go in via update triggers.
 */
import { COORDINATE_SYSTEM, type Layer } from '@deck.gl/core'
import { HeatmapLayer } from '@deck.gl/aggregation-layers'
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers'
import type { Scene } from '../api/scene-types.ts'
import type { LiveStore } from '../live/live-store.ts'

export interface CrowdPoint {
  readonly position: [number, number, number]
  /** Store index of the people counter. */
  readonly device: number
}

export interface LabelPoint {
  readonly position: [number, number, number]
  readonly text: string
}

/** Data derived once per scene. */
export interface DeckData {
  readonly crowd: readonly CrowdPoint[]
  readonly labels: readonly LabelPoint[]
}

/** Builds the per-scene data: people counters and label anchors. */
export function deckData(scene: Scene): DeckData {
  const crowd: CrowdPoint[] = []
  scene.devices.forEach((d, i) => {
    if (d.kind === 'people_counter') crowd.push({ position: [d.x, d.y, 0.5], device: i })
  })
  const labels: LabelPoint[] = scene.buildings
    .filter((b) => b.kind !== 'gatehouse')
    .map((b) => {
      const n = b.footprint.length
      const x = b.footprint.reduce((s, p) => s + p[0], 0) / n
      const y = b.footprint.reduce((s, p) => s + p[1], 0) / n
      return { position: [x, y, b.height + 3] as [number, number, number], text: b.name }
    })
  for (const g of scene.gates) labels.push({ position: [g.position[0], g.position[1], 6], text: g.name })
  return { crowd, labels }
}

export interface DeckLayerOptions {
  readonly crowd: boolean
  readonly labels: boolean
  /** Use the heatmap (false: float blending missing, use dots). */
  readonly heatmap: boolean
  /** Bumps when people counters change. */
  readonly crowdVersion: number
  readonly fontFamily: string
  /** Label size multiplier (viewport height / 1080, so a 4K wall reads like a 1080p one). */
  readonly labelScale: number
}

/** Builds the layer list for the current toggles. */
export function deckLayers(data: DeckData, store: LiveStore, options: DeckLayerOptions): Layer[] {
  const layers: Layer[] = []
  const weight = (p: CrowdPoint) => Math.max(0, store.value[p.device] ?? 0)
  if (options.crowd && data.crowd.length > 0) {
    layers.push(
      options.heatmap
        ? new HeatmapLayer<CrowdPoint>({
            id: 'crowd-heatmap',
            data: data.crowd,
            coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
            getPosition: (p) => p.position,
            getWeight: weight,
            radiusPixels: 45,
            intensity: 1.2,
            threshold: 0.04,
            // A few hundred metres of site: 512² texels are plenty, and a quarter of the GPU work of 1024².
            weightsTextureSize: 512,
            opacity: 0.6,
            updateTriggers: { getWeight: options.crowdVersion },
          })
        : new ScatterplotLayer<CrowdPoint>({
            id: 'crowd-dots',
            data: data.crowd,
            coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
            getPosition: (p) => p.position,
            getRadius: (p) => 6 + Math.sqrt(weight(p)) * 2,
            radiusUnits: 'meters',
            getFillColor: [255, 120, 40, 150],
            updateTriggers: { getRadius: options.crowdVersion },
          }),
    )
  }
  if (options.labels) {
    layers.push(
      new TextLayer<LabelPoint>({
        id: 'labels',
        data: data.labels,
        coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
        getPosition: (l) => l.position,
        getText: (l) => l.text,
        getSize: 15,
        sizeScale: options.labelScale,
        sizeUnits: 'pixels',
        getColor: [220, 235, 255, 235],
        characterSet: 'auto',
        fontFamily: options.fontFamily,
        fontSettings: { sdf: true },
        outlineWidth: 3,
        outlineColor: [5, 11, 20, 230],
        billboard: true,
        parameters: { depthCompare: 'always' },
      }),
    )
  }
  return layers
}

/** The device features HeatmapLayer needs to accumulate weights in a float texture. */
export const FLOAT_BLEND_FEATURES = ['float32-renderable-webgl', 'texture-blend-float-webgl'] as const

/**
 * deck.gl on its own canvas stacked over the three.js canvas, drawing with the three.js camera (ThreeView). It
 * takes no input (pointer-events: none; no controller) and receives the camera right after three.js rendered a
 * frame in which it moved; its own frame callback, later in the same animation frame, draws with it, so both
 * canvases always show the same view. Loaded lazily: the 3D scene
 * draws before deck.gl's code has even arrived. The default export is the component (for React.lazy).
 */
import { Deck } from '@deck.gl/core'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { Scene } from '../api/scene-types.ts'
import type { LayerState } from '../layers/layers.ts'
import type { LiveStore } from '../live/live-store.ts'
import type { MatrixViewState, SceneBridge } from '../scene/bridge.ts'
import { deckData, deckLayers, FLOAT_BLEND_FEATURES } from './deck-layers.ts'
import { ThreeView } from './three-view.ts'

export interface DeckOverlayProps {
  readonly scene: Scene
  readonly store: LiveStore
  readonly bridge: SceneBridge
  readonly layers: LayerState
  /** Told whether the crowd layer had to fall back from the heatmap (no float blending). */
  readonly onHeatmapFallback?: (fallback: boolean) => void
  /**
   * How often live crowd values are pushed to the GPU, ms. People counters report once a minute, and each
   * push makes the heatmap re-aggregate its weight texture, so there is no point in doing it every second.
   */
  readonly crowdRefreshMs?: number
  readonly fontFamily?: string
}

const views = [new ThreeView()]

/** deck.gl types view states per built-in view; ThreeView's is the matrix pair, passed through untouched. */
function asViewState(viewState: MatrixViewState): Record<string, never> {
  return viewState as unknown as Record<string, never>
}

/** The deck.gl overlay. */
export default function DeckOverlay({
  scene,
  store,
  bridge,
  layers,
  onHeatmapFallback,
  crowdRefreshMs = 10_000,
  fontFamily = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif',
}: DeckOverlayProps) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const [deck, setDeck] = useState<Deck<ThreeView[]> | null>(null)
  const [heatmap, setHeatmap] = useState(true)
  const [crowdVersion, setCrowdVersion] = useState(store.crowdVersion)
  const [labelScale, setLabelScale] = useState(() => Math.max(1, window.innerHeight / 1080))
  const data = useMemo(() => deckData(scene), [scene])
  const fallbackReport = useRef(onHeatmapFallback)
  fallbackReport.current = onHeatmapFallback

  useEffect(() => {
    if (!canvas.current) return
    const instance = new Deck({
      canvas: canvas.current,
      views,
      viewState: asViewState(bridge.viewState),
      controller: false,
      useDevicePixels: true,
      layers: [],
      onDeviceInitialized: (device) => {
        const ok = FLOAT_BLEND_FEATURES.every((f) => device.features.has(f))
        setHeatmap(ok)
        fallbackReport.current?.(!ok)
      },
      onError: (error) => console.warn(`twin-ui: deck.gl: ${error.message}`),
    })
    // deck.gl's own animation-frame callback updates its layers and draws with this view state in the same
    // frame: it was registered after r3f's loop, and rAF callbacks run in registration order every frame.
    // (Redrawing here as well would draw every moving frame twice.)
    bridge.onCamera = (viewState) => instance.setProps({ viewState: asViewState(viewState) })
    setDeck(instance)
    return () => {
      bridge.onCamera = null
      instance.finalize()
    }
  }, [bridge])

  useEffect(() => {
    const onResize = () => setLabelScale(Math.max(1, window.innerHeight / 1080))
    window.addEventListener('resize', onResize)
    return () => window.removeEventListener('resize', onResize)
  }, [])

  useEffect(() => {
    const timer = setInterval(() => setCrowdVersion(store.crowdVersion), crowdRefreshMs)
    return () => clearInterval(timer)
  }, [store, crowdRefreshMs])

  useEffect(() => {
    deck?.setProps({
      layers: deckLayers(data, store, {
        crowd: layers.crowd,
        labels: layers.labels,
        heatmap,
        crowdVersion,
        fontFamily,
        labelScale,
      }),
    })
  }, [deck, data, store, layers.crowd, layers.labels, heatmap, crowdVersion, fontFamily, labelScale])

  return <canvas ref={canvas} className="deck-canvas" />
}

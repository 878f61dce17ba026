/**
 * The data layers the wall screen can toggle, their defaults, and `?layers=` on the URL (`all`, `none` or a
 * comma list) for kiosks, tests and the benchmark.
 */
import type { MessageKey } from '../i18n/dict.ts'

export const LAYER_IDS = ['devices', 'labels', 'crowd', 'energy', 'alarms', 'risk', 'parking'] as const
export type LayerId = (typeof LAYER_IDS)[number]
export type LayerState = Readonly<Record<LayerId, boolean>>

export const defaultLayers: LayerState = {
  devices: true,
  labels: true,
  crowd: true,
  energy: false,
  alarms: true,
  risk: false,
  parking: true,
}

/** Legend text of each layer. */
export const layerLegend: Readonly<Record<LayerId, MessageKey>> = {
  devices: 'legend.devices',
  labels: 'legend.labels',
  crowd: 'legend.crowd',
  energy: 'legend.energy',
  alarms: 'legend.alarms',
  risk: 'legend.risk',
  parking: 'legend.parking',
}

/** The initial layer state from a `layers` URL parameter (null → defaults). */
export function layersFromParam(param: string | null): LayerState {
  if (param === null) return defaultLayers
  const on = param === 'all' ? new Set<string>(LAYER_IDS) : new Set(param.split(',').map((s) => s.trim()))
  return Object.fromEntries(LAYER_IDS.map((id) => [id, on.has(id)])) as Record<LayerId, boolean>
}

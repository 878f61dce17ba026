/**
 * Colours of the dark wall-screen theme for scene geometry, as linear RGB triples (three's working colour space),
 * plus the state palette instanced devices are tinted with.
 */
import { Color } from 'three'
import type { AreaKind, BuildingKind } from '../../../../../data/index.ts'
import { DEVICE_KINDS } from '../../api/scene-types.ts'

/** sRGB hex → linear RGB triple. */
export function rgb(hex: string): readonly [number, number, number] {
  const c = new Color(hex)
  return [c.r, c.g, c.b]
}

export const groundColor = rgb('#0b1622')
export const boundaryColor = rgb('#1f3b55')

export const buildingColors: Readonly<Record<BuildingKind, readonly [number, number, number]>> = {
  walkup: rgb('#3c5f86'),
  tower: rgb('#4a76a6'),
  clubhouse: rgb('#6a5a9c'),
  kindergarten: rgb('#9c5a84'),
  pump_room: rgb('#1f9c9c'),
  gatehouse: rgb('#7b8794'),
  commercial: rgb('#9c7a45'),
}

export const areaColors: Readonly<Record<AreaKind, readonly [number, number, number]>> = {
  green_belt: rgb('#1d4d33'),
  fitness: rgb('#2f6b45'),
  playground: rgb('#5a6b2f'),
  plaza: rgb('#3a4656'),
  water: rgb('#173f6b'),
  waste_station: rgb('#4d3b2a'),
}

export const roadColors = {
  main: rgb('#2b3848'),
  branch: rgb('#25303d'),
  footpath: rgb('#34404e'),
  ramp: rgb('#3d3326'),
} as const

export const lotColors = { surface: rgb('#22323f'), underground: rgb('#141f2a') } as const

/** Base colour per device kind (same order as DEVICE_KINDS). */
export const deviceKindColors: readonly (readonly [number, number, number])[] = DEVICE_KINDS.map((kind) => {
  switch (kind) {
    case 'electricity_meter':
      return rgb('#f0c419')
    case 'water_meter':
      return rgb('#3fa7f5')
    case 'elevator':
      return rgb('#d8e6f3')
    case 'water_pump':
      return rgb('#34d3c4')
    case 'access_gate':
      return rgb('#a0e060')
    case 'people_counter':
      return rgb('#f58cd0')
    case 'parking_barrier':
      return rgb('#ffa24c')
    case 'fire_panel':
      return rgb('#ff6b6b')
    case 'smoke_detector':
      return rgb('#c8a0ff')
    case 'env_sensor':
      return rgb('#7ef0a0')
    case 'street_light':
      return rgb('#ffe7a0')
  }
})

/**
 * Tint per device state (DeviceState codes): unknown dims the kind colour, ok keeps it, active brightens,
 * offline greys, maintenance turns amber, fault and alarm red.
 */
export const stateTints: readonly (readonly [mix: number, r: number, g: number, b: number])[] = [
  [0.55, 0.25, 0.3, 0.36], // unknown: mostly dim grey
  [0, 0, 0, 0], // ok: the kind colour
  [0.35, 1, 1, 1], // active: towards white
  [0.85, 0.3, 0.3, 0.3], // offline
  [0.85, 1, 0.62, 0.1], // maintenance
  [0.9, 1, 0.15, 0.1], // fault
  [1, 1, 0.1, 0.1], // alarm
]

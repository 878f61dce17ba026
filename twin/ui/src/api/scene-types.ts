/**
 * The shapes `GET /api/v1/twin/communities` and `GET /api/v1/twin/communities/:id/scene` return (api/routes/twin.ts),
 * expressed with the community model's types. Local metre frame: x east, y north, z up.
 */
import type {
  AreaKind,
  BuildingKind,
  DeviceKind,
  Gate,
  OpenArea,
  ParkingLot,
  Polygon,
  RoadGraph,
} from '../../../../data/index.ts'

export interface CommunitySummary {
  readonly id: string
  readonly name: string
  readonly city: string
  readonly district: string
  readonly lat: number
  readonly lon: number
}

export interface SceneBuilding {
  readonly id: string
  readonly name: string
  readonly kind: BuildingKind
  readonly footprint: Polygon
  readonly floors: number
  readonly basementFloors: number
  readonly height: number
  readonly floorHeight: number
  readonly entrances: number
  readonly elevatorCount: number
}

export type SceneArea = Pick<OpenArea, 'id' | 'name' | 'polygon'> & { readonly kind: AreaKind }
export type SceneGate = Pick<Gate, 'id' | 'name' | 'kind' | 'position' | 'lanes'>
export type SceneParkingLot = Pick<ParkingLot, 'id' | 'name' | 'kind' | 'polygon' | 'level'> & {
  /** Number of parking spaces in the lot. */
  readonly spaces: number
}

export interface SceneDevice {
  readonly id: string
  readonly kind: DeviceKind
  readonly x: number
  readonly y: number
  readonly z: number
  readonly buildingId: string | null
  readonly public: boolean
}

export interface Scene {
  readonly community: CommunitySummary & {
    readonly boundary: Polygon
    readonly roads: RoadGraph
    readonly builtYear: number
  }
  readonly buildings: readonly SceneBuilding[]
  readonly areas: readonly SceneArea[]
  readonly gates: readonly SceneGate[]
  readonly parkingLots: readonly SceneParkingLot[]
  readonly devices: readonly SceneDevice[]
}

/** Device kinds in a fixed order: the index is the kind's code in typed arrays. */
export const DEVICE_KINDS = [
  'electricity_meter',
  'water_meter',
  'elevator',
  'water_pump',
  'access_gate',
  'people_counter',
  'parking_barrier',
  'fire_panel',
  'smoke_detector',
  'env_sensor',
  'street_light',
] as const satisfies readonly DeviceKind[]

export type { DeviceKind }

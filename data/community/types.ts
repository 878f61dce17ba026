/**
 * The community model: everything the twin, the simulator, the ingest and the records share about a residential
 * community (小区). Plain data (JSON-serialisable), produced by `generateCommunity` and loaded into PostgreSQL.
 *
 * Coordinates are metres in a local east-north-up frame whose origin is the community's geo anchor:
 * x east, y north, z up (0 = ground level; negative = underground).
 */

/** A point or vector in the local frame, metres. */
export type Vec2 = readonly [x: number, y: number]
export type Vec3 = readonly [x: number, y: number, z: number]
/** A simple polygon, counter-clockwise, first vertex not repeated at the end. */
export type Polygon = readonly Vec2[]

export type Profile = 'small' | 'default' | 'large'

export interface GeoAnchor {
  /** WGS-84 latitude of the local origin, degrees. */
  readonly lat: number
  /** WGS-84 longitude of the local origin, degrees. */
  readonly lon: number
}

export type BuildingKind =
  'walkup' | 'tower' | 'clubhouse' | 'kindergarten' | 'pump_room' | 'gatehouse' | 'commercial'

export interface Building {
  readonly id: string
  readonly communityId: string
  /** Display name, e.g. "3号楼". */
  readonly name: string
  readonly kind: BuildingKind
  readonly footprint: Polygon
  readonly floors: number
  /** Floors below ground (garages, pump rooms). */
  readonly basementFloors: number
  /** Roof height above ground, metres. */
  readonly height: number
  readonly floorHeight: number
  /** Entrances (单元) of a residential building; each has its own stair core and elevators. */
  readonly entrances: number
  readonly elevatorCount: number
  readonly builtYear: number
  /**
   * Road node at each entrance's door (one per entrance, west to east), where people enter the road graph.
   * Added for the simulator; empty for buildings with no door on the road graph (gatehouses, basement pump rooms).
   */
  readonly entranceNodeIds?: readonly string[]
  /** For a pump room: the buildings its secondary water supply serves. */
  readonly servedBuildingIds?: readonly string[]
}

export interface Unit {
  readonly id: string
  readonly buildingId: string
  /** Entrance (单元) number, 1-based. */
  readonly entrance: number
  readonly floor: number
  /** Room number as written on the door, e.g. "1502". */
  readonly number: string
  /** Floor (building) area in square metres, the basis of property fees. */
  readonly area: number
  readonly bedrooms: number
  readonly usage: 'residential' | 'commercial'
}

export interface Household {
  readonly id: string
  readonly unitId: string
  readonly tenure: 'owner' | 'tenant' | 'vacant'
  readonly moveInDate: string
}

export type AgeGroup = 'child' | 'adult' | 'elderly'

export interface Resident {
  readonly id: string
  readonly householdId: string
  /** Synthetic Chinese name. */
  readonly name: string
  readonly gender: 'M' | 'F'
  readonly birthDate: string
  /** 18-digit resident ID number in GB 11643 format, with a valid check digit. Synthetic. */
  readonly idNumber: string
  /** Mainland mobile number, 11 digits. Synthetic. Absent for young children. */
  readonly phone: string | null
  readonly relation: 'owner' | 'spouse' | 'child' | 'parent' | 'tenant' | 'other'
  readonly ageGroup: AgeGroup
  /** What their ordinary weekday looks like, used by the simulator's demand model. */
  readonly occupation: 'commuter' | 'student' | 'retired' | 'home' | 'preschool'
}

export interface Vehicle {
  readonly id: string
  readonly householdId: string
  /** Chinese plate, e.g. "沪A12345" (new-energy plates have 6 characters after the letter). */
  readonly plate: string
  readonly energy: 'fuel' | 'electric'
  /** Monthly parking space, if the household rents or owns one. */
  readonly spaceId: string | null
}

export interface RoadNode {
  readonly id: string
  readonly position: Vec2
}

export interface RoadEdge {
  readonly id: string
  readonly from: string
  readonly to: string
  /** Carriageway width, metres. */
  readonly width: number
  readonly kind: 'main' | 'branch' | 'footpath' | 'ramp'
  /** Length along the polyline, metres. */
  readonly length: number
  /** Intermediate points between `from` and `to`, if the edge bends. */
  readonly via: readonly Vec2[]
}

export interface RoadGraph {
  readonly nodes: readonly RoadNode[]
  readonly edges: readonly RoadEdge[]
}

export interface Gate {
  readonly id: string
  readonly communityId: string
  readonly name: string
  readonly kind: 'pedestrian' | 'vehicle' | 'mixed'
  readonly position: Vec2
  /** Road node the gate opens onto inside the community. */
  readonly nodeId: string
  /** Number of lanes/turnstiles. */
  readonly lanes: number
}

export interface ParkingLot {
  readonly id: string
  readonly communityId: string
  readonly name: string
  readonly kind: 'surface' | 'underground'
  readonly polygon: Polygon
  /** Road node at the lot's entrance. */
  readonly entranceNodeId: string
  readonly level: number
}

export interface ParkingSpace {
  readonly id: string
  readonly lotId: string
  readonly number: string
  readonly position: Vec2
  readonly kind: 'standard' | 'ev_charging' | 'accessible'
  readonly tenure: 'owned' | 'monthly' | 'visitor'
}

export type AreaKind = 'green_belt' | 'fitness' | 'playground' | 'plaza' | 'water' | 'waste_station'

export interface OpenArea {
  readonly id: string
  readonly communityId: string
  readonly name: string
  readonly kind: AreaKind
  readonly polygon: Polygon
}

export type DeviceKind =
  | 'electricity_meter'
  | 'water_meter'
  | 'elevator'
  | 'water_pump'
  | 'access_gate'
  | 'people_counter'
  | 'parking_barrier'
  | 'fire_panel'
  | 'smoke_detector'
  | 'env_sensor'
  | 'street_light'

export interface Device {
  readonly id: string
  readonly communityId: string
  readonly kind: DeviceKind
  /** Manufacturer model, e.g. "DTSY1352" for a smart meter. */
  readonly model: string
  readonly installDate: string
  readonly position: Vec3
  /** What the device belongs to, where that matters (a unit's meter, a building's elevator, a gate's turnstile). */
  readonly buildingId: string | null
  readonly unitId: string | null
  readonly gateId: string | null
  readonly lotId: string | null
  /** Public (shared) meters measure common consumption that is apportioned to households. */
  readonly public: boolean
  /** Kind-specific nameplate data: rated load, floors served, pump head, etc. Numbers and strings only. */
  readonly spec: Readonly<Record<string, number | string>>
}

export interface Community {
  readonly id: string
  readonly name: string
  readonly city: string
  readonly district: string
  readonly address: string
  readonly anchor: GeoAnchor
  /** Outer boundary (围墙), metres. */
  readonly boundary: Polygon
  readonly builtYear: number
  readonly buildings: readonly Building[]
  readonly units: readonly Unit[]
  readonly households: readonly Household[]
  readonly residents: readonly Resident[]
  readonly vehicles: readonly Vehicle[]
  readonly roads: RoadGraph
  readonly gates: readonly Gate[]
  readonly parkingLots: readonly ParkingLot[]
  readonly parkingSpaces: readonly ParkingSpace[]
  readonly areas: readonly OpenArea[]
  readonly devices: readonly Device[]
}

/** What `generateCommunity` returns: one community for `small`/`default`, ten or more for `large`. */
export interface CommunitySet {
  readonly seed: number
  readonly profile: Profile
  readonly company: { readonly id: string; readonly name: string }
  readonly communities: readonly Community[]
}

export interface GenerateOptions {
  readonly seed: number
  readonly profile: Profile
}

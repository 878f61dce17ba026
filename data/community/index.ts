/**
 * The community model's public surface: the types, the deterministic generator, and the validators and geometry
 * helpers other areas need to work with generated (or edited) communities. Import from here, not from the files.
 */
export type {
  AgeGroup,
  AreaKind,
  Building,
  BuildingKind,
  Community,
  CommunitySet,
  Device,
  DeviceKind,
  Gate,
  GenerateOptions,
  GeoAnchor,
  Household,
  OpenArea,
  ParkingLot,
  ParkingSpace,
  Polygon,
  Profile,
  Resident,
  RoadEdge,
  RoadGraph,
  RoadNode,
  Unit,
  Vec2,
  Vec3,
  Vehicle,
} from './types.ts'

export { COMPANY, generateCommunity, isProfile } from './generate.ts'
export { REFERENCE_DATE } from './dates.ts'
export { idNumberBirthDate, idNumberCheckDigit, idNumberGender, isValidIdNumber } from './id-number.ts'
export { isValidMobile, isValidPlate } from './contacts.ts'
export {
  pointInPolygon,
  polygonArea,
  polygonCentroid,
  polygonsOverlap,
  polylineClearance,
  polylineLength,
} from './geometry.ts'
export { isConnected } from './roads.ts'
export { findViolations } from './invariants.ts'
export type { Violation, ViolationCode } from './invariants-types.ts'
export { summarize } from './stats.ts'
export type { SetSummary } from './stats.ts'

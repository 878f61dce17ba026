/**
 * The shape of an invariant violation, shared by the record and spatial checks.
 */

export type ViolationCode =
  // records
  | 'duplicate-id'
  | 'device-id'
  | 'dangling-ref'
  | 'unit-building'
  | 'household-unit'
  | 'resident-household'
  | 'space-double-booked'
  | 'id-number'
  | 'age-group'
  | 'phone'
  | 'plate'
  | 'install-date'
  // space
  | 'outside-boundary'
  | 'building-overlap'
  | 'road-through-building'
  | 'area-over-building'
  | 'sunlight'
  | 'road-disconnected'
  | 'edge-length'
  | 'gate-node'
  | 'device-placement'

export interface Violation {
  readonly code: ViolationCode
  /** The offending record (or the community, for whole-graph checks). */
  readonly id: string
  readonly message: string
}

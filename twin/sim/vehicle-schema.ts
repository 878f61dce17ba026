/**
 * The vehicle part of the scenario format: the road graph, gates (barriers with service times and lanes),
 * parking lots, and vehicle trips. Kept apart from scenario.ts so each file stays one concept; scenario.ts
 * spreads `vehicleSectionShape` into its object schema.
 */
import { z } from 'zod'

const num = z.number().refine(Number.isFinite, 'must be a finite number')
const id = z.string().min(1, 'must not be empty')
const point = z.tuple([num, num])

const roads = z.strictObject({
  nodes: z.array(z.strictObject({ id, position: point })),
  edges: z.array(
    z.strictObject({
      id: id.optional(),
      from: id,
      to: id,
      /** Metres; default: the straight distance between the nodes. */
      length: num.positive().optional(),
      /** Free speed, m/s (default 5.5 ≈ 20 km/h, the usual in-community limit). */
      speed: num.positive().optional(),
      oneway: z.boolean().default(false),
    }),
  ),
})

const gate = z.strictObject({
  id,
  /** The road node the gate stands on. */
  node: id,
  /** Lanes (barriers) per direction. */
  lanes: z.number().int().min(1).max(16).default(1),
  /** Seconds a barrier takes per resident vehicle (plate recognition + opening). */
  service: num.min(0).default(4),
  /** Seconds per visitor or delivery vehicle (registration at the booth). */
  visitorService: num.min(0).default(20),
  /** Without a barrier vehicles pass with no service time. */
  barrier: z.boolean().default(true),
  /** A closed gate takes no vehicles (a layout change that closes it). */
  closed: z.boolean().default(false),
})

const lot = z.strictObject({
  id,
  /** The road node at the lot's entrance. */
  node: id,
  capacity: z.number().int().min(0),
  /** Vehicles parked at t = 0. */
  occupied: z.number().int().min(0).default(0),
  /** Seconds to find a space in the empty lot; grows with occupancy. */
  searchTime: num.min(0).default(20),
})

const vehicle = z.strictObject({
  id,
  /** A gate id (arrives from outside), a lot id (leaves its space), or a road node id. */
  from: id,
  /** A gate id (leaves), a lot id (parks, searching others if full), a node id; a list: pick the quickest. */
  to: z.union([id, z.array(id).min(1)]),
  /** Departure (or arrival at the gate from outside), s. */
  depart: num.min(0),
  kind: z.enum(['resident', 'visitor', 'delivery', 'waste']).default('resident'),
  /** Seconds spent at the destination (parked, or stopped at a node) before driving on to `then`. */
  dwell: num.min(0).default(0),
  /** Where to drive after the dwell (a visitor leaving, the waste truck going out); same forms as `to`. */
  then: z.union([id, z.array(id).min(1)]).optional(),
})

/** Shape entries spread into the scenario schema. */
export const vehicleSectionShape = {
  roads: roads.optional(),
  gates: z.array(gate).default([]),
  parking: z.array(lot).default([]),
  vehicles: z.array(vehicle).default([]),
}

/** The parsed vehicle section. */
export type RoadsSpec = z.infer<typeof roads>
export type GateSpec = z.infer<typeof gate>
export type LotSpec = z.infer<typeof lot>
export type VehicleTripSpec = z.infer<typeof vehicle>

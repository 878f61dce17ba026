/**
 * Layout changes a planner applies to a community before simulating it: add, move or close a gate; add parking;
 * place an open area (fitness area, green belt, plaza) or a facility; add a road. Pure: returns a new community
 * and leaves the input untouched, so a base and a variant can be simulated and compared side by side.
 */
import type {
  Building,
  Community,
  Gate,
  OpenArea,
  ParkingLot,
  RoadEdge,
  RoadNode,
  Vec2,
} from '../../data/community/types.ts'

/** One layout change. */
export type LayoutChange =
  | { readonly type: 'addGate'; readonly gate: Gate }
  | { readonly type: 'closeGate'; readonly id: string }
  | { readonly type: 'moveGate'; readonly id: string; readonly position: Vec2; readonly nodeId?: string }
  | { readonly type: 'addParking'; readonly lot: ParkingLot; readonly spaces: number }
  | { readonly type: 'addArea'; readonly area: OpenArea }
  | { readonly type: 'addBuilding'; readonly building: Building }
  | { readonly type: 'addRoad'; readonly nodes: readonly RoadNode[]; readonly edges: readonly RoadEdge[] }

/** A change that refers to something the community does not have. */
export class LayoutError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LayoutError'
  }
}

/** Applies the changes in order. @throws LayoutError naming the change that does not fit */
export function applyLayoutChanges(community: Community, changes: readonly LayoutChange[]): Community {
  return changes.reduce(applyOne, community)
}

function applyOne(c: Community, ch: LayoutChange, k: number): Community {
  const need = (ok: boolean, what: string): void => {
    if (!ok) throw new LayoutError(`layout change ${k} (${ch.type}): ${what}`)
  }
  const hasNode = (id: string): boolean => c.roads.nodes.some((n) => n.id === id)
  switch (ch.type) {
    case 'addGate':
      need(!c.gates.some((g) => g.id === ch.gate.id), `gate "${ch.gate.id}" exists`)
      need(hasNode(ch.gate.nodeId), `unknown road node "${ch.gate.nodeId}"`)
      return { ...c, gates: [...c.gates, ch.gate] }
    case 'closeGate':
      need(
        c.gates.some((g) => g.id === ch.id),
        `unknown gate "${ch.id}"`,
      )
      return { ...c, gates: c.gates.filter((g) => g.id !== ch.id) }
    case 'moveGate': {
      need(
        c.gates.some((g) => g.id === ch.id),
        `unknown gate "${ch.id}"`,
      )
      if (ch.nodeId !== undefined) need(hasNode(ch.nodeId), `unknown road node "${ch.nodeId}"`)
      const gates = c.gates.map((g) =>
        g.id === ch.id ? { ...g, position: ch.position, nodeId: ch.nodeId ?? g.nodeId } : g,
      )
      return { ...c, gates }
    }
    case 'addParking': {
      need(!c.parkingLots.some((l) => l.id === ch.lot.id), `lot "${ch.lot.id}" exists`)
      need(hasNode(ch.lot.entranceNodeId), `unknown road node "${ch.lot.entranceNodeId}"`)
      const spaces = Array.from({ length: ch.spaces }, (_, i) => ({
        id: `${ch.lot.id}-n${i}`,
        lotId: ch.lot.id,
        number: `N${i}`,
        position: ch.lot.polygon[0] ?? ([0, 0] as Vec2),
        kind: 'standard' as const,
        tenure: 'visitor' as const,
      }))
      return { ...c, parkingLots: [...c.parkingLots, ch.lot], parkingSpaces: [...c.parkingSpaces, ...spaces] }
    }
    case 'addArea':
      need(!c.areas.some((a) => a.id === ch.area.id), `area "${ch.area.id}" exists`)
      return { ...c, areas: [...c.areas, ch.area] }
    case 'addBuilding':
      need(!c.buildings.some((b) => b.id === ch.building.id), `building "${ch.building.id}" exists`)
      return { ...c, buildings: [...c.buildings, ch.building] }
    case 'addRoad': {
      const nodes = [...c.roads.nodes, ...ch.nodes]
      for (const e of ch.edges)
        need(
          nodes.some((n) => n.id === e.from) && nodes.some((n) => n.id === e.to),
          `edge "${e.id}" has an unknown node`,
        )
      return { ...c, roads: { nodes, edges: [...c.roads.edges, ...ch.edges] } }
    }
  }
}

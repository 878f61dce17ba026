/**
 * A small synthetic community in the shape of data/community's model, for the simulator's own tests and
 * benchmark until the generator's `default` community lands: a 300 m × 200 m walled estate, 24 towers, a ring
 * road, one mixed gate, two underground lots, ~600 households. Deterministic for a seed.
 */
import type {
  Building,
  Community,
  Gate,
  Household,
  OpenArea,
  ParkingLot,
  ParkingSpace,
  Resident,
  RoadEdge,
  RoadNode,
  Unit,
  Vehicle,
} from '../../data/community/types.ts'
import { rect } from './geometry.ts'
import { Rng } from './rng.ts'

/** Builds the fixture community. */
export function fixtureCommunity(seed = 1, householdsPerBuilding = 25): Community {
  const rng = new Rng(seed)
  const cid = 'c1'
  const nodes: RoadNode[] = []
  const edges: RoadEdge[] = []
  const node = (id: string, x: number, y: number): void => void nodes.push({ id, position: [x, y] })
  const edge = (from: string, to: string): void => {
    const a = nodes.find((n) => n.id === from)!.position
    const b = nodes.find((n) => n.id === to)!.position
    edges.push({
      id: `${from}-${to}`,
      from,
      to,
      width: 6,
      kind: 'main',
      length: Math.hypot(a[0] - b[0], a[1] - b[1]),
      via: [],
    })
  }
  // Ring road 10 m inside the wall, with nodes at the gate and the lot entrances.
  node('sw', 10, 10)
  node('s-lotA', 60, 10)
  node('s-gate', 150, 10)
  node('se', 290, 10)
  node('ne', 290, 190)
  node('n-lotB', 240, 190)
  node('n-gate', 150, 190)
  node('nw', 10, 190)
  const ring = ['sw', 's-lotA', 's-gate', 'se', 'ne', 'n-lotB', 'n-gate', 'nw', 'sw']
  for (let k = 1; k < ring.length; k++) edge(ring[k - 1]!, ring[k]!)

  const buildings: Building[] = []
  const units: Unit[] = []
  const households: Household[] = []
  const residents: Resident[] = []
  const vehicles: Vehicle[] = []
  const spaces: ParkingSpace[] = []
  const lots: ParkingLot[] = [
    {
      id: 'lotA',
      communityId: cid,
      name: 'A区地库',
      kind: 'underground',
      polygon: rect(30, 20, 90, 40),
      entranceNodeId: 's-lotA',
      level: -1,
    },
    {
      id: 'lotB',
      communityId: cid,
      name: 'B区地库',
      kind: 'underground',
      polygon: rect(210, 160, 270, 180),
      entranceNodeId: 'n-lotB',
      level: -1,
    },
  ]
  let b = 0
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 6; c++) {
      const x = 20 + c * 45
      const y = 30 + r * 42
      const id = `b${++b}`
      buildings.push({
        id,
        communityId: cid,
        name: `${b}号楼`,
        kind: 'tower',
        footprint: rect(x, y, x + 30, y + 12),
        floors: 18,
        basementFloors: 1,
        height: 54,
        floorHeight: 3,
        entrances: 2,
        elevatorCount: 4,
        builtYear: 2012,
      })
      for (let h = 0; h < householdsPerBuilding; h++) {
        const uid = `${id}-u${h}`
        const floor = 1 + (h % 18)
        units.push({
          id: uid,
          buildingId: id,
          entrance: 1 + (h % 2),
          floor,
          number: `${floor}0${1 + (h % 4)}`,
          area: 90,
          bedrooms: 3,
          usage: 'residential',
        })
        const hid = `${uid}-h`
        households.push({
          id: hid,
          unitId: uid,
          tenure: rng.next() < 0.8 ? 'owner' : 'tenant',
          moveInDate: '2013-05-01',
        })
        const size = 1 + rng.int(4)
        for (let p = 0; p < size; p++) {
          const roll = rng.next()
          const ageGroup = p < 2 ? (roll < 0.25 ? 'elderly' : 'adult') : roll < 0.6 ? 'child' : 'elderly'
          const occupation =
            ageGroup === 'child'
              ? roll < 0.2
                ? 'preschool'
                : 'student'
              : ageGroup === 'elderly'
                ? 'retired'
                : roll < 0.85
                  ? 'commuter'
                  : 'home'
          const year =
            ageGroup === 'child'
              ? 2012 + rng.int(10)
              : ageGroup === 'adult'
                ? 1970 + rng.int(30)
                : 1940 + rng.int(20)
          residents.push({
            id: `${hid}-r${p}`,
            householdId: hid,
            name: '张三',
            gender: rng.next() < 0.5 ? 'M' : 'F',
            birthDate: `${year}-06-01`,
            idNumber: '110101199001010000',
            phone: null,
            relation: p === 0 ? 'owner' : p === 1 ? 'spouse' : ageGroup === 'child' ? 'child' : 'parent',
            ageGroup,
            occupation,
          })
        }
        if (rng.next() < 0.6) {
          const lot = x < 150 ? 'lotA' : 'lotB'
          const sid = `${lot}-s${spaces.length}`
          spaces.push({
            id: sid,
            lotId: lot,
            number: String(spaces.length),
            position: [0, 0],
            kind: 'standard',
            tenure: 'monthly',
          })
          vehicles.push({ id: `${hid}-v`, householdId: hid, plate: '沪A00000', energy: 'fuel', spaceId: sid })
        }
      }
    }
  }
  // Visitor spaces: 10% on top in each lot.
  for (const lot of lots) {
    const n = Math.ceil(spaces.filter((s) => s.lotId === lot.id).length * 0.1)
    for (let k = 0; k < n; k++)
      spaces.push({
        id: `${lot.id}-v${k}`,
        lotId: lot.id,
        number: `V${k}`,
        position: [0, 0],
        kind: 'standard',
        tenure: 'visitor',
      })
  }
  const gates: Gate[] = [
    {
      id: 'gate-south',
      communityId: cid,
      name: '南门',
      kind: 'mixed',
      position: [150, 0],
      nodeId: 's-gate',
      lanes: 1,
    },
  ]
  const areas: OpenArea[] = [
    { id: 'fitness', communityId: cid, name: '健身区', kind: 'fitness', polygon: rect(140, 93, 160, 113) },
    {
      id: 'waste',
      communityId: cid,
      name: '垃圾站',
      kind: 'waste_station',
      polygon: rect(280, 100, 288, 108),
    },
  ]
  return {
    id: cid,
    name: '示例小区',
    city: '上海',
    district: '浦东新区',
    address: '示例路1号',
    anchor: { lat: 31.2, lon: 121.5 },
    boundary: rect(0, 0, 300, 200),
    builtYear: 2012,
    buildings,
    units,
    households,
    residents,
    vehicles,
    roads: { nodes, edges },
    gates,
    parkingLots: lots,
    parkingSpaces: spaces,
    areas,
    devices: [],
  }
}

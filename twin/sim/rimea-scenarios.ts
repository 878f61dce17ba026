/**
 * The RiMEA test geometries as scenario builders (RiMEA guideline 3.0, as the JuPedSim project sets them up):
 * plain scenario objects in the interchange format, so the validation runs through the same parser and
 * engine path as any planner's scenario, and `npm run sim -- run` can replay each one.
 */
import { rect } from './geometry.ts'
import { Rng } from './rng.ts'
import type { ScenarioInput } from './scenario.ts'
import type { SpeedGroup } from './speed-profiles.ts'
import { drawGroupSpeed } from './speed-profiles.ts'

type Pedestrian = NonNullable<ScenarioInput['pedestrians']>[number]

/** RiMEA 1: one person walks a 40 m × 2 m corridor at 1.33 m/s. */
export function rimea1(): ScenarioInput {
  return {
    name: 'RiMEA 1: straight corridor',
    seed: 1,
    dt: 0.05,
    duration: 60,
    walls: [
      [
        [-1, 0],
        [41, 0],
      ],
      [
        [-1, 2],
        [41, 2],
      ],
      [
        [-1, 0],
        [-1, 2],
      ],
    ],
    exits: [{ id: 'end', polygon: rect(40, 0, 41, 2) }],
    pedestrians: [{ id: 'p1', position: [0, 1], speed: 1.33, target: 'end' }],
  }
}

/**
 * RiMEA 4: a periodic corridor 20 m × 4 m filled at `density` persons/m², free speeds N(1.34, 0.26) (Weidmann's
 * population). The speed is measured on the steady state (validation.ts).
 */
export function rimea4(density: number, seed = 4): ScenarioInput {
  const length = 20
  const width = 4
  const n = Math.round(density * length * width)
  const rng = new Rng(seed)
  // Start on a jittered lattice so the first steps are not spent untangling overlaps.
  const cols = Math.ceil(Math.sqrt((n * length) / width))
  const rows = Math.ceil(n / cols)
  const pedestrians: Pedestrian[] = []
  for (let k = 0; k < n; k++) {
    const c = k % cols
    const r = Math.floor(k / cols)
    pedestrians.push({
      id: `p${k}`,
      position: [
        ((c + 0.5) * length) / cols + rng.uniform(-0.02, 0.02),
        0.2 + ((r + 0.5) * (width - 0.4)) / rows,
      ],
      speed: rng.truncatedNormal(1.34, 0.26, 0.5, 2.2),
      target: 'downstream',
    })
  }
  return {
    name: `RiMEA 4: fundamental diagram at ${density} persons/m²`,
    seed,
    dt: 0.05,
    duration: 60,
    walls: [
      [
        [0, 0],
        [length, 0],
      ],
      [
        [0, width],
        [length, width],
      ],
    ],
    // The exit lies beyond the period: it only gives the floor field its direction; nobody reaches it.
    exits: [{ id: 'downstream', polygon: rect(length + 2, 0, length + 3, width) }],
    periodicX: [0, length],
    pedestrians,
  }
}

/** RiMEA 6: 20 people walk round a left-hand corner of a 2 m wide corridor (12 m legs). */
export function rimea6(): ScenarioInput {
  return {
    name: 'RiMEA 6: corner',
    seed: 6,
    dt: 0.05,
    duration: 120,
    walls: [
      [
        [0, 0],
        [12, 0],
        [12, 12],
      ],
      [
        [0, 2],
        [10, 2],
        [10, 12],
      ],
      [
        [0, 0],
        [0, 2],
      ],
    ],
    exits: [{ id: 'top', polygon: rect(10, 12, 12, 13) }],
    sources: [
      {
        id: 'crowd',
        polygon: rect(0.3, 0.3, 6, 1.7),
        count: 20,
        speed: { mean: 1.34, sd: 0.26 },
        target: 'top',
      },
    ],
  }
}

/** The RiMEA 7 population: `perGroup` people of each age group, each walking alone in a lane 0.8 m wide. */
export function rimea7(perGroup = 50): { scenario: ScenarioInput; groups: SpeedGroup[]; distance: number } {
  const groups: SpeedGroup[] = []
  const pedestrians: Pedestrian[] = []
  const rng = new Rng(7)
  const order: SpeedGroup[] = ['under30', '30to50', 'over50', 'impaired']
  const lanes = order.length * perGroup
  const width = lanes * 0.8
  order.forEach((g, gi) => {
    for (let k = 0; k < perGroup; k++) {
      const lane = gi * perGroup + k
      groups.push(g)
      pedestrians.push({
        id: `${g}-${k}`,
        position: [0, 0.4 + lane * 0.8],
        speed: drawGroupSpeed(rng, g),
        target: 'end',
      })
    }
  })
  const distance = 20
  return {
    scenario: {
      name: 'RiMEA 7: speeds by age',
      seed: 7,
      dt: 0.05,
      duration: 60,
      walls: [
        [
          [-1, 0],
          [distance + 1, 0],
        ],
        [
          [-1, width],
          [distance + 1, width],
        ],
      ],
      exits: [{ id: 'end', polygon: rect(distance, 0, distance + 1, width) }],
      pedestrians,
    },
    groups,
    distance,
  }
}

/** RiMEA 9: 1,000 people in a 30 m × 20 m room with four 1 m exits; with `closed`, the two on y = 20 are shut. */
export function rimea9(closed: boolean, count = 1000): ScenarioInput {
  const doors = [4.5, 24.5]
  const wall = (y: number, open: boolean): [number, number][][] =>
    open
      ? [
          [
            [0, y],
            [doors[0]!, y],
          ],
          [
            [doors[0]! + 1, y],
            [doors[1]!, y],
          ],
          [
            [doors[1]! + 1, y],
            [30, y],
          ],
        ]
      : [
          [
            [0, y],
            [30, y],
          ],
        ]
  const exits = doors.flatMap((x, k) => [
    { id: `south${k + 1}`, polygon: rect(x, -1.5, x + 1, -0.5) },
    ...(closed ? [] : [{ id: `north${k + 1}`, polygon: rect(x, 20.5, x + 1, 21.5) }]),
  ])
  return {
    name: `RiMEA 9: ${closed ? 'two' : 'four'} exits`,
    seed: 9,
    dt: 0.05,
    duration: 900,
    walls: [
      ...wall(0, true),
      ...wall(20, !closed),
      [
        [0, 0],
        [0, 20],
      ],
      [
        [30, 0],
        [30, 20],
      ],
    ],
    exits,
    sources: [
      {
        id: 'room',
        polygon: rect(0.3, 0.3, 29.7, 19.7),
        count,
        speed: { mean: 1.34, sd: 0.26, min: 0.46, max: 1.61 },
        target: exits.map((e) => e.id),
      },
    ],
  }
}

/**
 * RiMEA 11: 300 people in the upper right of a 30 m × 20 m room; a 1 m exit in the right wall close to them and
 * another in the far (left) wall near the bottom.
 */
export function rimea11(): ScenarioInput {
  return {
    name: 'RiMEA 11: choice of exit',
    seed: 11,
    dt: 0.05,
    duration: 600,
    walls: [
      [
        [0, 3],
        [0, 20],
        [30, 20],
        [30, 18],
      ],
      [
        [30, 17],
        [30, 0],
        [0, 0],
        [0, 2],
      ],
    ],
    exits: [
      { id: 'near', polygon: rect(30.5, 17, 31.5, 18) },
      { id: 'far', polygon: rect(-1.5, 2, -0.5, 3) },
    ],
    sources: [
      {
        id: 'crowd',
        polygon: rect(15, 10.5, 29.5, 19.5),
        count: 300,
        speed: { mean: 1.34, sd: 0.26, min: 0.46, max: 1.61 },
        target: ['near', 'far'],
      },
    ],
  }
}

/**
 * RiMEA 12: 150 people leave a 10 m room through a 1 m, 10 m long corridor into a second 10 m room and out of
 * its 1 m exit. Counting lines in the corridor (first bottleneck) and at the exit (second).
 */
export function rimea12(): ScenarioInput {
  return {
    name: 'RiMEA 12: two bottlenecks',
    seed: 12,
    dt: 0.05,
    duration: 600,
    walls: [
      [
        [10, 0.5],
        [10, 5],
        [0, 5],
        [0, -5],
        [10, -5],
        [10, -0.5],
        [20, -0.5],
        [20, -5],
        [30, -5],
        [30, -0.5],
      ],
      [
        [10, 0.5],
        [20, 0.5],
        [20, 5],
        [30, 5],
        [30, 0.5],
      ],
    ],
    exits: [{ id: 'out', polygon: rect(30.5, -0.5, 31.5, 0.5) }],
    sources: [
      {
        id: 'room',
        polygon: rect(0.5, -4.5, 9.5, 4.5),
        count: 150,
        speed: { mean: 1.34, sd: 0.26, min: 0.46, max: 1.61 },
        target: 'out',
      },
    ],
    measure: {
      lines: [
        { id: 'bottleneck1', from: [15, -0.5], to: [15, 0.5] },
        { id: 'bottleneck2', from: [30, -0.5], to: [30, 0.5] },
      ],
      areas: [
        { id: 'before1', polygon: rect(8, -1, 10, 1) },
        { id: 'before2', polygon: rect(28, -1, 30, 1) },
      ],
    },
  }
}

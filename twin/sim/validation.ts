/**
 * The validation suite: runs the RiMEA cases (rimea-scenarios.ts) and measures each one's figure against the
 * pass criterion the RiMEA guideline sets, as the JuPedSim project applies it. Used by validation.test.ts (CI)
 * and by `npm run sim -- validate --json`.
 */
import { rimea1, rimea11, rimea12, rimea4, rimea6, rimea7, rimea9 } from './rimea-scenarios.ts'
import { prepareRun, runScenario } from './run.ts'
import { parseScenario } from './scenario.ts'
import { rimeaSpeedTable } from './speed-profiles.ts'

/** One case's outcome. */
export interface ValidationCase {
  readonly id: string
  readonly title: string
  /** The measured figure, in words and numbers. */
  readonly measured: string
  /** The pass criterion. */
  readonly criterion: string
  readonly pass: boolean
  /** Machine-readable figures. */
  readonly figures: Readonly<Record<string, number>>
  readonly wallMs: number
}

/** Weidmann's fundamental diagram, m/s at density rho (persons/m²). */
export function weidmannSpeed(rho: number): number {
  return 1.34 * (1 - Math.exp(-1.913 * (1 / rho - 1 / 5.4)))
}

const r2 = (x: number): number => Math.round(x * 100) / 100
const r3 = (x: number): number => Math.round(x * 1000) / 1000

function timed(
  id: string,
  title: string,
  f: () => Omit<ValidationCase, 'id' | 'title' | 'wallMs'>,
): ValidationCase {
  const t0 = performance.now()
  const r = f()
  return { id, title, ...r, wallMs: Math.round(performance.now() - t0) }
}

/** RiMEA 1: arrival time of one person over 40 m at 1.33 m/s must be in [26, 34] s. */
export function validateRimea1(): ValidationCase {
  return timed('rimea1', 'one person, 40 m corridor at 1.33 m/s', () => {
    const r = runScenario(parseScenario(rimea1()))
    const t = r.evacuationTime ?? Infinity
    return {
      measured: `arrives at ${t} s`,
      criterion: '26 s <= t <= 34 s',
      pass: t >= 26 && t <= 34,
      figures: { time: t },
    }
  })
}

/** RiMEA 4: steady-state speed in a periodic corridor within 15% of Weidmann at 0.5, 1, 1.5, 2 and 3 /m². */
export function validateRimea4(densities: readonly number[] = [0.5, 1, 1.5, 2, 3]): ValidationCase {
  return timed('rimea4', "speed–density follows Weidmann's fundamental diagram", () => {
    const figures: Record<string, number> = {}
    const parts: string[] = []
    let worst = 0
    for (const rho of densities) {
      const { engine } = prepareRun(parseScenario(rimea4(rho)))
      let sum = 0
      let n = 0
      // Warm up 20 s, then average the speed along the corridor over 40 s (every agent, every step).
      while (engine.time < 60 - 1e-9) {
        engine.step()
        if (engine.time <= 20) continue
        for (let q = 0; q < engine.presentCount; q++) sum += engine.vx[engine.present[q]!]!
        n += engine.presentCount
      }
      const v = sum / n
      const w = weidmannSpeed(rho)
      const dev = v / w - 1
      worst = Math.max(worst, Math.abs(dev))
      figures[`v@${rho}`] = r3(v)
      figures[`weidmann@${rho}`] = r3(w)
      parts.push(
        `ρ=${rho}: ${v.toFixed(3)} vs ${w.toFixed(3)} m/s (${dev >= 0 ? '+' : ''}${(dev * 100).toFixed(1)}%)`,
      )
    }
    figures.worstDeviation = r3(worst)
    return {
      measured: parts.join('; '),
      criterion: 'every |v/v_Weidmann - 1| <= 15%',
      pass: worst <= 0.15,
      figures,
    }
  })
}

/** RiMEA 6: 20 people round a corner; no move may cross a wall, no one may stand inside the inner block. */
export function validateRimea6(): ValidationCase {
  return timed('rimea6', '20 people round a corner, nobody crosses a wall', () => {
    const { engine } = prepareRun(parseScenario(rimea6()), { audit: true })
    let outside = 0
    while (!engine.done && engine.time < 120) {
      engine.step()
      for (let q = 0; q < engine.presentCount; q++) {
        const i = engine.present[q]!
        const x = engine.px[i]!
        const y = engine.py[i]!
        // The walkable L: y in [0, 2] for x <= 12, or x in [10, 12] for y >= 0.
        const inL = (y >= 0 && y <= 2 && x >= 0 && x <= 12) || (x >= 10 && x <= 12 && y >= 0)
        if (!inL) outside++
      }
    }
    const crossings = engine.wallCrossings
    return {
      measured: `${crossings} wall crossings, ${outside} agent-steps outside the corridor, ${engine.arrivedCount}/20 arrived, closest approach to a wall ${engine.minWallDistance.toFixed(3)} m`,
      criterion: '0 crossings, 0 outside, all 20 arrive',
      pass: crossings === 0 && outside === 0 && engine.arrivedCount === 20,
      figures: {
        crossings,
        outside,
        arrived: engine.arrivedCount,
        minWallDistance: r3(engine.minWallDistance),
      },
    }
  })
}

/** RiMEA 7: each person's measured walking speed lies in the RiMEA range of their age group. */
export function validateRimea7(): ValidationCase {
  return timed('rimea7', 'speed distribution by age within the guideline ranges', () => {
    const { scenario, groups, distance } = rimea7()
    const r = runScenario(parseScenario(scenario))
    const figures: Record<string, number> = {}
    const parts: string[] = []
    let pass = true
    for (const g of ['under30', '30to50', 'over50', 'impaired'] as const) {
      const speeds = r.arrivals
        .filter((_, i) => groups[i] === g)
        .map((a) => (a.time === null ? 0 : distance / a.time))
      const lo = Math.min(...speeds)
      const hi = Math.max(...speeds)
      const range = rimeaSpeedTable[g]
      // One time step of discretisation at arrival is allowed (0.05 s over ~15 s, < 0.5%).
      const ok = lo >= range.min * 0.99 && hi <= range.max * 1.01
      pass &&= ok
      figures[`${g}.min`] = r3(lo)
      figures[`${g}.max`] = r3(hi)
      const mean = speeds.reduce((a, b) => a + b, 0) / speeds.length
      parts.push(
        `${g}: ${lo.toFixed(2)}–${hi.toFixed(2)} m/s (mean ${mean.toFixed(2)}) in [${range.min}, ${range.max}]`,
      )
    }
    return {
      measured: parts.join('; '),
      criterion: 'every measured speed inside its group range (±1%)',
      pass,
      figures,
    }
  })
}

/** RiMEA 9: closing two of four exits about doubles the evacuation time: |T2 - 2 T1| / (2 T1) <= 0.5. */
export function validateRimea9(count = 1000): ValidationCase {
  return timed('rimea9', `${count} people, 4 exits then 2 closed`, () => {
    const t1 = runScenario(parseScenario(rimea9(false, count))).evacuationTime ?? Infinity
    const t2 = runScenario(parseScenario(rimea9(true, count))).evacuationTime ?? Infinity
    const rel = Math.abs(t2 - 2 * t1) / (2 * t1)
    return {
      measured: `T(4 exits) = ${t1} s, T(2 exits) = ${t2} s, ratio ${(t2 / t1).toFixed(2)}`,
      criterion: '|T2 - 2·T1| / (2·T1) <= 0.5',
      pass: rel <= 0.5,
      figures: { t4: t1, t2, ratio: r2(t2 / t1), relError: r2(rel) },
    }
  })
}

/** RiMEA 11: most people take the nearer of two exits (and, with the jam, some the other). */
export function validateRimea11(): ValidationCase {
  return timed('rimea11', 'most take the nearer of 2 exits', () => {
    const r = runScenario(parseScenario(rimea11()))
    const near = r.exitUsage.near ?? 0
    const far = r.exitUsage.far ?? 0
    const share = near / Math.max(1, near + far)
    return {
      measured: `${near} via the nearer exit, ${far} via the farther (${(share * 100).toFixed(0)}% nearer), ${r.arrived}/${r.total} out`,
      criterion: 'share via the nearer exit > 50%, everyone out',
      pass: share > 0.5 && r.arrived === r.total,
      figures: { near, far, share: r2(share) },
    }
  })
}

/** RiMEA 12: no jam at the second bottleneck: its flow keeps up with the first's (J2 >= 0.95 · J1). */
export function validateRimea12(): ValidationCase {
  return timed('rimea12', 'no jam at the second of two bottlenecks', () => {
    const r = runScenario(parseScenario(rimea12()))
    const j1 = r.flows.find((f) => f.id === 'bottleneck1')?.flow ?? 0
    const j2 = r.flows.find((f) => f.id === 'bottleneck2')?.flow ?? 0
    const d1 = r.areas.find((a) => a.id === 'before1')?.peak ?? 0
    const d2 = r.areas.find((a) => a.id === 'before2')?.peak ?? 0
    return {
      measured: `J1 = ${j1.toFixed(2)} /s, J2 = ${j2.toFixed(2)} /s; peak density before bottleneck 1 ${d1.toFixed(2)} /m², before bottleneck 2 ${d2.toFixed(2)} /m²; ${r.arrived}/${r.total} out`,
      criterion: 'J2 >= 0.95·J1 and everyone out',
      pass: j2 >= 0.95 * j1 && r.arrived === r.total,
      figures: { j1: r2(j1), j2: r2(j2), densityBefore1: r2(d1), densityBefore2: r2(d2) },
    }
  })
}

/** Runs every case in order. */
export function runValidation(): ValidationCase[] {
  return [
    validateRimea1(),
    validateRimea4(),
    validateRimea6(),
    validateRimea7(),
    validateRimea9(),
    validateRimea11(),
    validateRimea12(),
  ]
}

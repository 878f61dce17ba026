/**
 * The operational model's parameters with their defaults and the reasons for them.
 *
 * Model: Tordeux's collision-free speed model (CSM; Tordeux, Chraibi & Seyfried 2016, "Collision-free speed
 * model for pedestrian dynamics"), the first-order model JuPedSim ships as its default. Each agent picks a
 * direction (desired direction from the floor field plus exponential repulsion from neighbours and walls) and
 * then a speed: its free speed capped by the gap to the nearest agent in its path over a time gap,
 *   v = min(v0, max(0, (s - l) / T)).
 * Why this and not social force: it is first order, so there is no inertia to oscillate, overlap or tunnel a
 * wall at dt = 0.05 s (with the hard wall clearance below, crossing is impossible: RiMEA 6 measures 0); its
 * speed–spacing rule has the shape of Weidmann's diagram; and it needs one neighbour pass and no force
 * integration, which is what makes 2 M agent-steps/s on one core possible in JavaScript.
 *
 * Calibration, measured in the periodic RiMEA 4 corridor (20 m × 4 m, free speeds N(1.34, 0.26), speed
 * averaged over 40 s after a 20 s warm-up) against Weidmann at 0.5 / 1 / 1.5 / 2 / 3 persons/m²:
 * - JuPedSim's defaults (T = 1 s, l = 0.4 m): -20% / -44% / -46% / -44% / -44% (far too slow when dense);
 * - T = 0.55 s: +3% / +3% / -2% / -5% / +1% with equal free speeds, but -42% at 0.5 /m² with the speed
 *   spread: pure CSM has no reason to step sideways, so fast walkers queue behind slow ones for ever;
 * - T = 0.55 s plus the overtaking term (0.7): -8% / -5% / +4% / +5% / +8%, every density within 15%.
 * The exit-choice parameters (queueWeight, switchMargin, jamSpeed, rerouteShare) were set on RiMEA 11 and 9.
 */

/** Parameters of the collision-free speed model and of the engine around it. */
export interface ModelParams {
  /** Time gap T, seconds: how far ahead (in time) an agent keeps its distance. */
  readonly timeGap: number
  /** Default body radius, metres (l = r_i + r_j). */
  readonly radius: number
  /** Strength of the neighbour repulsion in the direction rule (dimensionless). */
  readonly neighbourStrength: number
  /** Range D of the neighbour repulsion, metres. */
  readonly neighbourRange: number
  /** Strength of the wall repulsion in the direction rule. */
  readonly wallStrength: number
  /** Range of the wall repulsion, metres. */
  readonly wallRange: number
  /** Strength of the sideways steering around a slower agent in the path (0 = pure CSM). */
  readonly overtaking: number
  /** Walls closer than this pull into the direction rule and the hard constraint, metres. */
  readonly wallReach: number
  /** The hard clearance: no move may bring an agent's centre closer than this to a wall, metres. */
  readonly wallClearance: number
  /** Seconds between exit re-evaluations (estimated time to exit, congestion included). */
  readonly rerouteInterval: number
  /** Share of the agents allowed to switch exit at one re-evaluation (damps herding between exits). */
  readonly rerouteShare: number
  /**
   * Relative gain needed to switch exit (0.3: the other exit must promise 30% less time). People stick to the
   * exit they chose unless the other is clearly better; this is what makes RiMEA 11's "most take the nearer
   * exit" hold while a jam still sends some to the farther one.
   */
  readonly switchMargin: number
  /**
   * Weight of the queue in the time estimate (1 = people know the exact queue time). Evacuees are observed to
   * under-use alternative exits (they see a crowd, not its discharge rate); 0.3 reproduces "most take the
   * nearer exit" in RiMEA 11 while a long jam still diverts some.
   */
  readonly queueWeight: number
  /** An agent walking slower than this share of its free speed is in a jam and reconsiders its exit. */
  readonly jamSpeed: number
  /** How far ahead (metres of route) an agent sees the crowd it would queue behind. */
  readonly perception: number
  /** Exit capacity per metre of clear width for the time estimate, persons/(m·s). */
  readonly specificFlow: number
}

/** The calibrated defaults. */
export const defaultModelParams: ModelParams = {
  timeGap: 0.55,
  radius: 0.2,
  neighbourStrength: 8,
  neighbourRange: 0.1,
  overtaking: 0.7,
  wallStrength: 5,
  wallRange: 0.05,
  wallReach: 0.6,
  wallClearance: 0.18,
  rerouteInterval: 1,
  rerouteShare: 0.1,
  switchMargin: 0.3,
  queueWeight: 0.3,
  perception: 10,
  jamSpeed: 0.5,
  specificFlow: 1.3,
} satisfies ModelParams

/** The neighbour search radius the parameters need: spacing range for the fastest agent, and repulsion range. */
export function neighbourCutoff(p: ModelParams, maxSpeed: number, maxRadius: number): number {
  const spacing = 2 * maxRadius + maxSpeed * p.timeGap
  const repulsion = 2 * maxRadius + 6 * p.neighbourRange
  return Math.max(spacing, repulsion)
}

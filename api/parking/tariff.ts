/**
 * The temporary-parking fee, a pure function of the stay and the tariff, in integer fen:
 *
 * - a stay of at most `freeMinutes` is free (the whole stay, not a discount on longer ones — the usual rule at
 *   Chinese residential car parks, so that a short drop-off costs nothing and a longer stay pays from the start);
 * - otherwise every started hour costs `hourlyFen`, and each started 24-hour period is capped at `dailyCapFen`
 *   (full days pay the cap, the last partial day pays its started hours up to the cap);
 * - minutes are counted as started minutes (61 s is 2 minutes).
 */

export interface Tariff {
  readonly freeMinutes: number
  readonly hourlyFen: number
  readonly dailyCapFen: number
}

const MINUTE = 60_000
const DAY_MINUTES = 24 * 60

/** Started minutes between entry and exit. */
export function stayMinutes(enteredAt: Date, exitedAt: Date): number {
  const ms = exitedAt.getTime() - enteredAt.getTime()
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError('exit before entry')
  return Math.ceil(ms / MINUTE)
}

/** The fee in fen for a stay of `minutes` under `tariff`. */
export function temporaryFee(minutes: number, tariff: Tariff): number {
  if (!Number.isInteger(minutes) || minutes < 0) throw new RangeError('minutes must be a whole number ≥ 0')
  for (const [name, value] of Object.entries(tariff)) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0`)
  }
  if (minutes <= tariff.freeMinutes) return 0
  const fullDays = Math.floor(minutes / DAY_MINUTES)
  const rest = minutes - fullDays * DAY_MINUTES
  const dayCharge = (m: number) => Math.min(Math.ceil(m / 60) * tariff.hourlyFen, tariff.dailyCapFen)
  return fullDays * dayCharge(DAY_MINUTES) + dayCharge(rest)
}

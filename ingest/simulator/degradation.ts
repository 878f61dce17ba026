/**
 * How far a lift's or pump's degradation has gone at a given time, and which phase the device is in: healthy,
 * degrading (severity rises from 0 at onset to 1 at failure as progress^curve, so the early days are faint),
 * failed (status `fault`, out of service) and under repair (status `maintenance`). Severity wobbles around its
 * trend (some days worse than others) so a feature's drift is noisy, not a clean ramp. `wander` gives healthy
 * devices the same kind of slow, benign drift, so a model cannot alarm on any trend it sees.
 */
import { DAY, HOUR } from './calendar.ts'
import type { DegradationFault, InjectedFault } from './faults.ts'
import { mixKey, smoothNoise } from './rng.ts'

export type Condition = 'healthy' | 'degrading' | 'failed' | 'repair'

/** The state of a device at one time. Reused between calls: copy what you keep. */
export interface Health {
  condition: Condition
  fault: DegradationFault | null
  /** 0 (healthy) … about 1 at failure; 0 again after the repair. */
  severity: number
  record: InjectedFault | null
}

/** The degradation timeline of one device. */
export class HealthTrack {
  private readonly records: readonly InjectedFault[]
  private readonly wobbleKey: number
  private readonly state: Health = { condition: 'healthy', fault: null, severity: 0, record: null }

  constructor(records: readonly InjectedFault[], key: number) {
    this.records = records.filter((r) => r.category === 'degradation').sort((a, b) => a.onset - b.onset)
    this.wobbleKey = mixKey(key, 0x1f83d9ab)
  }

  /** The device's health at `t`. */
  at(t: number): Health {
    const s = this.state
    s.condition = 'healthy'
    s.fault = null
    s.severity = 0
    s.record = null
    for (const r of this.records) {
      if (t < r.onset || t >= r.end) continue
      const failure = r.failure ?? r.end
      const repairStart = Number(r.detail.repairStart ?? failure)
      s.record = r
      s.fault = r.fault as DegradationFault
      if (t < failure) {
        const progress = (t - r.onset) / Math.max(1, failure - r.onset)
        const trend = progress ** Number(r.detail.curve ?? 2)
        s.condition = 'degrading'
        s.severity = Math.max(0, trend * (1 + 0.22 * smoothNoise(this.wobbleKey, t / (8 * HOUR))))
      } else {
        s.condition = t < repairStart ? 'failed' : 'repair'
        s.severity = 1
      }
      break
    }
    return s
  }

  /** Times at which the condition changes to failed, repair or healthy again, ascending. */
  changes(): number[] {
    const times: number[] = []
    for (const r of this.records) {
      const failure = r.failure ?? r.end
      times.push(failure, Number(r.detail.repairStart ?? failure), r.end)
    }
    return times.sort((a, b) => a - b)
  }
}

/**
 * Slow benign drift in [-1, 1] that every device shows on every feature (seasonal lubrication, sensor drift,
 * settling after maintenance), correlated over about three days. Scale it to a few percent of the feature.
 */
export function wander(key: number, t: number): number {
  return smoothNoise(key, t / (3 * DAY))
}

/**
 * Pushes headline KPIs live: every few seconds, per community, the crowd bins of the last half hour, parking
 * occupancy of the last hours and elevator availability of the day so far; a KPI is published on the live bus only
 * when its answer changed since the last push.
 */
import type { KpiService } from '../kpi/service.ts'
import type { LiveBus } from './bus.ts'

const HOUR = 3_600_000

export interface KpiRefresherOptions {
  readonly communities: () => Promise<readonly string[]>
  readonly now?: () => number
  readonly onError?: (error: unknown) => void
}

export class KpiRefresher {
  private readonly last = new Map<string, string>()
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly kpis: KpiService,
    private readonly bus: LiveBus,
    private readonly options: KpiRefresherOptions,
  ) {}

  start(everyMs: number): void {
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.options.onError?.(error))
    }, everyMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** Computes the headline KPIs once and publishes the ones that changed; returns how many were published. */
  async refresh(): Promise<number> {
    const now = (this.options.now ?? Date.now)()
    let published = 0
    for (const communityId of await this.options.communities()) {
      const answers = {
        crowd: await this.kpis.crowd({ communityId, from: now - HOUR / 2, to: now }),
        parking: await this.kpis.parking({ communityId, from: now - 3 * HOUR, to: now }),
        elevators: await this.kpis.elevators({ communityId, from: now - 24 * HOUR, to: now }),
      }
      for (const [kpi, rows] of Object.entries(answers)) {
        const key = `${communityId}/${kpi}`
        const text = JSON.stringify(rows)
        if (this.last.get(key) === text) continue
        this.last.set(key, text)
        this.bus.publish('kpi', communityId, { kpi, at: now, rows })
        published++
      }
    }
    return published
  }
}

/**
 * The time machine as one object for the API: device states, active alarms and headline KPIs of a community at
 * an instant, and the replay stream of an interval.
 */
import type { ClickHouse, Postgres } from '../../data/index.ts'
import type { DeviceState } from '../live/device-state.ts'
import type { KpiService } from '../kpi/service.ts'
import { replay, type ReplayQuery, type ReplayStream } from './replay.ts'
import { alarmsAt, deviceStatesAt, type AlarmAt } from './state.ts'

const HOUR = 3_600_000

export interface Snapshot {
  readonly communityId: string
  readonly at: number
  readonly devices: DeviceState[]
  readonly alarms: AlarmAt[]
  /** Headline KPIs as they stood at `at` (omitted when not asked for). */
  readonly kpis?: {
    readonly crowd: Awaited<ReturnType<KpiService['crowd']>>
    readonly parking: Awaited<ReturnType<KpiService['parking']>>
    readonly elevators: Awaited<ReturnType<KpiService['elevators']>>
  }
}

export class TimeMachine {
  constructor(
    private readonly deps: {
      readonly clickhouse: ClickHouse
      readonly postgres: Postgres
      readonly kpis: KpiService
      readonly lookbackMs: number
    },
  ) {}

  /** Everything of a community at `at` (epoch ms). */
  async at(
    communityId: string,
    at: number,
    options: { kpis?: boolean; kinds?: readonly string[] } = {},
  ): Promise<Snapshot> {
    const { clickhouse, postgres, kpis, lookbackMs } = this.deps
    const [devices, alarms, headline] = await Promise.all([
      deviceStatesAt({ clickhouse, lookbackMs }, communityId, at),
      alarmsAt(postgres, communityId, at),
      options.kpis
        ? Promise.all([
            kpis.crowd({ communityId, from: at - HOUR / 2, to: at }),
            kpis.parking({ communityId, from: at - 3 * HOUR, to: at }),
            kpis.elevators({ communityId, from: at - 24 * HOUR, to: at }),
          ])
        : null,
    ])
    const kinds = options.kinds && options.kinds.length > 0 ? new Set(options.kinds) : null
    return {
      communityId,
      at,
      devices: kinds ? devices.filter((d) => kinds.has(d.kind)) : devices,
      alarms,
      ...(headline ? { kpis: { crowd: headline[0], parking: headline[1], elevators: headline[2] } } : {}),
    }
  }

  /** The compact replay stream of [from, to). */
  replay(q: ReplayQuery): Promise<ReplayStream> {
    return replay(this.deps.clickhouse, this.deps.postgres, q)
  }
}

/**
 * The KPI service: every command-center KPI behind one object, as the API routes and the live refresher use them.
 * ClickHouse KPIs read the rollups (with the refresh job's watermarks); records KPIs read PostgreSQL.
 */
import type { ClickHouse, Postgres } from '../../data/index.ts'
import type { RollupRefresher } from '../rollup/refresh.ts'
import { householdBenchmark } from './benchmark.ts'
import type { CommunityWindow, KpiContext } from './context.ts'
import { crowdByZone } from './crowd.ts'
import { energyByBuilding, energyByMeter } from './energy.ts'
import { elevatorKpis, pumpKpis } from './equipment.ts'
import { parkingOccupancy } from './parking.ts'
import { complaintHotspots, feeCollection, workOrderSla } from './records.ts'
import { nightFlowSuspects } from './water.ts'
import type { Grain } from './window.ts'

export interface KpiServiceDeps {
  readonly clickhouse: ClickHouse
  readonly postgres: Postgres
  readonly refresher: RollupRefresher
  readonly timezone: string
}

export class KpiService {
  readonly context: KpiContext

  constructor(private readonly deps: KpiServiceDeps) {
    this.context = {
      clickhouse: deps.clickhouse,
      timezone: deps.timezone,
      watermarks: () => deps.refresher.watermarks(),
    }
  }

  energy(q: CommunityWindow & { grain: Grain }) {
    return energyByBuilding(this.context, q)
  }
  energyByMeter(q: CommunityWindow) {
    return energyByMeter(this.context, q)
  }
  benchmark(q: CommunityWindow) {
    return householdBenchmark(this.context, this.deps.postgres, q)
  }
  nightFlow(q: CommunityWindow & { minNights?: number; minFlowM3h?: number }) {
    return nightFlowSuspects(this.context, q)
  }
  crowd(q: CommunityWindow) {
    return crowdByZone(this.context, q)
  }
  parking(q: CommunityWindow) {
    return parkingOccupancy(this.context, q)
  }
  elevators(q: CommunityWindow) {
    return elevatorKpis(this.context, q)
  }
  pumps(q: CommunityWindow) {
    return pumpKpis(this.context, q)
  }
  complaints(q: CommunityWindow & { period: 'day' | 'week' | 'month' }) {
    return complaintHotspots(this.deps.postgres, { ...q, timezone: this.deps.timezone })
  }
  fees(q: CommunityWindow) {
    return feeCollection(this.deps.postgres, { ...q, timezone: this.deps.timezone })
  }
  workOrders(q: CommunityWindow) {
    return workOrderSla(this.deps.postgres, { ...q, timezone: this.deps.timezone })
  }
}

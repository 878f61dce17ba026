/**
 * What every ClickHouse KPI needs: the store, the time zone its days and months are counted in, and the rollup
 * watermarks (where the hour and day tables are complete).
 */
import type { ClickHouse } from '../../data/index.ts'
import type { Watermarks } from '../rollup/refresh.ts'
import { watermarkParams } from './source.ts'

export interface KpiContext {
  readonly clickhouse: ClickHouse
  /** IANA time zone of local days, months and nights. */
  readonly timezone: string
  readonly watermarks: () => Promise<Watermarks>
}

/** A window of one community: [from, to) in epoch ms. */
export interface CommunityWindow {
  readonly communityId: string
  readonly from: number
  readonly to: number
}

/** The parameters every level-reading query binds: community, watermarks and time zone. */
export async function baseParams(
  ctx: KpiContext,
  communityId: string,
): Promise<Record<string, string | number>> {
  return { community: communityId, ...watermarkParams(await ctx.watermarks(), ctx.timezone) }
}

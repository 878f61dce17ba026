/**
 * `model_scores` (ClickHouse migration 11): every device's score per run, with evidence and model inputs. The
 * API reads the latest score per device and a device's risk history from here; drift monitoring reads the inputs
 * of a model version's last runs.
 */
import type { ClickHouse } from '../../data/index.ts'
import type { Evidence } from '../fleet/evidence.ts'
import type { DeviceScore } from '../fleet/score.ts'
import type { PredictiveKind } from '../telemetry/hourly-sql.ts'

/** A stored score as the API shows it. */
export interface StoredScore {
  readonly kind: string
  readonly communityId: string
  readonly deviceId: string
  readonly model: string
  readonly modelVersion: string
  readonly runId: number
  /** End of the scored window (a whole hour), epoch ms. */
  readonly at: number
  /** When the run scored it, epoch ms. */
  readonly scoredAt: number
  readonly risk: number
  readonly ttfHours: number
  /** The regressor answered at its cap: no failure expected within it (`ttfHours` is then the cap). */
  readonly ttfCapped: boolean
  readonly anomaly: number
  readonly anomalous: boolean
  readonly evidence: readonly Evidence[]
}

interface Wire {
  kind: string
  community_id: string
  device_id: string
  model: string
  model_version: string
  run_id: number
  at_ms: number
  scored_at_ms: number
  risk: number
  ttf_hours: number
  ttf_capped: number
  anomaly: number
  anomalous: number
  evidence: string
}

const COLUMNS = `kind, community_id, device_id, model, model_version, run_id,
  toUnixTimestamp64Milli(at) AS at_ms, toUnixTimestamp64Milli(scored_at) AS scored_at_ms, risk, ttf_hours,
  ttf_capped, anomaly, anomalous, evidence`

/** The latest score of each device (of a kind, or all kinds), newest run first. */
const LATEST_SQL = `
SELECT ${COLUMNS}
FROM model_scores
WHERE ({kind:String} = '' OR kind = {kind:String})
  AND ({community:String} = '' OR community_id = {community:String})
  AND at >= fromUnixTimestamp64Milli({since:Int64}, 'UTC')
ORDER BY at DESC, run_id DESC
LIMIT 1 BY kind, device_id`

const HISTORY_SQL = `
SELECT ${COLUMNS}
FROM model_scores
WHERE device_id = {device:String} AND at >= fromUnixTimestamp64Milli({since:Int64}, 'UTC')
ORDER BY at ASC, run_id ASC`

const INPUTS_SQL = `
SELECT inputs
FROM model_scores
WHERE model = {model:String} AND model_version = {version:String}
  AND run_id IN (
    SELECT DISTINCT run_id FROM model_scores
    WHERE model = {model:String} AND model_version = {version:String}
    ORDER BY run_id DESC LIMIT {runs:UInt32}
  )`

function fromWire(r: Wire): StoredScore {
  return {
    kind: r.kind,
    communityId: r.community_id,
    deviceId: r.device_id,
    model: r.model,
    modelVersion: r.model_version,
    runId: r.run_id,
    at: r.at_ms,
    scoredAt: r.scored_at_ms,
    risk: r.risk,
    ttfHours: r.ttf_hours,
    ttfCapped: r.ttf_capped === 1,
    anomaly: r.anomaly,
    anomalous: r.anomalous === 1,
    evidence: JSON.parse(r.evidence) as Evidence[],
  }
}

export class ScoreStore {
  constructor(private readonly store: ClickHouse) {}

  /** Appends one run's scores. */
  async write(
    run: { id: number; model: string; version: string; scoredAt: number },
    scores: readonly DeviceScore[],
  ): Promise<void> {
    if (scores.length === 0) return
    await this.store.client.insert({
      table: 'model_scores',
      format: 'JSONEachRow',
      values: scores.map((s) => ({
        kind: s.kind,
        community_id: s.communityId,
        device_id: s.deviceId,
        model: run.model,
        model_version: run.version,
        run_id: run.id,
        at: s.at,
        scored_at: run.scoredAt,
        risk: s.risk,
        ttf_hours: s.ttfHours,
        ttf_capped: s.ttfCapped ? 1 : 0,
        anomaly: Number.isFinite(s.anomaly) ? s.anomaly : 0,
        anomalous: s.anomalous ? 1 : 0,
        evidence: JSON.stringify(s.evidence),
        inputs: Array.from(s.inputs),
      })),
    })
  }

  /** The latest score per device scored since `since` (epoch ms), of one kind and community or all. */
  async latest(
    filter: { kind?: PredictiveKind; communityId?: string },
    since: number,
  ): Promise<StoredScore[]> {
    const result = await this.store.client.query({
      query: LATEST_SQL,
      query_params: { kind: filter.kind ?? '', community: filter.communityId ?? '', since },
      format: 'JSONEachRow',
    })
    return (await result.json<Wire>()).map(fromWire)
  }

  /** One device's scores since `since`, oldest first. */
  async history(deviceId: string, since: number): Promise<StoredScore[]> {
    const result = await this.store.client.query({
      query: HISTORY_SQL,
      query_params: { device: deviceId, since },
      format: 'JSONEachRow',
    })
    return (await result.json<Wire>()).map(fromWire)
  }

  /** The model inputs of a version's last `runs` runs, row-major, and their count. */
  async recentInputs(
    model: string,
    version: string,
    runs: number,
  ): Promise<{ values: Float32Array; count: number; width: number }> {
    const result = await this.store.client.query({
      query: INPUTS_SQL,
      query_params: { model, version, runs },
      format: 'JSONEachRow',
    })
    const rows = await result.json<{ inputs: number[] }>()
    const width = rows[0]?.inputs.length ?? 0
    const values = new Float32Array(rows.length * width)
    rows.forEach((r, i) => values.set(r.inputs, i * width))
    return { values, count: rows.length, width }
  }
}

/**
 * ClickHouse tables of the predictive-maintenance models (issue 7):
 *
 * - `model_features_1h`: hourly aggregates per lift and pump (models/telemetry/hourly-sql.ts), the first stage
 *   of every model feature. The scoring job refreshes the last hours before each run and reads the last three
 *   weeks from here, never the raw telemetry; a recomputed hour (late data) replaces the old row
 *   (ReplacingMergeTree on `computed_at`, read with FINAL).
 * - `model_scores`: every device's score per run: risk, predicted time to failure, anomaly score, evidence, and
 *   the model inputs (for drift monitoring per model version). Append-only time series of ~900 rows per hourly
 *   run: columnar storage and compression suit it, and drift is an aggregation over the last runs; alerts, whose
 *   lifecycle needs transactions and a uniqueness rule, live in PostgreSQL (migration 0030).
 */
import type { TableSpec } from './ddl.ts'

export const modelFeaturesTable: TableSpec = {
  name: 'model_features_1h',
  columns: [
    'kind LowCardinality(String)',
    'community_id LowCardinality(String)',
    'device_id LowCardinality(String)',
    "hour DateTime('UTC')",
    'f Map(LowCardinality(String), Float64) CODEC(ZSTD)',
    "computed_at DateTime64(3, 'UTC')",
  ],
  engine: 'ReplacingMergeTree(computed_at)',
  partitionBy: 'toYYYYMM(hour)',
  orderBy: '(kind, device_id, hour)',
  shardBy: 'cityHash64(device_id)',
}

export const modelScoresTable: TableSpec = {
  name: 'model_scores',
  columns: [
    'kind LowCardinality(String)',
    'community_id LowCardinality(String)',
    'device_id LowCardinality(String)',
    'model LowCardinality(String)',
    'model_version LowCardinality(String)',
    'run_id UInt64',
    "at DateTime64(3, 'UTC') CODEC(Delta, ZSTD)",
    "scored_at DateTime64(3, 'UTC') CODEC(Delta, ZSTD)",
    'risk Float32',
    'ttf_hours Float32',
    // 1 when the regressor answered at its cap: "no failure expected within the cap", not a time.
    'ttf_capped UInt8',
    'anomaly Float32',
    'anomalous UInt8',
    'evidence String CODEC(ZSTD)',
    'inputs Array(Float32) CODEC(ZSTD)',
  ],
  engine: 'MergeTree',
  partitionBy: 'toYYYYMM(at)',
  orderBy: '(kind, device_id, at)',
  shardBy: 'cityHash64(device_id)',
}

/**
 * The models area's public surface: CSV reading with data-quality counts, the feature pipeline, training,
 * scoring, cross-validation, metrics and the model registry. Other areas (the scoring job, the API) import from
 * here only. The command line is models/cli.ts; the benchmark is bench/models.ts.
 */
export { initBackend } from './backend.ts'
export { DataError, UsageError, isInputError } from './errors.ts'

export { parseCsv, detectSeparator } from './csv/parse.ts'
export type { ParsedCsv, Separator } from './csv/parse.ts'
export { buildTable, cellReport, columnOf, withNumericColumn } from './csv/table.ts'
export type { CellReport, Column, NumericColumn, StringColumn, Table } from './csv/table.ts'
export { readCsvFile, tableFromBytes } from './csv/read.ts'
export type { CsvOptions, DataFingerprint } from './csv/read.ts'

export type { FeatureSpec, SampleMode, TargetSpec, Task } from './features/spec.ts'
export { sequenceWindows } from './features/windows.ts'
export { writeWindowStats } from './features/rolling.ts'

export { trainPipeline } from './pipeline/train.ts'
export type { Trained } from './pipeline/train.ts'
export type { TaskOptions } from './pipeline/options.ts'
export { scoreTable, topContributors } from './pipeline/score.ts'
export type { Scored } from './pipeline/score.ts'
export { crossValidate } from './pipeline/cv.ts'
export type { CvResult } from './pipeline/cv.ts'
export { predictionMetrics, predictedClasses, predictedRul } from './pipeline/predictions.ts'

export { accuracy, binaryScores, macroF1 } from './metrics/classification.ts'
export { rocAuc, macroRocAuc } from './metrics/roc-auc.ts'
export { mae, nasaScore, rmse } from './metrics/regression.ts'

export { directoryHandler } from './registry/io-handler.ts'
export { loadArtifact, nextVersionDir, saveArtifact } from './registry/artifact.ts'
export type { ArtifactManifest, LoadedArtifact } from './registry/artifact.ts'

// Fleet models of lifts and pumps (issue 7, part 2): hourly aggregates from ClickHouse, window features against
// each device's normal range, training on simulated failures, scoring with evidence, the alert policy.
export { hourlyNames, hourlySql, PREDICTIVE_KINDS } from './telemetry/hourly-sql.ts'
export type { PredictiveKind } from './telemetry/hourly-sql.ts'
export { queryHourly } from './telemetry/hourly-read.ts'
export { hourlyHistory } from './telemetry/history.ts'
export type { HistoryOptions, TimedMessage } from './telemetry/history.ts'
export { loadMessages } from './telemetry/load-messages.ts'
export type { ContractMessage, LoadCounts } from './telemetry/load-messages.ts'
export { ELEVATOR_FEATURES, featureCatalog, PUMP_FEATURES } from './fleet/catalog.ts'
export type { FeatureDef } from './fleet/catalog.ts'
export { buildSeries } from './fleet/series.ts'
export type { DeviceSeries, HourlyRow } from './fleet/series.ts'
export { buildInputs, catalogSeries, DEFAULT_GEOMETRY, inputNames } from './fleet/window-features.ts'
export type { WindowGeometry } from './fleet/window-features.ts'
export { labelSamples } from './fleet/labels.ts'
export type { FailureRecord } from './fleet/labels.ts'
export { INITIAL_ALERT_STATE, stepAlert } from './fleet/alert-policy.ts'
export type { AlertPolicy, AlertState } from './fleet/alert-policy.ts'
export { evaluateAlerts } from './fleet/evaluate.ts'
export type { EventMetrics } from './fleet/evaluate.ts'
export {
  calibrateThreshold,
  DEFAULT_FIT,
  evaluateMany,
  fitFleetModel,
  sampleHistory,
  scoreHistory,
} from './fleet/fit.ts'
export type { FitReport, FleetFitOptions, History as FleetHistory } from './fleet/fit.ts'
export {
  disposeFleetBundle,
  fleetModelName,
  fleetVersions,
  latestFleetDir,
  loadFleetBundle,
  saveFleetBundle,
} from './fleet/bundle.ts'
export type { FleetBundle, FleetContent, FleetManifest } from './fleet/bundle.ts'
export { scoreHourlyRows, scoreSeries } from './fleet/score.ts'
export type { DeviceScore, ScoredWindow } from './fleet/score.ts'
export type { Evidence } from './fleet/evidence.ts'

// The scoring job and its stores (the API reads through them; the server starts it with startScoring).
export { startScoring } from './scoring/start.ts'
export type { Scoring, ScoringOptions } from './scoring/start.ts'
export { ScoringJob, workOrderTitle } from './scoring/job.ts'
export type { KindRunReport, ScoringJobOptions, TitleFacts } from './scoring/job.ts'
export { liveAlertSink } from './scoring/live-sink.ts'
export { RecordingAlertSink, RecordingWorkOrderOpener } from './scoring/sinks.ts'
export type {
  AlertSink,
  PredictiveAlert,
  PredictiveWorkOrderRequest,
  WorkOrderOpener,
} from './scoring/sinks.ts'
export { AlertNotFoundError, AlertStore, AlertTransitionError, alertStates } from './scoring/alert-store.ts'
export type { AlertLifecycle, CommunityScope, RunRecord, StoredAlert } from './scoring/alert-store.ts'
export { ScoreStore } from './scoring/score-store.ts'
export { driftLevel, inputDrift, psi, validationAlertRate } from './scoring/drift.ts'
export type { DriftLevel, DriftReport, InputDrift } from './scoring/drift.ts'
export type { StoredScore } from './scoring/score-store.ts'
export { FeatureStore } from './scoring/feature-store.ts'

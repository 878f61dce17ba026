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

/**
 * The three CLI commands as functions from parsed arguments to a report object (printed by cli.ts as one JSON
 * line or as `key value` lines): train → saves a model version, evaluate → scores a CSV with a saved model,
 * cv → K-fold cross-validation.
 */
import { basename, extname } from 'node:path'
import { readCsvFile } from '../csv/read.ts'
import { cellReport } from '../csv/table.ts'
import { crossValidate } from '../pipeline/cv.ts'
import { DEFAULT_SEED } from '../pipeline/options.ts'
import { predictionMetrics } from '../pipeline/predictions.ts'
import { scoreTable, topContributors } from '../pipeline/score.ts'
import { trainPipeline } from '../pipeline/train.ts'
import { loadArtifact, nextVersionDir, saveArtifact } from '../registry/artifact.ts'
import type { CliArgs } from './args.ts'
import { writePredictionsFile } from './predictions-file.ts'

/** A report: flat enough to read as `key value` lines, complete enough to parse as JSON. */
export type Report = Record<string, unknown>

function defaultName(task: string, csv: string): string {
  const stem = basename(csv, extname(csv))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
  return `${task}-${stem}`
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits))

/** Trains on the CSV and saves a new model version; returns the training report. */
export async function trainCommand(args: CliArgs, log: (line: string) => void): Promise<Report> {
  const task = args.task!
  const { table, fingerprint } = readCsvFile(args.csv, args.csvOptions)
  const trained = await trainPipeline(table, {
    ...task,
    onEpoch: args.verbose
      ? (m, e, loss) => log(`member ${m} epoch ${e + 1} loss ${loss.toFixed(5)}`)
      : undefined,
  })
  const name = args.name ?? defaultName(task.task, args.csv)
  const target =
    args.out === undefined
      ? await nextVersionDir(args.dataDir, name)
      : { dir: args.out, version: basename(args.out) }
  const metrics = {
    train: trained.trainMetrics,
    samples: trained.samples,
    epochs: trained.epochs,
    final_loss: trained.finalLoss,
    train_seconds: round(trained.seconds),
  }
  const manifest = await saveArtifact(target.dir, target.version, {
    name,
    model: trained.model,
    plan: trained.plan,
    spec: trained.spec,
    metrics,
    fingerprint,
    csv: args.csvOptions,
  })
  trained.model.dispose()
  return {
    command: 'train',
    task: task.task,
    name,
    version: manifest.version,
    model_dir: target.dir,
    mode: trained.spec.mode,
    arch: trained.plan.arch,
    members: trained.plan.members,
    input_shape: trained.spec.inputShape,
    features: trained.spec.featureNames.length,
    dropped: Object.fromEntries(trained.spec.dropped.map((d) => [d.name, d.reason])),
    rows: table.rowCount,
    samples: trained.samples,
    epochs: trained.epochs,
    final_loss: round(trained.finalLoss, 6),
    train_metrics: trained.trainMetrics,
    ...(trained.spec.target.kind === 'classes'
      ? { classes: trained.spec.target.classes, positive_class: trained.spec.target.positive }
      : {}),
    imputed_cells: trained.imputedCells,
    rows_without_group: trained.rowsWithoutGroup,
    csv: cellReport(table),
    fingerprint: fingerprint.sha256,
    train_seconds: round(trained.seconds),
  }
}

/** Scores the CSV with a saved model; metrics when the CSV has the label column. */
export async function evaluateCommand(args: CliArgs): Promise<Report> {
  const started = performance.now()
  const artifact = await loadArtifact(args.model!)
  const given = args.csvOptions
  // Read the file as the training file was read unless the command line says otherwise.
  const csvOptions = {
    ...artifact.manifest.csv,
    ...(given.separator !== 'auto' ? { separator: given.separator } : {}),
    ...(given.noHeader === true ? { noHeader: true } : {}),
    ...(given.columns !== undefined ? { columns: given.columns } : {}),
    ...(given.categorical !== undefined ? { categorical: given.categorical } : {}),
  }
  const { table, fingerprint } = readCsvFile(args.csv, csvOptions)
  const { spec } = artifact
  const scored = scoreTable(artifact.model, spec, table)
  const metrics = predictionMetrics(spec.target, scored.predictions)
  const report: Report = {
    command: 'evaluate',
    task: spec.task,
    model_dir: artifact.dir,
    version: artifact.manifest.version,
    rows: table.rowCount,
    samples: scored.samples.inputs.count,
    ...metrics,
  }
  if (spec.task === 'anomaly' && scored.perFeature !== undefined) {
    // Evidence summary: for each flagged sample, the feature carrying most of its reconstruction error.
    const counts: Record<string, number> = {}
    const { output } = scored.predictions
    const threshold = spec.target.kind === 'anomaly' ? spec.target.threshold : Number.POSITIVE_INFINITY
    for (let s = 0; s < output.length; s++) {
      if (output[s]! <= threshold) continue
      const top: { feature: number } = topContributors(
        scored.perFeature,
        scored.samples.inputs.size,
        s,
        1,
      )[0]!
      const name = spec.featureNames[top.feature]!
      counts[name] = (counts[name] ?? 0) + 1
    }
    report.flagged_by_feature = counts
  }
  if (args.predictions !== undefined) {
    writePredictionsFile(args.predictions, spec, scored)
    report.predictions_file = args.predictions
  }
  report.imputed_cells = scored.samples.base.imputed
  report.csv = cellReport(table)
  report.same_data_as_training = fingerprint.sha256 === artifact.manifest.fingerprint.sha256
  report.seconds = round((performance.now() - started) / 1000)
  return report
}

/** K-fold cross-validation; the metrics sit at the top level of the report. */
export async function cvCommand(args: CliArgs): Promise<Report> {
  const task = args.task!
  const { table } = readCsvFile(args.csv, args.csvOptions)
  const result = await crossValidate(table, task, args.folds)
  return {
    command: 'cv',
    task: task.task,
    folds: result.folds,
    seed: task.seed ?? DEFAULT_SEED,
    units: result.units,
    unit_count: result.unitCount,
    samples: result.samples,
    fold_samples: result.foldSamples,
    ...result.metrics,
    csv: cellReport(table),
    seconds: round(result.seconds),
  }
}

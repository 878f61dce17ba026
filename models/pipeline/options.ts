/**
 * The options of a training run, their defaults, and the choices that follow from them (sample mode, network
 * architecture, epochs). Options are validated here once, so the rest of the pipeline can trust them.
 */
import { UsageError } from '../errors.ts'
import type { Impute, SampleMode, Task } from '../features/spec.ts'
import type { Arch } from '../nets/network.ts'
import type { TemporalCnnOptions } from '../nets/temporal-cnn.ts'

/** What to train and how. Only `task` is always required; classify and rul also need `label`. */
export interface TaskOptions {
  readonly task: Task
  /** Label column: class (classify), remaining useful life (rul), optional 0/1 anomaly truth (anomaly). */
  readonly label?: string
  /** Device column: each group is one sequence. */
  readonly group?: string
  /** Time column ordering rows within a group (numeric or ISO-like text). */
  readonly time?: string
  /** Use the time column as a numeric feature too (e.g. C-MAPSS cycle = age). */
  readonly timeAsFeature?: boolean
  readonly exclude?: readonly string[]
  /** Missing-cell imputation; default forward fill for ordered data (group, time or rolling), else mean. */
  readonly impute?: Impute
  /** Sequence window / group-summary length in rows. Default 30. */
  readonly window?: number
  /** Rolling-statistics window for row samples (0 = none). Default 0. */
  readonly rolling?: number
  /** rul: cap the target at this many cycles (piecewise-linear RUL); metrics use the capped truth too. */
  readonly cap?: number
  /** classify: the positive class for binary precision / recall / F1 / ROC AUC. */
  readonly positive?: string
  /** classify: fixed class list (cv passes the whole file's classes so folds share one head). */
  readonly classes?: readonly string[]
  /**
   * anomaly: fit on the first `reference` fraction of each device's history (time order), assumed healthy, and
   * score everything. Default 1 (fit on all rows). See nets/autoencoder.ts for why this matters.
   */
  readonly reference?: number
  /** anomaly: training-score quantile used as the alarm threshold. Default 0.99. */
  readonly quantile?: number
  readonly epochs?: number
  /** Ensemble members averaged into one model. Default 1. */
  readonly members?: number
  readonly batchSize?: number
  readonly learningRate?: number
  readonly seed?: number
  /** Fraction of epochs after which the learning rate drops tenfold (default 0.7; 1 = never). */
  readonly dropAt?: number
  /** Average the weights of the epochs after this fraction (stochastic weight averaging); default off. */
  readonly averageFrom?: number
  /** Autoencoder widths override (library use). */
  readonly autoencoder?: { readonly hidden: number; readonly code: number }
  /** MLP hidden widths override (library use). */
  readonly hidden?: readonly number[]
  /** Temporal CNN shape overrides (library use; the CLI keeps the measured defaults). */
  readonly cnn?: Partial<TemporalCnnOptions>
  /** Progress callback (epoch losses), e.g. for verbose CLI output. */
  readonly onEpoch?: (member: number, epoch: number, loss: number) => void
}

export const DEFAULT_WINDOW = 30
export const DEFAULT_QUANTILE = 0.99
export const DEFAULT_SEED = 1

/** Checks option values that the command line cannot; throws UsageError with the reason. */
export function validateOptions(options: TaskOptions): void {
  if ((options.task === 'classify' || options.task === 'rul') && options.label === undefined) {
    throw new UsageError(`--label is required for --task ${options.task}`)
  }
  const positiveInt = (name: string, v: number | undefined, min = 1) => {
    if (v !== undefined && (!Number.isInteger(v) || v < min))
      throw new UsageError(`${name} must be an integer >= ${min}`)
  }
  positiveInt('--window', options.window)
  positiveInt('--rolling', options.rolling, 0)
  positiveInt('--epochs', options.epochs)
  positiveInt('--members', options.members)
  positiveInt('--batch-size', options.batchSize)
  if (options.cap !== undefined && !(options.cap > 0)) throw new UsageError('--cap must be a positive number')
  if (options.quantile !== undefined && !(options.quantile > 0 && options.quantile < 1)) {
    throw new UsageError('--quantile must be between 0 and 1')
  }
  if (options.reference !== undefined && !(options.reference > 0 && options.reference <= 1)) {
    throw new UsageError('--reference must be a fraction in (0, 1]')
  }
  if (options.reference !== undefined && options.reference < 1 && options.task !== 'anomaly') {
    throw new UsageError('--reference applies to --task anomaly only')
  }
  if (options.learningRate !== undefined && !(options.learningRate > 0)) {
    throw new UsageError('--learning-rate must be positive')
  }
  const roles = [options.label, options.group, options.time].filter((c) => c !== undefined)
  if (new Set(roles).size !== roles.length)
    throw new UsageError('--label, --group and --time must be different columns')
}

/** Sample mode for the task; `labelsConstantPerGroup` matters only for classify with a group. */
export function sampleModeFor(options: TaskOptions, labelsConstantPerGroup: boolean): SampleMode {
  if (options.task === 'anomaly' || options.group === undefined) return 'row'
  if (options.task === 'rul') return 'sequence'
  return labelsConstantPerGroup ? 'group' : 'sequence'
}

/** The network family for a task and sample mode. */
export function archFor(task: Task, mode: SampleMode): Arch {
  if (task === 'anomaly') return 'autoencoder'
  return mode === 'sequence' ? 'temporal-cnn' : 'mlp'
}

/**
 * Batch size, epochs and learning-rate schedule: about 3,000 optimiser steps for the MLP and autoencoder; for the
 * CNN 20 epochs of C-MAPSS, ~1,600 steps (more got worse in the prototype: two-member ensembles 13.4 at 20
 * epochs, 13.6 at 30 and 14.2 at 60 with batch 512).
 */
export function trainingSchedule(
  arch: Arch,
  samples: number,
  options: TaskOptions,
): { epochs: number; batchSize: number; learningRate: number; dropAt?: number; averageFrom?: number } {
  const batchSize = options.batchSize ?? (samples >= 4096 ? 256 : 32)
  const steps = Math.max(1, Math.ceil(samples / batchSize))
  // The CNN's 20 epochs on C-MAPSS are ~1,600 steps; smaller data sets get about as many steps, not epochs.
  const defaultEpochs =
    arch === 'temporal-cnn'
      ? Math.min(200, Math.max(20, Math.round(1600 / steps)))
      : Math.min(arch === 'autoencoder' ? 100 : 200, Math.max(3, Math.round(3000 / steps)))
  return {
    epochs: options.epochs ?? defaultEpochs,
    batchSize,
    learningRate: options.learningRate ?? 1e-3,
    // Measured on C-MAPSS (nets/temporal-cnn.ts): for the CNN, a constant rate with the second half of the epochs
    // averaged beats the tenfold drop by ~0.4 RMSE per member. Not measured for the others: they keep the drop.
    dropAt: options.dropAt ?? (arch === 'temporal-cnn' ? 1 : 0.7),
    averageFrom: options.averageFrom ?? (arch === 'temporal-cnn' ? 0.5 : undefined),
  }
}

/** Default imputation: forward fill when rows form sequences, else the training mean. */
export function imputeFor(options: TaskOptions): Impute {
  if (options.impute !== undefined) return options.impute
  return options.group !== undefined || options.time !== undefined || (options.rolling ?? 0) > 0
    ? 'ffill'
    : 'mean'
}

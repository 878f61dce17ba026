/**
 * Command-line arguments of `npm run models -- train|evaluate|cv …`: parsed with node's util.parseArgs, checked,
 * and turned into typed options. Every problem is a UsageError with one line saying what to fix.
 */
import { parseArgs } from 'node:util'
import type { CsvOptions } from '../csv/read.ts'
import type { Separator } from '../csv/parse.ts'
import { UsageError } from '../errors.ts'
import type { TaskOptions } from '../pipeline/options.ts'

export const USAGE = `usage: models <train|evaluate|cv> --csv FILE [options]
  train     --task classify|rul|anomaly [--label COL] [--group COL --time COL] [--out DIR] …
  evaluate  --model DIR --csv FILE [--predictions FILE]
  cv        --task … [--folds K] [--seed S]
options:
  --label COL --group COL --time COL --time-feature --exclude a,b --categorical a,b
  --sep auto|comma|semicolon|tab|pipe|space --no-header --columns a,b,c
  --window N --rolling N --cap N --positive VALUE --quantile Q --reference F --impute mean|ffill
  --epochs N --members N --batch-size N --learning-rate X --seed S --folds K
  --out DIR --data-dir DIR (default var) --name NAME --model DIR --predictions FILE --json --verbose`

export type Command = 'train' | 'evaluate' | 'cv'

/** Parsed command line. */
export interface CliArgs {
  readonly command: Command
  readonly csv: string
  readonly csvOptions: CsvOptions
  /** train / cv only. */
  readonly task: TaskOptions | undefined
  readonly folds: number
  readonly out: string | undefined
  readonly dataDir: string
  readonly name: string | undefined
  readonly model: string | undefined
  readonly predictions: string | undefined
  readonly json: boolean
  readonly verbose: boolean
}

const SEPARATORS: Record<string, Separator | 'auto'> = {
  auto: 'auto',
  comma: ',',
  ',': ',',
  semicolon: ';',
  ';': ';',
  tab: '\t',
  '\\t': '\t',
  pipe: '|',
  '|': '|',
  space: 'whitespace',
  whitespace: 'whitespace',
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^-?\d+$/.test(value)) throw new UsageError(`${name} must be an integer, got "${value}"`)
  return Number(value)
}

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const v = Number(value)
  if (value.trim() === '' || !Number.isFinite(v))
    throw new UsageError(`${name} must be a number, got "${value}"`)
  return v
}

/** Parses argv (without node and script); throws UsageError. */
export function parseCli(argv: readonly string[]): CliArgs {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        csv: { type: 'string' },
        task: { type: 'string' },
        label: { type: 'string' },
        group: { type: 'string' },
        time: { type: 'string' },
        'time-feature': { type: 'boolean', default: false },
        exclude: { type: 'string' },
        categorical: { type: 'string' },
        sep: { type: 'string', default: 'auto' },
        'no-header': { type: 'boolean', default: false },
        columns: { type: 'string' },
        window: { type: 'string' },
        rolling: { type: 'string' },
        cap: { type: 'string' },
        positive: { type: 'string' },
        quantile: { type: 'string' },
        reference: { type: 'string' },
        impute: { type: 'string' },
        epochs: { type: 'string' },
        members: { type: 'string' },
        'batch-size': { type: 'string' },
        'learning-rate': { type: 'string' },
        seed: { type: 'string' },
        folds: { type: 'string', default: '5' },
        out: { type: 'string' },
        'data-dir': { type: 'string', default: 'var' },
        name: { type: 'string' },
        model: { type: 'string' },
        predictions: { type: 'string' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
      },
    })
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] ?? 'bad arguments')
  }
  const { values, positionals } = parsed
  const command = positionals[0]
  if (command !== 'train' && command !== 'evaluate' && command !== 'cv') {
    throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`)
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`)
  if (values.csv === undefined || values.csv === '') throw new UsageError('--csv FILE is required')
  const separator = SEPARATORS[values.sep]
  if (separator === undefined) throw new UsageError(`unknown --sep "${values.sep}"`)
  const csvOptions: CsvOptions = {
    separator,
    noHeader: values['no-header'],
    columns: list(values.columns),
    categorical: list(values.categorical),
  }

  let task: TaskOptions | undefined
  if (command === 'evaluate') {
    if (values.model === undefined) throw new UsageError('evaluate needs --model DIR (a saved model version)')
  } else {
    if (values.task === undefined) throw new UsageError('--task classify|rul|anomaly is required')
    if (values.task !== 'classify' && values.task !== 'rul' && values.task !== 'anomaly') {
      throw new UsageError(`unknown task "${values.task}" (classify, rul or anomaly)`)
    }
    if (values.impute !== undefined && values.impute !== 'mean' && values.impute !== 'ffill') {
      throw new UsageError(`unknown --impute "${values.impute}" (mean or ffill)`)
    }
    if (values['time-feature'] && values.time === undefined)
      throw new UsageError('--time-feature needs --time COL')
    task = {
      task: values.task,
      label: values.label,
      group: values.group,
      time: values.time,
      timeAsFeature: values['time-feature'],
      exclude: list(values.exclude),
      impute: values.impute,
      window: integer('--window', values.window),
      rolling: integer('--rolling', values.rolling),
      cap: number('--cap', values.cap),
      positive: values.positive,
      quantile: number('--quantile', values.quantile),
      reference: number('--reference', values.reference),
      epochs: integer('--epochs', values.epochs),
      members: integer('--members', values.members),
      batchSize: integer('--batch-size', values['batch-size']),
      learningRate: number('--learning-rate', values['learning-rate']),
      seed: integer('--seed', values.seed),
    }
  }
  return {
    command,
    csv: values.csv,
    csvOptions,
    task,
    folds: integer('--folds', values.folds)!,
    out: values.out,
    dataDir: values['data-dir'],
    name: values.name,
    model: values.model,
    predictions: values.predictions,
    json: values.json,
    verbose: values.verbose,
  }
}

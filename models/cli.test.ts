/**
 * The command line end to end on small fixtures: train → evaluate for each task, cross-validation output, and
 * the bad inputs maintenance teams will feed it (each must be one clear line and exit code 2). Models are tiny
 * (few epochs) so this runs in seconds; model quality is the benchmark's job.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from './cli.ts'

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name)

async function cli(
  args: string[],
): Promise<{ code: number; out: string; err: string; json: Record<string, unknown> }> {
  let out = ''
  let err = ''
  const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) })
  let json: Record<string, unknown> = {}
  if (code === 0 && args.includes('--json')) {
    assert.equal(out.trim().split('\n').length, 1, 'one JSON line')
    json = JSON.parse(out) as Record<string, unknown>
  }
  return { code, out, err, json }
}

describe('models CLI', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pdm-cli-'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('trains a row classifier, saves a version, evaluates it and writes predictions', async () => {
    const train = await cli([
      'train',
      '--csv',
      fixture('classify-rows.csv'),
      '--task',
      'classify',
      '--label',
      'status',
      '--epochs',
      '5',
      '--data-dir',
      dir,
      '--json',
    ])
    assert.equal(train.code, 0, train.err)
    assert.equal(train.json.version, 'v1')
    assert.equal(train.json.mode, 'row')
    assert.equal(train.json.positive_class, 'fault')
    const csv = train.json.csv as { malformed_cells: number; missing_cells: number }
    assert.equal(csv.malformed_cells, 1) // "12. Mai" in temp_c
    assert.equal(csv.missing_cells, 2) // '' and NA in vibration
    const modelDir = train.json.model_dir as string
    assert.equal(modelDir, join(dir, 'models', 'classify-classify-rows', 'v1'))
    for (const f of ['model.json', 'weights.bin', 'feature-spec.json', 'metrics.json', 'manifest.json']) {
      assert.ok(existsSync(join(modelDir, f)), f)
    }
    const predictions = join(dir, 'pred.csv')
    const evaluate = await cli([
      'evaluate',
      '--model',
      modelDir,
      '--csv',
      fixture('classify-rows.csv'),
      '--predictions',
      predictions,
      '--json',
    ])
    assert.equal(evaluate.code, 0, evaluate.err)
    assert.equal(evaluate.json.same_data_as_training, true)
    assert.equal(evaluate.json.samples, 80)
    for (const key of ['accuracy', 'macro_f1', 'f1', 'precision', 'recall', 'roc_auc']) {
      assert.equal(typeof evaluate.json[key], 'number', key)
    }
    const lines = readFileSync(predictions, 'utf8').trim().split('\n')
    assert.equal(lines[0], 'line,predicted,p_fault')
    assert.equal(lines.length, 81)
  })

  it('cross-validates a per-device classifier over groups', async () => {
    const r = await cli([
      'cv',
      '--csv',
      fixture('classify-groups.csv'),
      '--task',
      'classify',
      '--label',
      'fails_30d',
      '--group',
      'elevator',
      '--time',
      'minute',
      '--window',
      '5',
      '--folds',
      '3',
      '--seed',
      '4',
      '--epochs',
      '20',
      '--json',
    ])
    assert.equal(r.code, 0, r.err)
    assert.equal(r.json.units, 'groups')
    assert.equal(r.json.unit_count, 24)
    assert.equal(r.json.samples, 24) // one sample per elevator
    for (const key of ['accuracy', 'macro_f1', 'f1', 'precision', 'recall', 'roc_auc'])
      assert.ok(key in r.json, key)
    // The failing elevators' current drifts upward by 3 A over ten minutes: even a short run separates them.
    assert.ok((r.json.roc_auc as number) > 0.8, `roc_auc ${JSON.stringify(r.json.roc_auc)}`)
  })

  it('trains and cross-validates a RUL model over device sequences', async () => {
    const args = [
      '--csv',
      fixture('rul-groups.csv'),
      '--task',
      'rul',
      '--label',
      'rul',
      '--group',
      'pump',
      '--time',
      'hour',
      '--window',
      '8',
      '--epochs',
      '3',
      '--json',
    ]
    const train = await cli(['train', ...args, '--out', join(dir, 'rul-model')])
    assert.equal(train.code, 0, train.err)
    assert.equal(train.json.mode, 'sequence')
    assert.equal(train.json.arch, 'temporal-cnn')
    assert.deepEqual(train.json.input_shape, [8, 2])
    const cv = await cli(['cv', ...args, '--folds', '3'])
    assert.equal(cv.code, 0, cv.err)
    for (const key of ['rmse', 'mae', 'nasa_score']) assert.equal(typeof cv.json[key], 'number', key)
    const evaluate = await cli([
      'evaluate',
      '--model',
      join(dir, 'rul-model'),
      '--csv',
      fixture('rul-groups.csv'),
      '--json',
    ])
    assert.equal(evaluate.code, 0, evaluate.err)
    assert.equal(typeof evaluate.json.rmse, 'number')
  })

  it('runs the anomaly detector with and without labels, with evidence', async () => {
    const cv = await cli([
      'cv',
      '--csv',
      fixture('anomaly-rows.csv'),
      '--task',
      'anomaly',
      '--label',
      'is_anomaly',
      '--exclude',
      'ts',
      '--folds',
      '3',
      '--epochs',
      '30',
      '--json',
    ])
    assert.equal(cv.code, 0, cv.err)
    assert.equal(typeof cv.json.flagged_fraction, 'number')
    // Five injected power spikes (+6 kW at normal flow and pressure) out of 150 rows.
    assert.ok((cv.json.roc_auc as number) > 0.8, `roc_auc ${JSON.stringify(cv.json.roc_auc)}`)
    const train = await cli([
      'train',
      '--csv',
      fixture('anomaly-rows.csv'),
      '--task',
      'anomaly',
      '--exclude',
      'ts,is_anomaly',
      '--epochs',
      '30',
      '--out',
      join(dir, 'ae'),
      '--json',
    ])
    assert.equal(train.code, 0, train.err)
    const evaluate = await cli([
      'evaluate',
      '--model',
      join(dir, 'ae'),
      '--csv',
      fixture('anomaly-rows.csv'),
      '--json',
    ])
    assert.equal(evaluate.code, 0, evaluate.err)
    assert.equal(evaluate.json.roc_auc, null) // trained without a label column: nothing to compare with
    assert.ok((evaluate.json.flagged as number) >= 1)
    assert.ok(Object.keys(evaluate.json.flagged_by_feature as object).length >= 1)
  })

  it('fits the anomaly detector on a healthy reference period with --reference', async () => {
    const r = await cli([
      'train',
      '--csv',
      fixture('rul-groups.csv'),
      '--task',
      'anomaly',
      '--group',
      'pump',
      '--time',
      'hour',
      '--exclude',
      'rul',
      '--reference',
      '0.5',
      '--epochs',
      '5',
      '--out',
      join(dir, 'ref'),
      '--json',
    ])
    assert.equal(r.code, 0, r.err)
    // Twelve pumps, 25-40 hours each: the first half of each history, rounded up.
    const samples = r.json.samples as number
    assert.ok(samples > 397 * 0.5 && samples < 397 * 0.5 + 12, `samples ${samples}`)
    const evaluate = await cli([
      'evaluate',
      '--model',
      join(dir, 'ref'),
      '--csv',
      fixture('rul-groups.csv'),
      '--json',
    ])
    assert.equal(evaluate.code, 0, evaluate.err)
    assert.equal(evaluate.json.samples, 397) // scores every row
  })

  it('prints key-value lines without --json', async () => {
    const r = await cli([
      'cv',
      '--csv',
      fixture('classify-rows.csv'),
      '--task',
      'classify',
      '--label',
      'status',
      '--folds',
      '2',
      '--epochs',
      '2',
    ])
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /^command +cv$/m)
  })

  describe('bad input: one line on stderr, exit code 2', () => {
    const write = (name: string, text: string) => {
      const path = join(dir, name)
      writeFileSync(path, text)
      return path
    }
    const cases: [string, () => string[], RegExp][] = [
      [
        'an empty file',
        () => ['cv', '--csv', write('empty.csv', ''), '--task', 'anomaly'],
        /the CSV file is empty/,
      ],
      [
        'a header without rows',
        () => ['cv', '--csv', write('header.csv', 'a,b\n'), '--task', 'anomaly'],
        /no data rows/,
      ],
      [
        'a missing file',
        () => ['cv', '--csv', join(dir, 'nope.csv'), '--task', 'anomaly'],
        /cannot read CSV file .*ENOENT/,
      ],
      [
        'a missing label column',
        () => ['train', '--csv', fixture('classify-rows.csv'), '--task', 'classify', '--label', 'broken'],
        /label column "broken" is not in the CSV \(columns: temp_c, vibration_mm_s, pump_type, status\)/,
      ],
      [
        'text in a numeric label column',
        () => [
          'train',
          '--csv',
          write('text-label.csv', 'x,rul\n1,10\n2,9\n3,eight\n4,7\n'),
          '--task',
          'rul',
          '--label',
          'rul',
        ],
        /label column "rul" has 1 non-numeric cell\(s\), first "eight" at line 4/,
      ],
      [
        'a text label for rul',
        () => [
          'train',
          '--csv',
          write('words.csv', 'x,rul\n1,ten\n2,nine\n'),
          '--task',
          'rul',
          '--label',
          'rul',
        ],
        /label column "rul" holds text \("ten"\); rul needs numbers/,
      ],
      [
        'a single class',
        () => ['train', '--csv', write('one.csv', 'x,y\n1,a\n2,a\n'), '--task', 'classify', '--label', 'y'],
        /has 1 class\(es\); classify needs at least 2/,
      ],
      [
        'a reference period for a supervised task',
        () => [
          'train',
          '--csv',
          fixture('classify-rows.csv'),
          '--task',
          'classify',
          '--label',
          'status',
          '--reference',
          '0.5',
        ],
        /--reference applies to --task anomaly only/,
      ],
      [
        'an unknown task',
        () => ['train', '--csv', fixture('classify-rows.csv'), '--task', 'predict'],
        /unknown task "predict"/,
      ],
      ['no --csv', () => ['train', '--task', 'rul'], /--csv FILE is required/],
      [
        'no label for classify',
        () => ['train', '--csv', fixture('classify-rows.csv'), '--task', 'classify'],
        /--label is required/,
      ],
      [
        'an unknown option',
        () => ['train', '--csv', 'x.csv', '--task', 'rul', '--bogus'],
        /Unknown option '--bogus'/,
      ],
      [
        'too many folds',
        () => [
          'cv',
          '--csv',
          fixture('classify-groups.csv'),
          '--task',
          'classify',
          '--label',
          'fails_30d',
          '--group',
          'elevator',
          '--folds',
          '30',
        ],
        /--folds 30 is more than the 24 groups/,
      ],
      [
        'evaluate without a model',
        () => ['evaluate', '--model', join(dir, 'none'), '--csv', fixture('classify-rows.csv')],
        /is not a saved model/,
      ],
      [
        'a headerless file read with a header',
        () => ['cv', '--csv', write('nohead.txt', '1 2 3\n4 5 6\n'), '--task', 'anomaly'],
        /looks like data.*--no-header/,
      ],
    ]
    for (const [name, args, message] of cases) {
      it(`rejects ${name}`, async () => {
        const r = await cli(args())
        assert.equal(r.code, 2, `exit code for ${name}: ${r.err}`)
        assert.match(r.err, message)
        assert.equal(r.err.trim().split('\n').length, 1, 'one line')
        assert.equal(r.out, '')
      })
    }
  })

  it('exits the real process with code 2 and one stderr line', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), 'cv', '--task', 'rul'],
      {
        encoding: 'utf8',
      },
    )
    assert.equal(r.status, 2)
    assert.equal(r.stderr.trim().split('\n').length, 1)
    assert.match(r.stderr, /^models: --csv FILE is required/)
  })
})

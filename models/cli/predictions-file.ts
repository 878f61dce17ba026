/**
 * Writes per-sample predictions of `evaluate --predictions FILE` as CSV, for maintenance teams to join back to
 * their own records: file line and device of each sample, the prediction, and for anomalies the score, the flag
 * and the features that carry the reconstruction error (the evidence).
 */
import { writeFileSync } from 'node:fs'
import type { FeatureSpec } from '../features/spec.ts'
import { predictedClasses, predictedRul } from '../pipeline/predictions.ts'
import type { Scored } from '../pipeline/score.ts'
import { topContributors } from '../pipeline/score.ts'

function csvCell(value: string): string {
  return /[",;\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** Writes the predictions CSV for `scored` samples. */
export function writePredictionsFile(path: string, spec: FeatureSpec, scored: Scored): void {
  const { samples, predictions, prepared } = scored
  const n = samples.inputs.count
  const lines: string[] = []
  const head = ['line', ...(spec.group !== null ? [spec.group] : [])]
  const groupCell = (s: number): string[] =>
    spec.group !== null ? [csvCell(prepared.ordering.groupKeys[samples.groups[s]!]!)] : []
  const lineOf = (s: number): string => String(prepared.table.lines[samples.rows[s]!])
  const target = spec.target
  switch (target.kind) {
    case 'classes': {
      const classes = predictedClasses(target, predictions)
      const probHeads =
        predictions.width === 1 ? [`p_${target.positive}`] : target.classes.map((c) => `p_${c}`)
      lines.push([...head, 'predicted', ...probHeads.map(csvCell)].join(','))
      for (let s = 0; s < n; s++) {
        const probs = Array.from(
          predictions.output.subarray(s * predictions.width, (s + 1) * predictions.width),
          (p) => p.toFixed(4),
        )
        lines.push([lineOf(s), ...groupCell(s), csvCell(target.classes[classes[s]!]!), ...probs].join(','))
      }
      break
    }
    case 'rul': {
      const rul = predictedRul(target, predictions)
      lines.push([...head, 'rul'].join(','))
      for (let s = 0; s < n; s++) lines.push([lineOf(s), ...groupCell(s), rul[s]!.toFixed(1)].join(','))
      break
    }
    case 'anomaly': {
      lines.push([...head, 'score', 'flagged', 'evidence'].join(','))
      for (let s = 0; s < n; s++) {
        const score = predictions.output[s]!
        const evidence = topContributors(scored.perFeature!, samples.inputs.size, s)
          .map((c) => `${spec.featureNames[c.feature]} ${(c.share * 100).toFixed(0)}%`)
          .join('; ')
        lines.push(
          [
            lineOf(s),
            ...groupCell(s),
            score.toPrecision(4),
            score > target.threshold ? '1' : '0',
            csvCell(evidence),
          ].join(','),
        )
      }
      break
    }
  }
  writeFileSync(path, `${lines.join('\n')}\n`)
}

/**
 * Area under the ROC curve as the Mann-Whitney statistic: the probability that a random positive scores above a
 * random negative, ties counting half (average ranks). O(n log n), exact, no curve points kept.
 */

/** ROC AUC of `scores` for binary `labels` (1 positive, 0 negative, others skipped); NaN if a class is absent. */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const idx: number[] = []
  for (let i = 0; i < labels.length; i++) if (labels[i] === 0 || labels[i] === 1) idx.push(i)
  const order = Int32Array.from(idx).sort((a, b) => scores[a]! - scores[b]!)
  let positives = 0
  let rankSum = 0
  let i = 0
  while (i < order.length) {
    // A run of tied scores shares the average of its ranks (1-based).
    let j = i
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++
    const rank = (i + j + 2) / 2
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!] === 1) {
        positives++
        rankSum += rank
      }
    }
    i = j + 1
  }
  const negatives = order.length - positives
  if (positives === 0 || negatives === 0) return Number.NaN
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}

/**
 * Macro one-vs-rest AUC for `classCount` classes from row-major probabilities [n × classCount]; classes absent
 * from the truth are skipped. NaN if no class can be scored.
 */
export function macroRocAuc(
  truth: ArrayLike<number>,
  probabilities: Float32Array,
  classCount: number,
): number {
  const labels = new Int8Array(truth.length)
  const scores = new Float32Array(truth.length)
  let sum = 0
  let used = 0
  for (let c = 0; c < classCount; c++) {
    for (let i = 0; i < truth.length; i++) {
      labels[i] = truth[i]! < 0 ? -1 : truth[i] === c ? 1 : 0
      scores[i] = probabilities[i * classCount + c]!
    }
    const auc = rocAuc(labels, scores)
    if (!Number.isNaN(auc)) {
      sum += auc
      used++
    }
  }
  return used === 0 ? Number.NaN : sum / used
}

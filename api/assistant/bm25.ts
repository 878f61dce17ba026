/**
 * Okapi BM25 over a small in-memory corpus (a community's live notices and the FAQ: hundreds of documents, built
 * per question from terms that are cached per document). Pure: documents in, ranked ids out.
 */

export interface Bm25Document {
  readonly id: string
  readonly terms: readonly string[]
}

export interface Bm25Options {
  /** Term-frequency saturation. */
  readonly k1: number
  /** Length normalisation. */
  readonly b: number
}

export const defaultBm25: Bm25Options = { k1: 1.2, b: 0.75 }

export interface Scored {
  readonly id: string
  readonly score: number
  /** Distinct query terms the document contains. */
  readonly matched: number
}

/** Ranks `documents` for `query` (highest first); documents sharing no term are left out. */
export function rankBm25(
  documents: readonly Bm25Document[],
  query: readonly string[],
  options: Bm25Options = defaultBm25,
): Scored[] {
  const n = documents.length
  if (n === 0 || query.length === 0) return []
  const terms = [...new Set(query)]
  const df = new Map<string, number>(terms.map((t) => [t, 0]))
  const frequencies = documents.map((doc) => {
    const tf = new Map<string, number>()
    for (const term of doc.terms) if (df.has(term)) tf.set(term, (tf.get(term) ?? 0) + 1)
    for (const term of tf.keys()) df.set(term, (df.get(term) ?? 0) + 1)
    return tf
  })
  const avgLength = documents.reduce((sum, d) => sum + d.terms.length, 0) / n || 1
  const out: Scored[] = []
  documents.forEach((doc, i) => {
    const tf = frequencies[i] as Map<string, number>
    if (tf.size === 0) return
    let score = 0
    for (const [term, f] of tf) {
      const d = df.get(term) ?? 0
      // The "+1" form of IDF stays positive for terms in more than half the documents.
      const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5))
      score +=
        (idf * f * (options.k1 + 1)) /
        (f + options.k1 * (1 - options.b + (options.b * doc.terms.length) / avgLength))
    }
    out.push({ id: doc.id, score, matched: tf.size })
  })
  return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
}

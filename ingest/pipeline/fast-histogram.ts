/**
 * A Prometheus histogram for the hot path: bucket counts in a typed array, observed with a few comparisons and
 * no allocation (prom-client's `observe` costs about 0.25 µs, measured here — too much once per message).
 * Renders its own exposition text, appended to the registry's.
 */
export class FastHistogram {
  private readonly counts: Float64Array
  private sum = 0
  private count = 0

  constructor(
    readonly name: string,
    readonly help: string,
    /** Upper bounds, ascending. */
    private readonly buckets: readonly number[],
  ) {
    this.counts = new Float64Array(buckets.length)
  }

  observe(value: number): void {
    const buckets = this.buckets
    // Non-cumulative counts here; cumulated when rendered.
    let i = 0
    while (i < buckets.length && value > (buckets[i] as number)) i++
    if (i < buckets.length) this.counts[i] = (this.counts[i] as number) + 1
    this.sum += value
    this.count++
  }

  /** The metric in the Prometheus text format. */
  exposition(): string {
    let text = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`
    let cumulative = 0
    for (let i = 0; i < this.buckets.length; i++) {
      cumulative += this.counts[i] as number
      text += `${this.name}_bucket{le="${String(this.buckets[i])}"} ${cumulative}\n`
    }
    text += `${this.name}_bucket{le="+Inf"} ${this.count}\n${this.name}_sum ${this.sum}\n${this.name}_count ${this.count}\n`
    return text
  }
}

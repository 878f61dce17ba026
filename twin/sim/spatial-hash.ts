/**
 * Neighbour search: a uniform grid of cells one cutoff wide, rebuilt every step by a counting sort into
 * preallocated typed arrays, with positions copied in cell order so the neighbour loop reads memory in sequence.
 *
 * Two layouts behind one query (`gather`): a dense grid when the site is small next to the crowd (a row of three
 * neighbouring cells is then one contiguous range), and a hash of cell coordinates into a table sized to the
 * agents when the site is large and mostly empty (a whole community: clearing a dense grid of the site every
 * step would cost more than the agents do).
 */

/** Cell grid over agent positions: agents of cell/bucket b are `items[start[b] .. start[b + 1]]`. */
export class SpatialHash {
  /** The neighbour search radius, metres. */
  readonly cutoff: number
  /**
   * Cell size of the dense layout, metres: the cutoff, with the rows above and below clipped to the circle's
   * chord. (Half-cutoff cells with 5 clipped rows visit fewer candidates but measured 30% slower: the
   * per-row bookkeeping costs more than the distance checks it saves.)
   */
  readonly cellSize: number
  /** Cell size of the hash layout (the cutoff: 3x3 buckets). */
  readonly hashCell: number
  readonly originX: number
  readonly originY: number
  /** Columns and rows of the dense layout. */
  readonly cols: number
  readonly rows: number
  /** Whether the last rebuild used the dense layout. */
  dense = false
  private readonly denseCapable: boolean
  /** Periodic along x: number of columns in the period, else 0. */
  readonly periodicCols: number
  mask = 15
  readonly start: Int32Array
  readonly items: Int32Array
  /** Cell coordinates of `items[k]` (hash layout: to drop collisions). */
  readonly cellX: Int32Array
  readonly cellY: Int32Array
  /** Position and radius of `items[k]`. */
  readonly x: Float64Array
  readonly y: Float64Array
  readonly r: Float32Array
  /** The ranges of the last {@link gather}: `[rangeStart[m], rangeEnd[m])`, filtered by cell when `rangeFilter`. */
  readonly rangeStart = new Int32Array(16)
  readonly rangeEnd = new Int32Array(16)
  readonly rangeCX = new Int32Array(9)
  readonly rangeCY = new Int32Array(9)
  rangeCount = 0
  rangeFilter = false
  private readonly bucketOf: Int32Array
  private readonly cursor: Int32Array
  private readonly ax: Int32Array
  private readonly ay: Int32Array

  /**
   * @param capacity the most agents ever on the floor
   * @param cutoff the neighbour search radius, metres
   * @param bounds the site (agents outside it still work: they fall into border cells)
   */
  constructor(
    capacity: number,
    cutoff: number,
    bounds: { minX: number; minY: number; maxX: number; maxY: number },
    periodicX: readonly [number, number] | null,
  ) {
    this.cutoff = cutoff
    let cell = cutoff
    let originX = bounds.minX
    let periodicCols = 0
    if (periodicX) {
      // The period must be a whole number of cells for the wrap of cell columns to be exact.
      const period = periodicX[1] - periodicX[0]
      periodicCols = Math.max(3, Math.floor(period / cutoff))
      cell = period / periodicCols
      originX = periodicX[0]
    }
    this.cellSize = cell
    this.hashCell = cutoff
    this.originX = originX
    this.originY = bounds.minY
    this.periodicCols = periodicCols
    const cols = periodicCols > 0 ? periodicCols : Math.max(1, Math.ceil((bounds.maxX - originX) / cell))
    const rows = Math.max(1, Math.ceil((bounds.maxY - bounds.minY) / cell))
    // The dense layout is possible when the site has at most a few cells per agent; it is used at a rebuild
    // only while the crowd on the floor is that large (a day in a community has a few dozen people out at once).
    this.denseCapable = periodicCols > 0 || cols * rows <= Math.max(4096, 4 * capacity)
    this.cols = cols
    this.rows = rows
    let size = 16
    while (size < 2 * capacity) size *= 2
    if (this.denseCapable) size = Math.max(size, cols * rows)
    const cap = Math.max(1, capacity)
    this.start = new Int32Array(size + 1)
    this.cursor = new Int32Array(size + 1)
    this.items = new Int32Array(cap)
    this.cellX = new Int32Array(cap)
    this.cellY = new Int32Array(cap)
    this.bucketOf = new Int32Array(cap)
    this.ax = new Int32Array(cap)
    this.ay = new Int32Array(cap)
    this.x = new Float64Array(cap)
    this.y = new Float64Array(cap)
    this.r = new Float32Array(cap)
  }

  /** Re-sorts the `count` agents listed in `list` into cells. */
  rebuild(px: Float64Array, py: Float64Array, radius: Float32Array, list: Int32Array, count: number): void {
    const cells = this.cols * this.rows
    this.dense = this.denseCapable && (this.periodicCols > 0 || cells <= Math.max(4096, 4 * count))
    const inv = 1 / (this.dense ? this.cellSize : this.hashCell)
    let size: number
    if (this.dense) size = cells
    else {
      size = 16
      while (size < 2 * count) size *= 2
      this.mask = size - 1
    }
    const mask = this.mask
    const { start, cursor, bucketOf, items, ax, ay, x, y, r, cellX, cellY } = this
    const ox = this.originX
    const oy = this.originY
    const pc = this.periodicCols
    const dense = this.dense
    const cols = this.cols
    const rows = this.rows
    start.fill(0, 0, size + 1)
    for (let q = 0; q < count; q++) {
      const i = list[q]!
      let cx = Math.floor((px[i]! - ox) * inv)
      let cy = Math.floor((py[i]! - oy) * inv)
      if (pc > 0) cx = ((cx % pc) + pc) % pc
      let b: number
      if (dense) {
        cx = cx < 0 ? 0 : cx >= cols ? cols - 1 : cx
        cy = cy < 0 ? 0 : cy >= rows ? rows - 1 : cy
        b = cy * cols + cx
      } else b = (Math.imul(cx, 73856093) ^ Math.imul(cy, 19349663)) & mask
      ax[i] = cx
      ay[i] = cy
      bucketOf[i] = b
      start[b + 1]!++
    }
    for (let b = 0; b < size; b++) start[b + 1]! += start[b]!
    cursor.set(start.subarray(0, size), 0)
    for (let q = 0; q < count; q++) {
      const i = list[q]!
      const k = cursor[bucketOf[i]!]!++
      items[k] = i
      x[k] = px[i]!
      y[k] = py[i]!
      r[k] = radius[i]!
      cellX[k] = ax[i]!
      cellY[k] = ay[i]!
    }
  }

  /**
   * Fills the range arrays with the slots that may hold neighbours within the cutoff of the agent in slot `k`: dense, one contiguous run of cells per row, clipped to the circle; periodic, the 3x3 cells;
   * hash, the 3x3 buckets (filtered by cell, as buckets collide).
   */
  gather(k: number): void {
    // Coordinates are read here, not passed: a double argument to a call that is not inlined gets boxed.
    const x = this.x[k]!
    const y = this.y[k]!
    const start = this.start
    let m = 0
    if (this.dense && this.periodicCols === 0) {
      const cols = this.cols
      const h = this.cellSize
      const c = this.cutoff
      // Clamped like the positions were at the rebuild (clamping only shortens distances, so the circle
      // around the clamped point still holds every clamped neighbour).
      // (Math.min/max rather than conditionals: a branch mixing an integer constant with a double made the
      // optimiser keep the value boxed, one allocation per call.)
      const fx = Math.min(Math.max((x - this.originX) / h, 0), cols)
      const fy = Math.min(Math.max((y - this.originY) / h, 0), this.rows)
      const ch = c / h
      const r0 = Math.max(Math.floor(fy - ch), 0)
      const r1 = Math.min(Math.floor(fy + ch), this.rows - 1)
      for (let r = r0; r <= r1; r++) {
        // Vertical gap from the agent to the row's band, then the half chord of the circle at that gap.
        const dy = Math.max(fy - (r + 1), r - fy, 0)
        const half = Math.sqrt(Math.max(ch * ch - dy * dy, 0))
        let c0 = Math.floor(fx - half)
        let c1 = Math.floor(fx + half)
        c0 = c0 < 0 ? 0 : c0
        c1 = c1 >= cols ? cols - 1 : c1
        if (c1 < c0) continue
        this.rangeStart[m] = start[r * cols + c0]!
        this.rangeEnd[m] = start[r * cols + c1 + 1]!
        m++
      }
      this.rangeFilter = false
    } else if (this.dense) {
      const cx = this.cellX[k]!
      const cy = this.cellY[k]!
      const pc = this.periodicCols
      for (let row = cy - 1; row <= cy + 1; row++) {
        if (row < 0 || row >= this.rows) continue
        for (let o = -1; o <= 1; o++) {
          const col = (cx + o + pc) % pc
          this.rangeStart[m] = start[row * pc + col]!
          this.rangeEnd[m] = start[row * pc + col + 1]!
          m++
        }
      }
      this.rangeFilter = false
    } else {
      const cx = this.cellX[k]!
      const cy = this.cellY[k]!
      const mask = this.mask
      for (let row = cy - 1; row <= cy + 1; row++) {
        const hy = Math.imul(row, 19349663)
        for (let col = cx - 1; col <= cx + 1; col++) {
          const b = (Math.imul(col, 73856093) ^ hy) & mask
          this.rangeStart[m] = start[b]!
          this.rangeEnd[m] = start[b + 1]!
          this.rangeCX[m] = col
          this.rangeCY[m] = row
          m++
        }
      }
      this.rangeFilter = true
    }
    this.rangeCount = m
  }
}

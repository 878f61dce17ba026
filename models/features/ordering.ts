/**
 * Puts rows into sequence order: grouped by device (in order of first appearance) and, within a group, by time
 * (ties and rows without a time keep file order). Sequence windows, rolling statistics and forward-fill all walk
 * this order, so training and scoring see each device's history the same way.
 */
import type { Table } from '../csv/table.ts'
import { columnOf } from '../csv/table.ts'
import { DataError } from '../errors.ts'

/** Rows in sequence order, cut into groups. */
export interface RowOrder {
  /** Sorted position -> row index in the table. Rows without a group key are left out. */
  readonly order: Int32Array
  /** Group g occupies positions [groupStarts[g], groupStarts[g + 1]). Length = groups + 1. */
  readonly groupStarts: Int32Array
  /** The group key of each group ('' when there is no group column: the whole file is one sequence). */
  readonly groupKeys: readonly string[]
  /** Row index -> sorted position, -1 for rows left out. */
  readonly positionOf: Int32Array
  /** Rows dropped because their group cell was missing. */
  readonly rowsWithoutGroup: number
}

/** Orders the table's rows by `group` (optional) then `time` (optional, numeric or ISO-like text). */
export function orderRows(table: Table, group?: string, time?: string): RowOrder {
  const n = table.rowCount
  const groupCells = group === undefined ? undefined : columnOf(table, group, 'group column').cells
  const keyIndex = new Map<string, number>()
  const groupOfRow = new Int32Array(n)
  let rowsWithoutGroup = 0
  for (let r = 0; r < n; r++) {
    const key = groupCells === undefined ? '' : groupCells[r]!
    if (groupCells !== undefined && key === '') {
      groupOfRow[r] = -1
      rowsWithoutGroup++
      continue
    }
    let g = keyIndex.get(key)
    if (g === undefined) {
      g = keyIndex.size
      keyIndex.set(key, g)
    }
    groupOfRow[r] = g
  }
  if (keyIndex.size === 0) throw new DataError(`group column "${group}" has no values`)

  const timeColumn = time === undefined ? undefined : columnOf(table, time, 'time column')
  const rows: number[] = []
  for (let r = 0; r < n; r++) if (groupOfRow[r]! >= 0) rows.push(r)
  const numericTime = timeColumn?.kind === 'numeric' ? timeColumn.values : undefined
  const textTime = timeColumn?.kind === 'string' ? timeColumn.cells : undefined
  rows.sort((a, b) => {
    const dg = groupOfRow[a]! - groupOfRow[b]!
    if (dg !== 0) return dg
    if (numericTime !== undefined) {
      const ta = numericTime[a]!
      const tb = numericTime[b]!
      // NaN times sort last within their group, in file order.
      if (ta !== tb && !(Number.isNaN(ta) && Number.isNaN(tb))) {
        if (Number.isNaN(ta)) return 1
        if (Number.isNaN(tb)) return -1
        return ta - tb
      }
    } else if (textTime !== undefined && textTime[a] !== textTime[b]) {
      return textTime[a]! < textTime[b]! ? -1 : 1
    }
    return a - b
  })

  const order = Int32Array.from(rows)
  const positionOf = new Int32Array(n).fill(-1)
  const groupStarts = new Int32Array(keyIndex.size + 1)
  for (let p = 0; p < order.length; p++) {
    const r = order[p]!
    positionOf[r] = p
    groupStarts[groupOfRow[r]! + 1]!++
  }
  for (let g = 0; g < keyIndex.size; g++) groupStarts[g + 1]! += groupStarts[g]!
  return { order, groupStarts, groupKeys: [...keyIndex.keys()], positionOf, rowsWithoutGroup }
}

/** The group index of every sorted position (handy for loops that cross group boundaries). */
export function groupOfPositions(ordering: RowOrder): Int32Array {
  const out = new Int32Array(ordering.order.length)
  for (let g = 0; g + 1 < ordering.groupStarts.length; g++) {
    out.fill(g, ordering.groupStarts[g], ordering.groupStarts[g + 1])
  }
  return out
}

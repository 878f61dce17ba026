/**
 * The names of the simulator's KPI figures on screen. The simulator names its figures in English (they are keys:
 * the comparison, the CSV export and the tests read them); the planner shows them in the screen's language.
 * Ids inside a name (gates, lots, flow lines) are kept as they are.
 */
import type { Lang } from '../i18n/dict.ts'

const FACILITIES: Readonly<Record<string, string>> = {
  clubhouse: '会所',
  commercial: '商业',
  gate: '出入口',
  gatehouse: '门卫室',
  green_belt: '绿化带',
  kindergarten: '幼儿园',
  playground: '儿童游乐场',
  plaza: '广场',
  pump_room: '泵房',
  waste_station: '垃圾站',
  water: '水景',
  fitness: '健身区',
}

const EXACT: Readonly<Record<string, string>> = {
  'pedestrians arrived': '到达人数',
  'pedestrians not arrived': '未到达人数',
  'walking trip p50': '步行用时 p50',
  'walking trip p95': '步行用时 p95',
  'evacuation time (last arrival)': '疏散时间（最后一人到达）',
  'peak density': '峰值密度',
  'gate wait p50': '车辆出入口等待 p50',
  'gate wait p95': '车辆出入口等待 p95',
  'parking search p50': '寻找车位用时 p50',
  'parking search p95': '寻找车位用时 p95',
  'failed parks': '未能停车',
}

const PATTERNS: readonly (readonly [RegExp, (...groups: string[]) => string])[] = [
  [/^walking distance to (.+) mean$/, (kind) => `到${FACILITIES[kind] ?? kind}平均步行距离`],
  [/^flow (.+)$/, (id) => `${id} 通过流量`],
  [/^walkers' wait at (.+) going out p95$/, (id) => `${id} 行人出门等待 p95`],
  [/^walkers' wait at (.+) coming in p95$/, (id) => `${id} 行人进门等待 p95`],
  [/^gate (.+) outbound wait p95$/, (id) => `出入口 ${id} 车辆出场等待 p95`],
  [/^gate (.+) inbound wait p95$/, (id) => `出入口 ${id} 车辆入场等待 p95`],
  [/^parking (.+) peak occupancy$/, (id) => `停车场 ${id} 峰值占用率`],
]

const UNITS: Readonly<Record<string, string>> = {
  people: '人',
  s: '秒',
  m: '米',
  'persons/m²': '人/m²',
  'persons/s': '人/秒',
  vehicles: '辆',
}

/** A figure's name in `lang` (English: the simulator's own name). */
export function metricLabel(metric: string, lang: Lang): string {
  if (lang === 'en') return metric
  const exact = EXACT[metric]
  if (exact) return exact
  for (const [pattern, name] of PATTERNS) {
    const m = pattern.exec(metric)
    if (m) return name(...m.slice(1))
  }
  return metric
}

/** A figure's unit in `lang`. */
export function unitLabel(unit: string, lang: Lang): string {
  return lang === 'en' ? unit : (UNITS[unit] ?? unit)
}

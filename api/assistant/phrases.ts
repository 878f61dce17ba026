/**
 * The assistant's sentences in Chinese and English, filled from records. Money is kept in integer fen and shown
 * in yuan with two decimals.
 */
import type {
  BillSummary,
  FeeItemSummary,
  MaintenanceSummary,
  RepairSummary,
  TariffSummary,
} from './sources.ts'

export type Lang = 'zh' | 'en'

/** 12345 fen → "123.45". */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(Math.round(fen))
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

const stateNames: Record<string, { zh: string; en: string }> = {
  new: { zh: '已受理', en: 'received' },
  assigned: { zh: '已派单', en: 'assigned' },
  accepted: { zh: '维修人员已接单', en: 'accepted by the repairer' },
  in_progress: { zh: '维修中', en: 'in progress' },
  on_hold: { zh: '暂停（等待配件或预约）', en: 'on hold' },
  resolved: { zh: '已修复，待确认', en: 'resolved, awaiting your confirmation' },
  verified: { zh: '已验收', en: 'verified' },
  closed: { zh: '已完结', en: 'closed' },
  rejected: { zh: '已退回', en: 'rejected' },
  reopened: { zh: '已重新打开', en: 'reopened' },
}

function feeItemText(lang: Lang, item: FeeItemSummary): string {
  const price = item.unitPrice === null ? null : yuan(item.unitPrice)
  const amount = item.amountFen === null ? null : yuan(item.amountFen)
  switch (item.kind) {
    case 'area':
      return lang === 'zh'
        ? `${item.name}：${price} 元/平方米·月`
        : `${item.name}: ¥${price} per m² per month`
    case 'meter':
      return lang === 'zh' ? `${item.name}：${price} 元/单位用量` : `${item.name}: ¥${price} per unit used`
    default:
      return lang === 'zh' ? `${item.name}：${amount} 元/户` : `${item.name}: ¥${amount} per home`
  }
}

interface Params {
  unknown: { phone: string }
  noHousehold: Record<string, never>
  noBills: Record<string, never>
  billsOutstanding: { bills: readonly BillSummary[] }
  billsSettled: { bills: readonly BillSummary[] }
  noRepairs: Record<string, never>
  repairs: { repairs: readonly RepairSummary[] }
  feeItems: { items: readonly FeeItemSummary[] }
  tariffs: { tariffs: readonly TariffSummary[] }
  maintenance: { plans: readonly MaintenanceSummary[] }
  notice: { title: string; body: string }
}

const sep = { zh: '；', en: '; ' } as const

const phrases: { [K in keyof Params]: (lang: Lang, p: Params[K]) => string } = {
  unknown: (lang, p) =>
    lang === 'zh'
      ? `抱歉，我不知道这个问题的答案。请致电物业服务中心 ${p.phone}。`
      : `Sorry, I don't know the answer to that. Please call the property service centre on ${p.phone}.`,
  noHousehold: (lang) =>
    lang === 'zh'
      ? '您的账号没有关联住户，无法查询个人账单或报修。'
      : 'Your account is not linked to a household, so there are no bills or repairs of yours to look up.',
  noBills: (lang) => (lang === 'zh' ? '您家目前没有账单。' : 'There are no bills for your home yet.'),
  billsOutstanding: (lang, p) => {
    const total = p.bills.reduce((sum, b) => sum + b.amountOutstanding, 0)
    const lines = p.bills.map((b) =>
      lang === 'zh'
        ? `${b.period} 应缴 ${yuan(b.amountDue)} 元，已缴 ${yuan(b.amountPaid)} 元，待缴 ${yuan(b.amountOutstanding)} 元（${b.dueDate} 前）`
        : `${b.period}: due ¥${yuan(b.amountDue)}, paid ¥${yuan(b.amountPaid)}, outstanding ¥${yuan(b.amountOutstanding)} (by ${b.dueDate})`,
    )
    return lang === 'zh'
      ? `您家共有 ${p.bills.length} 笔账单未缴清，合计 ${yuan(total)} 元：${lines.join(sep.zh)}。`
      : `Your home has ${p.bills.length} unpaid bill(s), ¥${yuan(total)} in total: ${lines.join(sep.en)}.`
  },
  billsSettled: (lang, p) => {
    const last = p.bills[0]
    if (!last) return phrases.noBills(lang, {})
    return lang === 'zh'
      ? `您家的账单都已缴清。最近一期 ${last.period} 应缴 ${yuan(last.amountDue)} 元。`
      : `All your bills are settled. The latest, ${last.period}, was ¥${yuan(last.amountDue)}.`
  },
  noRepairs: (lang) =>
    lang === 'zh' ? '您家目前没有报修记录。' : 'There are no repair requests from your home.',
  repairs: (lang, p) =>
    p.repairs
      .map((r) => {
        const state = stateNames[r.state]?.[lang] ?? r.state
        return lang === 'zh'
          ? `报修“${r.title}”（${r.createdAt.slice(0, 10)} 提交）当前状态：${state}`
          : `Your repair "${r.title}" (reported ${r.createdAt.slice(0, 10)}) is ${state}`
      })
      .join(sep[lang]) + (lang === 'zh' ? '。' : '.'),
  feeItems: (lang, p) =>
    (lang === 'zh' ? '本小区的收费标准：' : 'Fee standards of your community: ') +
    p.items.map((i) => feeItemText(lang, i)).join(sep[lang]) +
    (lang === 'zh' ? '。' : '.'),
  tariffs: (lang, p) =>
    p.tariffs
      .map((t) =>
        lang === 'zh'
          ? `${t.lotName ?? '小区停车场'}临时停车：${t.freeMinutes} 分钟内免费，之后每小时 ${yuan(t.hourlyFen)} 元，每日封顶 ${yuan(t.dailyCapFen)} 元`
          : `${t.lotName ?? 'Community car parks'}: free for ${t.freeMinutes} minutes, then ¥${yuan(t.hourlyFen)} per hour, at most ¥${yuan(t.dailyCapFen)} a day`,
      )
      .join(sep[lang]) + (lang === 'zh' ? '。' : '.'),
  maintenance: (lang, p) =>
    p.plans
      .map((m) =>
        lang === 'zh'
          ? `${m.title}：下次保养 ${m.dueAt.slice(0, 10)}`
          : `${m.title}: next service ${m.dueAt.slice(0, 10)}`,
      )
      .join(sep[lang]) + (lang === 'zh' ? '。' : '.'),
  notice: (lang, p) =>
    lang === 'zh' ? `根据公告《${p.title}》：${p.body}` : `From the notice "${p.title}": ${p.body}`,
}

/** The sentence `key` in `lang`, filled from `params`. */
export function compose<K extends keyof Params>(lang: Lang, key: K, params: Params[K]): string {
  return phrases[key](lang, params)
}

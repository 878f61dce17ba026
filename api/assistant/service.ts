/**
 * The residents' assistant: answers common questions in Chinese and English from records the caller may see — no
 * remote model. A question about the asker's own records (bill, repair) or a community fact kept in a table (fee
 * standards, parking tariff, elevator maintenance) is answered from that source; anything else by BM25 retrieval
 * over the caller's live notices and the FAQ. Every answer cites its sources; when nothing matches, the assistant
 * says it does not know and gives the service centre's phone number. Answers drawn from a household's own records
 * are audited (like an export of them).
 */
import type { Postgres } from '../../data/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import type { NoticeService } from '../notices/service.ts'
import { rankBm25, type Bm25Document } from './bm25.ts'
import { DEFAULT_SERVICE_PHONE, faq, type FaqEntry } from './faq.ts'
import { intentOf, type Intent } from './intents.ts'
import { compose, type Lang } from './phrases.ts'
import type { AssistantSources } from './sources.ts'
import { hasChinese, tokenize } from './tokenize.ts'

export type SourceType =
  'notice' | 'faq' | 'bill' | 'work_order' | 'fee_item' | 'parking_tariff' | 'maintenance_plan'

export interface Source {
  readonly type: SourceType
  readonly id: string
  readonly title: string
}

export interface AssistantAnswer {
  readonly answered: boolean
  readonly lang: Lang
  readonly intent: Intent
  readonly answer: string
  readonly sources: Source[]
  /** The service centre's number (always given when the assistant does not know). */
  readonly phone: string
}

export interface AssistantOptions {
  /** The service centre's number. */
  readonly phone?: string
  /** Lowest BM25 score that counts as a match. */
  readonly minScore?: number
  /** Lowest number of distinct question terms a match must share. */
  readonly minMatched?: number
}

const defaults = {
  phone: DEFAULT_SERVICE_PHONE,
  minScore: 2.5,
  minMatched: 2,
} satisfies Required<AssistantOptions>

const faqTerms = new Map<string, string[]>(
  faq.map((e) => [e.id, tokenize(`${e.question.zh} ${e.question.en} ${e.keywords} ${e.keywords}`)]),
)
const faqById = new Map<string, FaqEntry>(faq.map((e) => [e.id, e]))

/** Terms of notices by id and update time, so a question does not re-segment every notice. */
const noticeTermCache = new Map<string, string[]>()
const NOTICE_CACHE_LIMIT = 5000

function noticeTerms(id: string, updatedAt: string, title: string, body: string): string[] {
  const key = `${id}@${updatedAt}`
  let terms = noticeTermCache.get(key)
  if (!terms) {
    if (noticeTermCache.size >= NOTICE_CACHE_LIMIT) noticeTermCache.clear()
    // The title says what the notice is about: count it twice.
    terms = tokenize(`${title} ${title} ${body}`)
    noticeTermCache.set(key, terms)
  }
  return terms
}

const excerpt = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max)}…` : text)

export class AssistantService {
  private readonly options: Required<AssistantOptions>

  constructor(
    private readonly db: Postgres,
    private readonly notices: NoticeService,
    private readonly auditor: Auditor,
    private readonly sources: AssistantSources,
    options: AssistantOptions = {},
  ) {
    this.options = { ...defaults, ...options }
  }

  async ask(
    auth: AuthContext,
    input: { question: string; lang?: Lang | undefined },
    requestId: string | null,
  ): Promise<AssistantAnswer> {
    const question = input.question.trim()
    const lang: Lang = input.lang ?? (hasChinese(question) ? 'zh' : 'en')
    const intent = intentOf(question)
    const answer = (text: string, sources: Source[]): AssistantAnswer => ({
      answered: true,
      lang,
      intent,
      answer: text,
      sources,
      phone: this.options.phone,
    })

    const fromRecords = await this.fromRecords(auth, intent, lang, answer)
    if (fromRecords && intent === 'elevator_maintenance') {
      // The plan gives the date; a notice about the stoppage (times, which lifts) is worth citing beside it.
      const notice = await this.retrieve(auth, question, intent, lang)
      if (notice?.sources[0]?.type === 'notice')
        return answer(`${fromRecords.answer} ${notice.text}`, [...fromRecords.sources, notice.sources[0]])
    }
    if (fromRecords) {
      if (intent === 'my_bill' || intent === 'my_repair')
        await this.auditPersonal(auth, intent, fromRecords, requestId)
      return fromRecords
    }
    const found = await this.retrieve(auth, question, intent, lang)
    if (found) return answer(found.text, found.sources)
    return {
      answered: false,
      lang,
      intent,
      answer: compose(lang, 'unknown', { phone: this.options.phone }),
      sources: [],
      phone: this.options.phone,
    }
  }

  /** Answers from a table, or null to fall back to retrieval. */
  private async fromRecords(
    auth: AuthContext,
    intent: Intent,
    lang: Lang,
    answer: (text: string, sources: Source[]) => AssistantAnswer,
  ): Promise<AssistantAnswer | null> {
    const scope = auth.scope
    const households = scope.householdIds ? [...scope.householdIds] : []
    const communities = [...scope.communityIds]
    const buildings = scope.buildingIds ? [...scope.buildingIds] : null
    switch (intent) {
      case 'my_bill': {
        if (!this.sources.bills) return null
        if (households.length === 0) return answer(compose(lang, 'noHousehold', {}), [])
        const bills = await this.sources.bills(this.db, households)
        if (bills.length === 0) return answer(compose(lang, 'noBills', {}), [])
        const open = bills.filter((b) => b.amountOutstanding > 0)
        const shown = open.length > 0 ? open : bills.slice(0, 1)
        return answer(
          compose(lang, open.length > 0 ? 'billsOutstanding' : 'billsSettled', { bills: shown }),
          shown.map((b) => ({ type: 'bill', id: b.id, title: b.period })),
        )
      }
      case 'my_repair': {
        if (!this.sources.repairs) return null
        if (households.length === 0) return answer(compose(lang, 'noHousehold', {}), [])
        const repairs = await this.sources.repairs(this.db, households)
        if (repairs.length === 0) return answer(compose(lang, 'noRepairs', {}), [])
        return answer(
          compose(lang, 'repairs', { repairs }),
          repairs.map((r) => ({ type: 'work_order', id: r.id, title: r.title })),
        )
      }
      case 'fee_standard': {
        const items = (await this.sources.feeItems?.(this.db, communities, buildings)) ?? []
        if (items.length === 0) return null
        return answer(
          compose(lang, 'feeItems', { items }),
          items.map((i) => ({ type: 'fee_item', id: i.id, title: i.name })),
        )
      }
      case 'parking_fee': {
        const tariffs = (await this.sources.tariffs?.(this.db, communities)) ?? []
        if (tariffs.length === 0) return null
        return answer(
          compose(lang, 'tariffs', { tariffs }),
          tariffs.map((t) => ({ type: 'parking_tariff', id: t.id, title: t.lotName ?? '*' })),
        )
      }
      case 'elevator_maintenance': {
        const plans = (await this.sources.elevatorMaintenance?.(this.db, communities, buildings)) ?? []
        if (plans.length === 0) return null
        return answer(
          compose(lang, 'maintenance', { plans }),
          plans.map((p) => ({ type: 'maintenance_plan', id: p.id, title: p.title })),
        )
      }
      case 'general':
        return null
    }
  }

  /** BM25 over the caller's live notices and the FAQ; the best match answers, a close FAQ rule is cited too. */
  private async retrieve(
    auth: AuthContext,
    question: string,
    intent: Intent,
    lang: Lang,
  ): Promise<{ text: string; sources: Source[] } | null> {
    const query = tokenize(question)
    if (query.length === 0) return null
    const notices = await this.notices.live(auth)
    const noticeById = new Map(notices.map((n) => [n.id, n]))
    const documents: Bm25Document[] = [
      ...notices.map((n) => ({ id: n.id, terms: noticeTerms(n.id, n.updatedAt, n.title, n.body) })),
      ...faq.map((e) => ({ id: e.id, terms: faqTerms.get(e.id) ?? [] })),
    ]
    const ranked = rankBm25(documents, query).filter(
      (r) => r.score >= this.options.minScore && r.matched >= Math.min(this.options.minMatched, query.length),
    )
    // A schedule is news: for elevator maintenance a matching notice comes before the standing rule.
    if (intent === 'elevator_maintenance')
      ranked.sort((a, b) => Number(noticeById.has(b.id)) - Number(noticeById.has(a.id)))
    const best = ranked[0]
    if (!best) return null
    const notice = noticeById.get(best.id)
    if (notice) {
      const sources: Source[] = [{ type: 'notice', id: notice.id, title: notice.title }]
      const rule = ranked.find((r) => faqById.has(r.id))
      const entry = rule && faqById.get(rule.id)
      let text = compose(lang, 'notice', { title: notice.title, body: excerpt(notice.body) })
      if (entry && intent === 'elevator_maintenance') {
        text += ` ${entry.answer[lang]}`
        sources.push({ type: 'faq', id: entry.id, title: entry.question[lang] })
      }
      return { text, sources }
    }
    const entry = faqById.get(best.id)
    if (!entry) return null
    return { text: entry.answer[lang], sources: [{ type: 'faq', id: entry.id, title: entry.question[lang] }] }
  }

  private async auditPersonal(
    auth: AuthContext,
    intent: Intent,
    answer: AssistantAnswer,
    requestId: string | null,
  ): Promise<void> {
    if (answer.sources.length === 0) return
    const household = auth.scope.householdIds ? [...auth.scope.householdIds][0] : undefined
    await this.db.transaction((tx) =>
      this.auditor.record(tx, {
        actor: actorOf(auth),
        action: `assistant.answer:${intent}`,
        object: {
          type: 'household',
          id: household ?? auth.userId,
          communityId: [...auth.scope.communityIds][0] ?? null,
        },
        after: answer.sources,
        requestId,
      }),
    )
  }
}

/**
 * Assistant benchmark (`node --import tsx bench/assistant.ts`), printing ONE JSON line: the latency of
 * `POST /api/v1/assistant/ask` through the real app (signed-in resident, permission check, scope, audit of
 * personal answers) on PGlite, over the thirty fixture questions, with `--notices` live notices (default 500, the
 * corpus cap) in the resident's community — retrieval re-ranks every live notice per question, so this is the
 * cost that grows. Also the cold cost (first pass, notices not yet segmented) and the segmenter's throughput.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { openFixture, openTestDatabase } from '../api/testing/fixture.ts'
import { tokenize } from '../api/assistant/tokenize.ts'

const { values } = parseArgs({
  options: {
    notices: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '5' },
    // One JSON line is always printed; accepted for the same command line as the other benchmarks.
    json: { type: 'boolean', default: true },
  },
})
const noticeCount = Number(values.notices)
const rounds = Number(values.rounds)
const questions = (
  JSON.parse(readFileSync(new URL('../api/assistant/questions.fixture.json', import.meta.url), 'utf8')) as {
    questions: { q: string }[]
  }
).questions.map((q) => q.q)

const topics = [
  '停水',
  '停电',
  '电梯维保',
  '消防演练',
  '绿化修剪',
  '外墙清洗',
  '道路施工',
  '垃圾分类',
  '快递柜维护',
  '门禁升级',
]
const f = await openFixture(await openTestDatabase())
const params: unknown[] = [f.ids.community]
const rows: string[] = []
for (let i = 0; i < noticeCount; i++) {
  const topic = topics[i % topics.length] ?? ''
  params.push(
    `nt-bench-${String(i).padStart(5, '0')}`,
    `${topic}通知（第 ${i} 期）`,
    `${topic}安排：第 ${i} 期，时间 ${(i % 28) + 1} 日 9:00–17:00，请各位业主提前做好准备，给您带来不便敬请谅解。`,
  )
  const n = params.length
  rows.push(`($${n - 2}, $1, 'general', 'zh', $${n - 1}, $${n}, 'published', now(), 'bench')`)
}
if (rows.length > 0)
  await f.db.query(
    `INSERT INTO notices (id, community_id, category, lang, title, body, status, publish_at, created_by)
     VALUES ${rows.join(', ')}`,
    params,
  )

const ask = async (question: string) => {
  const started = performance.now()
  const response = await f.request('POST', '/api/v1/assistant/ask', {
    token: f.tokens.resident,
    body: { question },
  })
  await response.json()
  if (response.status !== 200) throw new Error(`ask: ${response.status}`)
  return performance.now() - started
}
const cold: number[] = []
for (const q of questions) cold.push(await ask(q))
const warm: number[] = []
for (let r = 0; r < rounds; r++) for (const q of questions) warm.push(await ask(q))
const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2))
}
const text = '本楼电梯将于 11 月 28 日 9:00–11:00 进行例行维护保养，期间暂停使用，请走楼梯。'.repeat(10)
const segStart = performance.now()
let chars = 0
for (let i = 0; i < 200; i++) chars += tokenize(text).length > 0 ? text.length : 0
const segMs = performance.now() - segStart
await f.close()
console.log(
  JSON.stringify({
    bench: 'assistant.ask',
    store: 'pglite',
    liveNotices: noticeCount,
    questions: warm.length,
    coldP50Ms: pct(cold, 50),
    coldMaxMs: pct(cold, 100),
    p50Ms: pct(warm, 50),
    p95Ms: pct(warm, 95),
    tokenizeCharsPerMs: Math.round(chars / segMs),
  }),
)

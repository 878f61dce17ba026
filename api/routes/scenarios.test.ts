/**
 * Planner scenarios through the API: create (layout change + demand), list, run in a worker with the stored run
 * state, read the KPIs, compare two results; and the refusals: permission (403), another community (404), bad or
 * oversized study (400 naming the problem), a second run while one is going (409), a result before it exists
 * (409). Runs on PGlite and on the PostgreSQL server.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServer } from '../../data/testing/servers.ts'
import { openFixture, openTestDatabase, type Fixture } from '../testing/fixture.ts'

type Role = keyof Fixture['tokens']
type Body = Record<string, unknown>

function scenarioSuite(label: string, url?: string): void {
  describe(`scenarios: ${label}`, () => {
    let f: Fixture
    let walkup: string
    let tower: string
    let gates: string[]
    before(async () => {
      f = await openFixture(await openTestDatabase(url))
      const buildings = await f.db.query<{ id: string; kind: string; floors: number }>(
        `SELECT id, kind, floors FROM buildings WHERE community_id = $1 AND kind IN ('walkup', 'tower')
         ORDER BY floors, id`,
        [f.ids.community],
      )
      walkup = buildings[0]!.id
      tower = buildings.at(-1)!.id
      gates = (
        await f.db.query<{ id: string }>(
          `SELECT id FROM gates WHERE community_id = $1 AND kind <> 'vehicle' ORDER BY id`,
          [f.ids.community],
        )
      ).map((g) => g.id)
    })
    after(() => f.close())
    const as = (role: Role) => async (method: string, path: string, body?: unknown) => {
      const response = await f.request(method, `/api/v1${path}`, { token: f.tokens[role], body })
      return { status: response.status, body: (await response.json()) as Body }
    }
    const planner = as('planner')
    const evacuation = (buildings: string[], assembly?: string[]) => ({
      communityId: f.ids.community,
      name: `evacuate ${buildings.join(', ')}`,
      study: { seed: 7, demand: { kind: 'evacuation', buildings, ...(assembly ? { assembly } : {}) } },
    })
    /** Polls the scenario until its run has finished; returns the progress values seen. */
    const finished = async (id: string): Promise<{ scenario: Body; seen: string[] }> => {
      const seen: string[] = []
      for (let i = 0; i < 600; i++) {
        const { body } = await planner('GET', `/scenarios/${id}`)
        seen.push(`${String(body.status)}:${String(body.progress)}`)
        if (body.status === 'done' || body.status === 'failed') return { scenario: body, seen }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      throw new Error(`scenario ${id} did not finish: ${seen.slice(-3).join(' ')}`)
    }

    it('creates a scenario for the community and lists it; roles without the permission get 403', async () => {
      const created = await planner('POST', '/scenarios', evacuation([walkup]))
      assert.equal(created.status, 201, JSON.stringify(created.body))
      assert.equal(created.body.status, 'draft')
      assert.equal(created.body.communityId, f.ids.community)
      const list = await as('community_manager')('GET', `/scenarios?communityId=${f.ids.community}`)
      assert.equal(list.status, 200)
      assert.ok((list.body.items as Body[]).some((s) => s.id === created.body.id))
      // The manager may read scenarios but not make them; finance and residents may do neither.
      assert.equal((await as('community_manager')('POST', '/scenarios', evacuation([walkup]))).status, 403)
      assert.equal((await as('finance')('GET', `/scenarios/${String(created.body.id)}`)).status, 403)
      assert.equal((await as('resident')('GET', `/scenarios?communityId=${f.ids.community}`)).status, 403)
    })

    it('refuses a bad, unknown or oversized study with a 400 that names the problem', async () => {
      const bad = async (body: unknown, pattern: RegExp) => {
        const r = await planner('POST', '/scenarios', body)
        assert.equal(r.status, 400, JSON.stringify(r.body))
        const message = String((r.body.error as Body).message)
        assert.match(message, pattern)
      }
      const base = evacuation([walkup])
      // Not a demand we know.
      await bad({ ...base, study: { demand: { kind: 'rush' } } }, /^body\.study\.demand/)
      // A building of no community, a gate the community does not have.
      await bad(evacuation(['no-such-building']), /unknown building "no-such-building"/)
      await bad(
        { ...base, study: { ...base.study, changes: [{ type: 'closeGate', id: 'no-such-gate' }] } },
        /unknown gate "no-such-gate"/,
      )
      // Oversized: more layout changes than a study may hold; a polygon of 1,000 corners.
      const close = { type: 'closeGate', id: gates[0] }
      await bad(
        { ...base, study: { ...base.study, changes: Array.from({ length: 51 }, () => close) } },
        /at most 50 layout changes/,
      )
      const ring = Array.from({ length: 1000 }, (_, k) => [Math.cos(k / 100), Math.sin(k / 100)])
      await bad(
        { ...base, study: { demand: { kind: 'evacuation', area: ring } } },
        /body\.study\.demand\.area.*at most 200 points/,
      )
      // Unknown fields and a missing name.
      await bad({ ...base, extra: 1 }, /^body/)
      await bad({ communityId: f.ids.community, study: base.study }, /^body\.name/)
      // Not JSON at all.
      const raw = await f.request('POST', '/api/v1/scenarios', { token: f.tokens.planner, body: '{"name":' })
      assert.equal(raw.status, 400)
    })

    it('keeps other communities out: their scenarios read as missing (404)', async () => {
      const other = await planner('POST', '/scenarios', {
        ...evacuation([walkup]),
        communityId: f.ids.otherCommunity,
      })
      assert.equal(other.status, 404)
      await f.db.query(
        `INSERT INTO scenarios (id, community_id, name, study, created_by) VALUES ('sc-foreign', $1, 'x', $2, 'u')`,
        [f.ids.otherCommunity, JSON.stringify({ demand: { kind: 'day' } })],
      )
      assert.equal((await planner('GET', '/scenarios/sc-foreign')).status, 404)
      assert.equal((await planner('POST', '/scenarios/sc-foreign/run')).status, 404)
      assert.equal((await planner('GET', '/scenarios/sc-foreign/result')).status, 404)
      assert.equal((await planner('GET', `/scenarios?communityId=${f.ids.otherCommunity}`)).status, 404)
      assert.equal((await planner('GET', '/scenarios/sc-missing')).status, 404)
    })

    it('runs scenarios in a worker, stores the run state and KPIs, and compares two results', async () => {
      const small = await planner('POST', '/scenarios', evacuation([walkup]))
      const tall = await planner('POST', '/scenarios', evacuation([tower]))
      const a = String(small.body.id)
      const b = String(tall.body.id)
      // No result before a run.
      assert.equal((await planner('GET', `/scenarios/${a}/result`)).status, 409)

      const queued = await planner('POST', `/scenarios/${a}/run`)
      assert.equal(queued.status, 202)
      assert.equal(queued.body.status, 'queued')
      // Only one run at a time per scenario.
      assert.equal((await planner('POST', `/scenarios/${a}/run`)).status, 409)
      assert.equal((await planner('POST', `/scenarios/${b}/run`)).status, 202)

      const first = await finished(a)
      assert.equal(first.scenario.status, 'done', String(first.scenario.error))
      assert.equal(first.scenario.progress, 100)
      assert.ok(first.seen.some((s) => s.startsWith('queued') || s.startsWith('running')))
      const second = await finished(b)
      assert.equal(second.scenario.status, 'done', String(second.scenario.error))

      const result = await as('community_manager')('GET', `/scenarios/${a}/result`)
      assert.equal(result.status, 200)
      const kpis = result.body.kpis as Body
      assert.ok((kpis.people as number) > 0)
      assert.equal(kpis.arrived, kpis.people)
      assert.ok((kpis.evacuationTime as number) > 0)
      const heatmap = kpis.heatmap as { frames: number[][]; cols: number; rows: number }
      assert.ok(heatmap.frames.length > 1 && heatmap.frames.every((fr) => fr.length % 2 === 0))
      assert.ok((kpis.walkingDistance as Body[]).some((w) => w.kind === 'gate'))
      assert.ok(Array.isArray(kpis.flows) && (kpis.flows as Body[]).length === gates.length)

      const compared = await planner('GET', `/scenarios/compare?a=${a}&b=${b}`)
      assert.equal(compared.status, 200)
      const rows = compared.body.rows as { metric: string; a: number; b: number; change: number }[]
      const evac = rows.find((r) => r.metric === 'evacuation time (last arrival)')!
      console.log(`evacuation time: ${walkup} ${evac.a} s, ${tower} ${evac.b} s`)
      assert.equal(evac.a, kpis.evacuationTime)
      assert.equal(evac.change, Math.round((evac.b - evac.a) * 100) / 100)
      assert.ok(evac.b > evac.a, 'the tower takes longer to evacuate than the walk-up')
      assert.equal((compared.body.a as Body & { scenario: Body }).scenario.id, a)

      assert.equal((await planner('GET', `/scenarios/compare?a=${a}&b=sc-foreign`)).status, 404)
      assert.equal((await planner('GET', `/scenarios/compare?a=${a}`)).status, 400)
    })

    it('reports a run whose server went away as failed, and leaves one still heard from running', async () => {
      const insert = (id: string, runner: string, minutesAgo: number) =>
        f.db.query(
          `INSERT INTO scenarios (id, community_id, name, study, status, runner, created_by, updated_at)
           VALUES ($1, $2, 'x', $3, 'running', $4, 'u', now() - make_interval(mins => $5))`,
          [id, f.ids.community, JSON.stringify({ demand: { kind: 'day' } }), runner, minutesAgo],
        )
      await insert('sc-gone', 'runner-gone', 60)
      await insert('sc-alive', 'runner-elsewhere', 0)
      const gone = await planner('GET', '/scenarios/sc-gone')
      assert.equal(gone.body.status, 'failed')
      assert.match(String(gone.body.error), /interrupted/)
      assert.equal((await planner('GET', '/scenarios/sc-alive')).body.status, 'running')
      // The failed one may run again; the other server's run may not be started twice.
      assert.equal((await planner('POST', '/scenarios/sc-alive/run')).status, 409)
    })

    it('reports a run that cannot finish as failed, with the reason', async () => {
      // The building was there when the scenario was made, and was archived before it ran.
      const created = await planner('POST', '/scenarios', evacuation([walkup]))
      const id = String(created.body.id)
      await f.db.query('UPDATE buildings SET archived_at = now() WHERE id = $1', [walkup])
      try {
        assert.equal((await planner('POST', `/scenarios/${id}/run`)).status, 202)
        const { scenario } = await finished(id)
        assert.equal(scenario.status, 'failed')
        assert.match(String(scenario.error), /unknown building/)
        assert.equal((await planner('GET', `/scenarios/${id}/result`)).status, 409)
      } finally {
        await f.db.query('UPDATE buildings SET archived_at = NULL WHERE id = $1', [walkup])
      }
    })
  })
}

scenarioSuite('PGlite')
const server = testServer('TEST_DATABASE_URL')
describe('on the PostgreSQL server', { skip: server.skip }, () => scenarioSuite('server', server.url))

/**
 * Planner scenarios: create one for a community (its study checked against that community, so an unknown gate
 * or building is refused at once), list and read them, queue a run, read the result, and compare two results.
 * A scenario is in scope when its community is; anything out of scope reads exactly like a missing one (404).
 */
import type { Postgres } from '../../data/index.ts'
import type { ComparisonRow, ScenarioKpis, Study } from '../../twin/sim/index.ts'
import { compareKpis, studyCommunity, studyScenario } from '../../twin/sim/index.ts'
import { actorOf, type Auditor } from '../audit/auditor.ts'
import type { AuthContext } from '../auth/context.ts'
import { badRequest, conflict, notFound } from '../http/errors.ts'
import { sortableId } from '../notices/sortable-id.ts'
import { loadCommunityModel } from './community-model.ts'
import {
  INSERT_SCENARIO,
  LIST_SCENARIOS,
  ORPHAN_SCENARIO,
  scenarioView,
  SELECT_SCENARIO,
  selectResult,
  type ScenarioRow,
  type ScenarioView,
} from './repository.ts'
import type { ScenarioRunner } from './runner.ts'

/** A finished scenario with its KPIs. */
export interface ScenarioResult {
  readonly scenario: ScenarioView
  readonly kpis: ScenarioKpis
}

/** Errors of a study that does not fit its community: bad input, said in the planner's terms. */
const STUDY_ERRORS = new Set(['LayoutError', 'EvacuationError', 'ScenarioError'])

export class ScenarioService {
  constructor(
    private readonly db: Postgres,
    private readonly runner: ScenarioRunner,
    private readonly auditor: Auditor,
  ) {}

  /** Creates a scenario (a draft: run it to get results). */
  async create(
    auth: AuthContext,
    input: { communityId: string; name: string; study: Study },
    requestId: string | null,
  ): Promise<ScenarioView> {
    if (!auth.scope.communityIds.has(input.communityId)) throw notFound('community')
    const community = await loadCommunityModel(this.db, input.communityId)
    if (!community) throw notFound('community')
    try {
      studyScenario(studyCommunity(community, input.study), input.study)
    } catch (e) {
      if (e instanceof Error && STUDY_ERRORS.has(e.name)) throw badRequest(`study: ${e.message}`)
      throw e
    }
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<ScenarioRow>(INSERT_SCENARIO, [
        sortableId('sc'),
        input.communityId,
        input.name,
        JSON.stringify(input.study),
        auth.userId,
      ])
      await this.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'scenario.create',
        object: { type: 'scenario', id: row!.id, communityId: row!.community_id },
        after: { name: row!.name, study: input.study },
        requestId,
      })
      return scenarioView(row!)
    })
  }

  /** The scenarios of a community, newest first. */
  async list(auth: AuthContext, communityId: string, limit: number): Promise<ScenarioView[]> {
    if (!auth.scope.communityIds.has(communityId)) throw notFound('community')
    const rows = await this.db.query<ScenarioRow>(LIST_SCENARIOS, [communityId, limit])
    return Promise.all(rows.map(async (r) => scenarioView(await this.settled(r))))
  }

  async get(auth: AuthContext, id: string): Promise<ScenarioView> {
    return scenarioView(await this.visible(auth, id))
  }

  /** Queues a run. @throws 409 when one is already queued or running */
  async run(auth: AuthContext, id: string, requestId: string | null): Promise<ScenarioView> {
    const row = await this.visible(auth, id)
    const queued = await this.runner.enqueue(row.id)
    if (!queued) throw conflict(`scenario ${id} is already ${row.status}`, 'already_running')
    await this.db.transaction((tx) =>
      this.auditor.record(tx, {
        actor: actorOf(auth),
        action: 'scenario.run',
        object: { type: 'scenario', id: row.id, communityId: row.community_id },
        requestId,
      }),
    )
    return scenarioView(queued)
  }

  /** The KPIs of the last finished run. @throws 409 when the scenario has none yet */
  async result(auth: AuthContext, id: string): Promise<ScenarioResult> {
    const row = await this.visible(auth, id)
    const kpis = row.status === 'done' ? await selectResult(this.db, row.id) : null
    if (!kpis) throw conflict(`scenario ${id} has no result (it is ${row.status})`, 'no_result')
    return { scenario: scenarioView(row), kpis }
  }

  /** Two results side by side, with each figure's difference (b − a). */
  async compare(
    auth: AuthContext,
    a: string,
    b: string,
  ): Promise<{ a: ScenarioResult; b: ScenarioResult; rows: ComparisonRow[] }> {
    const [ra, rb] = await Promise.all([this.result(auth, a), this.result(auth, b)])
    return { a: ra, b: rb, rows: compareKpis(ra.kpis, rb.kpis) }
  }

  private async visible(auth: AuthContext, id: string): Promise<ScenarioRow> {
    const [row] = await this.db.query<ScenarioRow>(SELECT_SCENARIO, [id])
    if (!row || !auth.scope.communityIds.has(row.community_id)) throw notFound('scenario')
    return this.settled(row)
  }

  /** A queued or running scenario whose runner is gone is reported (and stored) as failed. */
  private async settled(row: ScenarioRow): Promise<ScenarioRow> {
    if (row.status !== 'queued' && row.status !== 'running') return row
    const gone =
      row.runner === this.runner.id
        ? !this.runner.holds(row.id)
        : Date.now() - row.updated_at.getTime() > 4 * this.runner.heartbeatMs
    if (!gone) return row
    const [failed] = await this.db.query<ScenarioRow>(ORPHAN_SCENARIO, [row.id, row.runner])
    return failed ?? row
  }
}

/**
 * Runs queued scenarios off the request path: one at a time per API process by default (a run takes a core for
 * seconds to a minute), each in a worker thread, so requests keep being answered while it runs. The state goes
 * to PostgreSQL as it changes: queued → running (progress, written at most once a second) → done (with the
 * KPIs, in one transaction) or failed (with a message a planner can act on). Every row carries the runner's id
 * and a heartbeat, so a run whose process went away can be told apart from one that is still going.
 */
import { randomBytes } from 'node:crypto'
import type { Community } from '../../data/community/types.ts'
import type { Logger, Postgres } from '../../data/index.ts'
import type { ScenarioKpis, StudyInput, WorkerRunOptions } from '../../twin/sim/index.ts'
import { runStudyInWorker } from '../../twin/sim/index.ts'
import { loadCommunityModel } from './community-model.ts'
import type { ScenarioRow } from './repository.ts'
import {
  FAIL_SCENARIO,
  FINISH_SCENARIO,
  PROGRESS_SCENARIO,
  QUEUE_SCENARIO,
  SELECT_SCENARIO,
  START_SCENARIO,
  UPSERT_RESULT,
} from './repository.ts'

/** Runs one study (default: in a worker thread). */
export type StudyRun = (
  community: Community,
  study: StudyInput,
  options: WorkerRunOptions,
) => Promise<ScenarioKpis>

export interface ScenarioRunnerOptions {
  readonly run?: StudyRun
  /** Runs at the same time (default 1). */
  readonly concurrency?: number
  /** Least time between progress writes, ms (default 1000). */
  readonly progressEveryMs?: number
  /** Heartbeat of held runs, ms (default 30 s); a run not heard of for 4 heartbeats counts as interrupted. */
  readonly heartbeatMs?: number
  readonly log?: Logger
}

/** Errors of the study itself (bad layout or demand for this community): their message is for the planner. */
const STUDY_ERRORS = new Set(['ScenarioError', 'LayoutError', 'EvacuationError'])

const HEARTBEAT = `UPDATE scenarios SET updated_at = now() WHERE id = ANY($1::text[]) AND runner = $2`

export class ScenarioRunner {
  /** This process's runner id, stored with the runs it holds. */
  readonly id = `runner-${randomBytes(6).toString('hex')}`
  readonly heartbeatMs: number
  private readonly queue: string[] = []
  private readonly held = new Set<string>()
  private active = 0
  private waiters: (() => void)[] = []
  private timer: ReturnType<typeof setInterval> | null = null
  private readonly run: StudyRun
  private readonly concurrency: number
  private readonly progressEveryMs: number

  constructor(
    private readonly db: Postgres,
    options: ScenarioRunnerOptions = {},
  ) {
    this.run = options.run ?? runStudyInWorker
    this.concurrency = options.concurrency ?? 1
    this.progressEveryMs = options.progressEveryMs ?? 1000
    this.heartbeatMs = options.heartbeatMs ?? 30_000
    this.log = options.log
  }

  private readonly log: Logger | undefined

  /** Queues a run of scenario `id`; null when it is already queued or running. */
  async enqueue(id: string): Promise<ScenarioRow | null> {
    // Held before the row says so: a read in between must not take the run for an orphan.
    const already = this.held.has(id)
    this.held.add(id)
    const [row] = await this.db.query<ScenarioRow>(QUEUE_SCENARIO, [id, this.id]).catch((e: unknown) => {
      if (!already) this.held.delete(id)
      throw e
    })
    if (!row) {
      if (!already) this.held.delete(id)
      return null
    }
    this.queue.push(id)
    this.startHeartbeat()
    this.pump()
    return row
  }

  /** Whether this process holds (queued or is running) scenario `id`. */
  holds(id: string): boolean {
    return this.held.has(id)
  }

  /** Resolves when nothing is queued or running (tests, shutdown). */
  whenIdle(): Promise<void> {
    if (this.held.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!
      this.active++
      void this.execute(id).finally(() => {
        this.active--
        this.held.delete(id)
        if (this.held.size === 0) {
          this.stopHeartbeat()
          const waiters = this.waiters
          this.waiters = []
          for (const w of waiters) w()
        }
        this.pump()
      })
    }
  }

  private async execute(id: string): Promise<void> {
    try {
      await this.db.query(START_SCENARIO, [id, this.id])
      const [row] = await this.db.query<ScenarioRow>(SELECT_SCENARIO, [id])
      if (!row) return
      const community = await loadCommunityModel(this.db, row.community_id)
      if (!community) throw new StudyFailure('the community no longer exists')
      let written = 0
      let writing: Promise<unknown> = Promise.resolve()
      const kpis = await this.run(community, row.study, {
        // The server's sockets keep the process alive; a shutdown mid-run need not wait for the simulation.
        unref: true,
        onProgress: (fraction) => {
          const now = Date.now()
          if (now - written < this.progressEveryMs || fraction >= 1) return
          written = now
          // Chained, so progress is written in order and never after the final state.
          writing = writing.then(() =>
            this.db.query(PROGRESS_SCENARIO, [id, this.id, Math.min(0.999, Math.max(0, fraction))]),
          )
        },
      })
      await writing
      await this.db.transaction(async (tx) => {
        await tx.query(UPSERT_RESULT, [id, JSON.stringify(kpis)])
        await tx.query(FINISH_SCENARIO, [id, this.id])
      })
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e))
      const planner = err instanceof StudyFailure || STUDY_ERRORS.has(err.name)
      if (!planner) this.log?.error({ scenarioId: id, err: err.message }, 'scenario run failed')
      const message = planner ? err.message : `the simulation failed (${err.name})`
      await this.db.query(FAIL_SCENARIO, [id, this.id, message]).catch((e2: unknown) => {
        this.log?.error({ scenarioId: id, err: String(e2) }, 'could not record a failed scenario run')
      })
    }
  }

  private startHeartbeat(): void {
    if (this.timer) return
    this.timer = setInterval(() => {
      void this.db.query(HEARTBEAT, [[...this.held], this.id]).catch(() => undefined)
    }, this.heartbeatMs)
    this.timer.unref?.()
  }

  private stopHeartbeat(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}

class StudyFailure extends Error {
  override readonly name = 'StudyFailure'
}

/**
 * The alarm engine's timers: reload rules when the rule-set version changed (rule changes apply without a
 * restart), check stale/offline devices, and escalate or remind unacknowledged alarms. Each job is also callable
 * directly (`reloadIfChanged`, `checkStale`, `notifyDue`) so tests drive them with a fake clock instead of waiting.
 */
import type { AlarmEngine } from './engine.ts'
import type { RuleStore } from './rule-store.ts'
import type { AlarmService } from './service.ts'

export interface AlarmSchedulerOptions {
  readonly rulesPollMs: number
  readonly staleCheckMs: number
  readonly escalationCheckMs: number
  readonly onError?: (job: string, error: unknown) => void
  /** Invalid stored rules are skipped and reported here. */
  readonly onInvalidRule?: (id: string, problem: string) => void
}

export class AlarmScheduler {
  private version = -1
  private readonly timers: NodeJS.Timeout[] = []
  private reloading: Promise<boolean> | null = null

  constructor(
    private readonly engine: AlarmEngine,
    private readonly rules: RuleStore,
    private readonly service: AlarmService,
    private readonly options: AlarmSchedulerOptions,
  ) {}

  /** Loads the rules now, then starts the timers. */
  async start(): Promise<void> {
    await this.reloadIfChanged()
    this.every(this.options.rulesPollMs, 'rules', () => this.reloadIfChanged())
    this.every(this.options.staleCheckMs, 'stale', () => Promise.resolve(this.engine.checkStale()))
    this.every(this.options.escalationCheckMs, 'escalation', () => this.service.notifyDue())
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer)
  }

  /** Reloads the rules into the engine if their version moved; true when it did. */
  reloadIfChanged(): Promise<boolean> {
    this.reloading ??= (async () => {
      const version = await this.rules.version()
      if (version === this.version) return false
      const rules = await this.rules.list(this.options.onInvalidRule)
      this.engine.setRules(rules)
      this.version = version
      return true
    })().finally(() => {
      this.reloading = null
    })
    return this.reloading
  }

  private every(ms: number, job: string, run: () => Promise<unknown>): void {
    let busy = false
    const timer = setInterval(() => {
      if (busy) return
      busy = true
      run()
        .catch((error: unknown) => this.options.onError?.(job, error))
        .finally(() => {
          busy = false
        })
    }, ms)
    timer.unref()
    this.timers.push(timer)
  }
}

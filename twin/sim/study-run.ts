/**
 * Runs a planner's study end to end: applies the layout changes, builds the scenario of the demand, simulates it,
 * measures walking distances on the changed layout and condenses everything into the stored KPIs. Pure
 * computation; the API runs it in a worker (`runStudyInWorker`) so that the server stays responsive.
 */
import type { Community } from '../../data/community/types.ts'
import { walkingDistances } from './access.ts'
import type { ScenarioKpis } from './kpis.ts'
import { scenarioKpis } from './kpis.ts'
import { runScenario } from './run.ts'
import { parseScenario, ScenarioError } from './scenario.ts'
import type { StudyInput } from './study.ts'
import { studyCommunity, studySchema, studyScenario } from './study.ts'

/** Share of the progress bar the simulation takes (the walking distances take the rest). */
const SIMULATION_SHARE = 0.9

/** Runs a study. @throws ScenarioError (bad study), LayoutError, EvacuationError */
export function runStudy(
  community: Community,
  input: StudyInput,
  onProgress?: (fraction: number) => void,
): ScenarioKpis {
  const parsed = studySchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ScenarioError((issue?.path ?? []).map(String).join('.'), issue?.message ?? 'invalid study')
  }
  const changed = studyCommunity(community, parsed.data)
  const scenario = parseScenario(studyScenario(changed, parsed.data))
  const result = runScenario(scenario, {
    ...(onProgress ? { onProgress: (f: number) => onProgress(f * SIMULATION_SHARE) } : {}),
  })
  onProgress?.(SIMULATION_SHARE)
  const access = walkingDistances(changed)
  onProgress?.(1)
  return scenarioKpis(result, access)
}

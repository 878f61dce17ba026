import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { rimea6 } from './rimea-scenarios.ts'
import { runInWorker, WorkerRunError } from './run-in-worker.ts'
import { runScenario } from './run.ts'
import { parseScenario } from './scenario.ts'

describe('runInWorker', () => {
  it('gives in a worker thread exactly what the main thread gives', async () => {
    const inWorker = await runInWorker(rimea6())
    const local = runScenario(parseScenario(rimea6()))
    assert.deepEqual(inWorker.arrivals, local.arrivals)
    assert.equal(inWorker.agentSteps, local.agentSteps)
  })

  it('rejects a bad scenario with the ScenarioError message', async () => {
    await assert.rejects(
      runInWorker({ name: 'x' }),
      (e: unknown) => e instanceof WorkerRunError && e.name === 'ScenarioError' && /seed/.test(e.message),
    )
  })
})

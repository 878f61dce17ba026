import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { HttpError } from './http.ts'
import { Poller } from './poller.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('Poller', () => {
  it('runs at once, then every period, one run at a time, and again at once on now()', async () => {
    let runs = 0
    let concurrent = 0
    let most = 0
    const poller = new Poller(
      async () => {
        runs++
        most = Math.max(most, ++concurrent)
        await sleep(20)
        concurrent--
      },
      { everyMs: 10_000 },
    ).start()
    poller.now() // during the first run: queued, not concurrent
    await sleep(100)
    assert.equal(runs, 2)
    assert.equal(most, 1)
    poller.stop()
    poller.now()
    await sleep(50)
    assert.equal(runs, 2, 'nothing runs after stop')
  })

  it('keeps polling after failures, at the slower period while the route is missing', async () => {
    const errors: unknown[] = []
    let runs = 0
    const poller = new Poller(
      () => {
        runs++
        return Promise.reject(new HttpError(runs === 1 ? 500 : 404, '/x'))
      },
      { everyMs: 10, missingMs: 10_000, onError: (e) => errors.push(e) },
    ).start()
    await sleep(120)
    poller.stop()
    assert.equal(runs, 2, 'a 500 retries at the normal period, a 404 waits for missingMs')
    assert.equal(errors.length, 2)
  })
})

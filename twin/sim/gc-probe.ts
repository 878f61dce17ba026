/**
 * Counts garbage collections while a piece of synchronous code runs: the check that the step loop does not
 * allocate (an allocation-free loop triggers no scavenge, however long it runs). Uses the standard
 * PerformanceObserver 'gc' entries; Node only (tests and the benchmark).
 */
import { PerformanceObserver, performance } from 'node:perf_hooks'

/** Runs `f` and resolves with the number of GC events that started while it ran. */
export async function countGcDuring(f: () => void): Promise<number> {
  const starts: number[] = []
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) starts.push(e.startTime)
  })
  observer.observe({ entryTypes: ['gc'] })
  const t0 = performance.now()
  f()
  const t1 = performance.now()
  // GC entries are delivered asynchronously: give the observer a turn before reading.
  await new Promise((resolve) => setTimeout(resolve, 50))
  observer.disconnect()
  return starts.filter((s) => s >= t0 && s <= t1).length
}

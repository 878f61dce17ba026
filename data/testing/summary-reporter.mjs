/**
 * A node:test reporter that prints one closing line with the counts, so CI logs end with the verdict:
 * `tests 120 | pass 119 | fail 1 | skipped 0 | todo 0 | 84.2 s`.
 * Plain JavaScript because node loads reporters before the TypeScript loader is registered.
 *
 * @param {AsyncIterable<{ type: string, data: any }>} source
 */
export default async function* summaryReporter(source) {
  let pass = 0
  let fail = 0
  let skipped = 0
  let todo = 0
  const started = Date.now()
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    // Count leaf tests only: a suite's own verdict repeats its children's.
    if (event.data.details?.type === 'suite') continue
    if (event.data.skip !== undefined && event.data.skip !== false) skipped++
    else if (event.data.todo !== undefined && event.data.todo !== false) todo++
    else if (event.type === 'test:pass') pass++
    else fail++
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  yield `tests ${pass + fail + skipped + todo} | pass ${pass} | fail ${fail} | skipped ${skipped} | todo ${todo} | ${seconds} s\n`
}

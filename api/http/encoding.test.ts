import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { acceptsGzip } from './encoding.ts'

describe('acceptsGzip', () => {
  it('takes gzip when listed with q > 0 or covered by a wildcard, and not otherwise', () => {
    const cases: [string | undefined, boolean][] = [
      [undefined, false],
      ['', false],
      ['gzip', true],
      ['GZIP', true],
      ['x-gzip', true],
      ['gzip, deflate, br', true],
      ['br;q=1.0, gzip;q=0.8', true],
      ['gzip;q=0', false],
      ['gzip; q=0.000', false],
      ['gzip;q=abc', false],
      ['identity', false],
      ['br, deflate', false],
      ['*', true],
      ['*;q=0', false],
      ['*, gzip;q=0', false],
      ['gzip;q=0, *', false],
    ]
    for (const [header, expected] of cases) assert.equal(acceptsGzip(header), expected, String(header))
  })
})

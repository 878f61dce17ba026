import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defaultLayers, layersFromParam, LAYER_IDS } from './layers.ts'

describe('layersFromParam', () => {
  it('gives the defaults without a parameter, everything for "all", nothing for "none"', () => {
    assert.deepEqual(layersFromParam(null), defaultLayers)
    assert.ok(LAYER_IDS.every((id) => layersFromParam('all')[id]))
    assert.ok(LAYER_IDS.every((id) => !layersFromParam('none')[id]))
  })

  it('turns on exactly the listed layers', () => {
    const state = layersFromParam('crowd, energy')
    assert.deepEqual(
      LAYER_IDS.filter((id) => state[id]),
      ['crowd', 'energy'],
    )
  })
})

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { metricLabel, unitLabel } from './metric-label.ts'

describe('metric labels', () => {
  it('names every figure the simulator reports in Chinese, keeping ids', () => {
    const cases: [string, string][] = [
      ['evacuation time (last arrival)', '疏散时间（最后一人到达）'],
      ['walking distance to kindergarten mean', '到幼儿园平均步行距离'],
      ['walking distance to sauna mean', '到sauna平均步行距离'],
      ['flow gate:c01-g02', 'gate:c01-g02 通过流量'],
      ["walkers' wait at c01-g01 going out p95", 'c01-g01 行人出门等待 p95'],
      ['gate c01-g03 inbound wait p95', '出入口 c01-g03 车辆入场等待 p95'],
      ['parking c01-lot-1 peak occupancy', '停车场 c01-lot-1 峰值占用率'],
      ['something new', 'something new'],
    ]
    for (const [metric, zh] of cases) {
      assert.equal(metricLabel(metric, 'zh-CN'), zh)
      assert.equal(metricLabel(metric, 'en'), metric)
    }
    assert.equal(unitLabel('s', 'zh-CN'), '秒')
    assert.equal(unitLabel('%', 'zh-CN'), '%')
    assert.equal(unitLabel('s', 'en'), 's')
  })
})

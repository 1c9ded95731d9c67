import { describe, expect, it } from 'vitest'
import { summarizeLines } from './line-summaries.js'
import type { Metrics, PlanResult } from './planner-contract.js'

const H = 3600
const call = (stopId: string, atS: number, board: string[] = []) => ({
  stopId,
  arriveS: atS - 30,
  departS: atS,
  board,
})
const metrics = {
  parts: [
    { busTypeId: 'regulation-45', hired: false },
    { busTypeId: 'micro-bus', hired: true },
  ],
} as Metrics

const result = {
  stops: [],
  lines: [
    {
      id: 'mb-1',
      name: 'M1',
      kind: 'micro_bus',
      busTypeId: 'micro-bus',
      stopIds: ['hub', 's1', 'school'],
      tripIds: ['t2', 't1'],
    },
    {
      id: 'cb-1',
      name: 'C1',
      kind: 'custom_bus',
      busTypeId: 'regulation-45',
      stopIds: ['s2', 'school'],
      tripIds: ['t3'],
    },
    {
      id: 'cb-2',
      name: 'C2',
      kind: 'custom_bus',
      busTypeId: 'regulation-45',
      stopIds: ['s3', 'school'],
      tripIds: ['t4'],
    },
  ],
  trips: [
    {
      id: 't1',
      lineId: 'mb-1',
      direction: 'to_school',
      stops: [call('hub', 7 * H), call('s1', 7.1 * H, ['a', 'b']), call('school', 7.4 * H)],
    },
    {
      id: 't2',
      lineId: 'mb-1',
      direction: 'to_school',
      stops: [call('hub', 7.5 * H), call('s1', 7.6 * H, ['a', 'c']), call('school', 7.9 * H)],
    },
    {
      id: 't3',
      lineId: 'cb-1',
      direction: 'to_school',
      stops: [call('s2', 7 * H, ['d']), call('school', 7.5 * H)],
    },
    {
      id: 't4',
      lineId: 'cb-2',
      direction: 'to_school',
      stops: [call('s3', 7 * H, ['e']), call('school', 7.5 * H)],
    },
  ],
  vehicles: [
    { id: 'bus-1', busTypeId: 'micro-bus', tripIds: ['t1', 't2'] },
    { id: 'bus-2', busTypeId: 'regulation-45', tripIds: ['t3'] },
    { id: 'bus-3', busTypeId: 'micro-bus', tripIds: ['t4'] },
  ],
  metrics,
} as unknown as PlanResult

describe('summarizeLines', () => {
  it('lists each line’s calls with the times of its runs in order, its buses and its pupils', () => {
    const [micro] = summarizeLines(result)
    expect(micro).toEqual({
      id: 'mb-1',
      name: 'M1',
      kind: 'micro_bus',
      stops: [
        { stopId: 'hub', timesS: [7 * H, 7.5 * H] },
        { stopId: 's1', timesS: [7.1 * H, 7.6 * H] },
        // At the last call a run arrives.
        { stopId: 'school', timesS: [7.4 * H - 30, 7.9 * H - 30] },
      ],
      buses: 1,
      pupils: 3,
    })
  })

  it('calls a custom-bus route on the bureau’s own buses a school bus, and one on hired buses not', () => {
    const [, own, hired] = summarizeLines(result)
    expect(own!.kind).toBe('school_bus')
    expect(hired!.kind).toBe('custom_bus')
  })
})

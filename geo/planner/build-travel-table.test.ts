import { describe, expect, it } from 'vitest'
import type { LatLon } from '../lat-lon.js'
import type { DurationTable, Router, TableOptions } from '../routing/router.js'
import { buildTravelTable, UNREACHABLE_S } from './build-travel-table.js'

/** A router whose table is |Δlat| × 1000 seconds and metres, with no path into point 5. */
function fakeRouter(requests: number[]): Router {
  const table = async (points: LatLon[], options: TableOptions = {}): Promise<DurationTable> => {
    requests.push(points.length)
    const sources = options.sources ?? points.map((_, i) => i)
    const destinations = options.destinations ?? points.map((_, i) => i)
    const cell = (i: number, j: number) =>
      points[j]!.lon === 5 ? null : Math.abs(points[i]!.lat - points[j]!.lat) * 1000 + 0.4
    return {
      durationsS: sources.map((i) => destinations.map((j) => cell(i, j))),
      distancesM: sources.map((i) => destinations.map((j) => cell(i, j))),
      sources: [],
      destinations: [],
    }
  }
  const refuse = () => Promise.reject(new Error('not used'))
  return { engine: 'graph', table, route: refuse, nearest: refuse, match: refuse }
}

const points: LatLon[] = Array.from({ length: 7 }, (_, i) => ({ lat: i * 0.01, lon: i }))

describe('buildTravelTable', () => {
  it('asks in blocks no larger than the limit and fills the whole table', async () => {
    const requests: number[] = []
    const table = await buildTravelTable(fakeRouter(requests), points, { maxTablePoints: 4 })
    expect(Math.max(...requests)).toBeLessThanOrEqual(4)
    for (let i = 0; i < 7; i++) {
      for (let j = 0; j < 7; j++) {
        const expected = i === j ? 0 : j === 5 ? UNREACHABLE_S : Math.round(Math.abs(i - j) * 10 + 0.4)
        expect(table.durationS[i * 7 + j], `${i} → ${j}`).toBe(expected)
      }
    }
  })

  it('asks once when the points fit', async () => {
    const requests: number[] = []
    await buildTravelTable(fakeRouter(requests), points)
    expect(requests).toEqual([7])
  })

  it('stops between blocks when asked', async () => {
    let blocks = 0
    const stopping = buildTravelTable(fakeRouter([]), points, {
      maxTablePoints: 4,
      checkStop: () => {
        if (++blocks > 2) throw new Error('stopped')
      },
    })
    await expect(stopping).rejects.toThrow('stopped')
  })
})

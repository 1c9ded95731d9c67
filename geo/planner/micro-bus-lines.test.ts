import { describe, expect, it } from 'vitest'
import type { LatLon } from '../lat-lon.js'
import { createLocalProjection } from '../routing/earth-distance.js'
import type { TravelTable } from './build-travel-table.js'
import { designMicroBusLines, groupNeighbourSchools, runMicroBusLine } from './micro-bus-lines.js'
import { defaultPlanSettings, type PlannedStop, type PlanPupil, type PlanSchool } from './plan-model.js'
import { createPupilWindows } from './school-bells.js'

const projection = createLocalProjection(30.17, 121.26)
const at = (eastM: number, northM = 0): LatLon => ({
  lat: projection.lat(northM),
  lon: projection.lon(eastM),
})
const H = 3600

const school = (id: string, eastM: number): PlanSchool => ({
  id,
  name: id,
  location: at(eastM),
  startTimes: [
    { grade: 3, timeS: 8 * H },
    { grade: 7, timeS: 7.5 * H },
  ],
  dismissalWaves: [{ id: `${id}-w1`, name: '放学', timeS: 15 * H, grades: [3, 7] }],
})

/**
 * A hub at 0 m, schools A at 3 km and B at 4.5 km (one group), C at 20 km (its own). Stop s1 at
 * 1 km lies on the way from the hub to A; s2 is 4 minutes off it. Driving is 10 m/s on a line,
 * with s2's extra 120 s each way.
 */
const places: Record<string, number> = { hub: 0, s1: 1000, s2: 2000, a: 3000, b: 4500, c: 20_000 }
const ids = Object.keys(places)
const offLine: Record<string, number> = { s2: 120 }
const table: TravelTable = {
  count: ids.length,
  durationS: Float64Array.from(
    ids.flatMap((from) =>
      ids.map((to) =>
        from === to
          ? 0
          : Math.abs(places[from]! - places[to]!) / 10 + (offLine[from] ?? 0) + (offLine[to] ?? 0),
      ),
    ),
  ),
  distanceM: Float64Array.from(ids.flatMap((from) => ids.map((to) => Math.abs(places[from]! - places[to]!)))),
}
const placeOf = (id: string) => ids.indexOf(id)
const schools = [school('a', 3000), school('b', 4500), school('c', 20_000)]

const pupilsAt = (stopId: string, schoolId: string, count: number, grade = 3): PlanPupil[] =>
  Array.from({ length: count }, (_, k) => ({
    id: `${stopId}-${schoolId}-${grade}-${k}`,
    home: at(places[stopId]!, 50),
    grade,
    schoolId,
    dismissalWaveId: `${schoolId}-w1`,
  }))

const stopOf = (stopId: string, pupils: PlanPupil[]): PlannedStop => ({
  id: stopId,
  name: stopId,
  location: at(places[stopId]!),
  pupilIds: pupils.map((p) => p.id),
  schoolIds: [...new Set(pupils.map((p) => p.schoolId))].sort(),
  maxWalkM: 50,
})

describe('micro-bus lines', () => {
  it('groups schools that are chained within the distance', () => {
    const groups = groupNeighbourSchools(schools, 2000).map((g) => g.map((s) => s.id))
    expect(groups).toEqual([['a', 'b'], ['c']])
    expect(groupNeighbourSchools(schools, 1000).map((g) => g.length)).toEqual([1, 1, 1])
  })

  it('puts on the line the corridor stops’ pupils of the group’s schools, and nobody else', () => {
    const atS1 = [...pupilsAt('s1', 'a', 3), ...pupilsAt('s1', 'b', 2), ...pupilsAt('s1', 'c', 2)]
    const atS2 = pupilsAt('s2', 'a', 4)
    const pupils = [...atS1, ...atS2]
    const stops = [stopOf('s1', atS1), stopOf('s2', atS2)]
    const hubs = [{ id: 'hub', name: '西站', location: at(0) }]
    const [line, ...others] = designMicroBusLines(pupils, stops, { schools, hubs }, { table, placeOf })
    expect(others).toEqual([])
    expect(line!.stopIds).toEqual(['s1'])
    expect(line!.schoolIds).toEqual(['a', 'b'])
    expect(line!.pupilIds.sort()).toEqual(
      [...pupilsAt('s1', 'a', 3), ...pupilsAt('s1', 'b', 2)].map((p) => p.id).sort(),
    )
    // With a wider corridor s2 joins; with a shorter drive allowed there is no line at all.
    const wide = designMicroBusLines(
      pupils,
      stops,
      { schools, hubs },
      { table, placeOf },
      {
        schoolGroupM: 2000,
        maxHubToSchoolS: 900,
        corridorDetourS: 300,
      },
    )
    expect(wide[0]!.stopIds).toEqual(['s1', 's2'])
    const short = designMicroBusLines(
      pupils,
      stops,
      { schools, hubs },
      { table, placeOf },
      {
        schoolGroupM: 2000,
        maxHubToSchoolS: 200,
        corridorDetourS: 180,
      },
    )
    expect(short).toEqual([])
  })

  it('runs once per bell and wave time, with another run when the seats are full', () => {
    const pupils = [...pupilsAt('s1', 'a', 20), ...pupilsAt('s1', 'b', 10), ...pupilsAt('s1', 'a', 2, 7)]
    const stops = [stopOf('s1', pupils)]
    const hubs = [{ id: 'hub', name: '西站', location: at(0) }]
    const [design] = designMicroBusLines(pupils, stops, { schools, hubs }, { table, placeOf })
    const { line, trips } = runMicroBusLine(design!, {
      table,
      placeOf,
      pupilById: new Map(pupils.map((p) => [p.id, p])),
      stopOf: new Map(pupils.map((p) => [p.id, 's1'])),
      schools,
      settings: defaultPlanSettings,
      seats: 24,
      busTypeId: 'micro-bus',
      windowOf: createPupilWindows(pupils, schools, defaultPlanSettings),
    })
    expect(line.stopIds).toEqual(['hub', 's1', 'a', 'b'])
    const summary = trips.map(({ trip }) => [
      trip.direction,
      trip.stops.map((s) => s.stopId).join(' '),
      trip.stops.reduce((sum, s) => sum + s.board.length, 0),
    ])
    expect(summary).toEqual([
      ['to_school', 'hub s1 a', 2],
      ['to_school', 'hub s1 a b', 24],
      ['to_school', 'hub s1 b', 6],
      ['from_school', 'b a s1 hub', 24],
      ['from_school', 'b s1 hub', 8],
    ])
    for (const { trip } of trips.filter((t) => t.trip.direction === 'to_school')) {
      const bellS = trip.stops.some((s) => s.alight.some((id) => id.endsWith('-7-0'))) ? 7.5 * H : 8 * H
      expect(trip.stops.at(-1)!.arriveS).toBe(bellS - defaultPlanSettings.arriveBeforeBellMinS)
    }
  })
})

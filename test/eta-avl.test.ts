import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseAvlPings } from '../bench/eta-avl/avl-pings.js'
import { replayAvl } from '../bench/eta-avl/replay-avl.js'
import { parseGtfsAgencies } from '../geo/gtfs/gtfs-agency.js'
import { parseGtfsShapes } from '../geo/gtfs/gtfs-shapes.js'
import { parseGtfsStopTimes } from '../geo/gtfs/gtfs-stop-times.js'
import { parseGtfsStops } from '../geo/gtfs/gtfs-stops.js'
import { parseGtfsTrips } from '../geo/gtfs/gtfs-trips.js'
import { TEST_DATA_DIR } from './support/test-data.js'

const dir = `${TEST_DATA_DIR}avl/wmata-C53/`
const read = (file: string) => readFileSync(dir + file, 'utf8')
const feed = {
  stops: parseGtfsStops(read('gtfs/stops.txt')),
  trips: parseGtfsTrips(read('gtfs/trips.txt')),
  stopTimes: parseGtfsStopTimes(read('gtfs/stop_times.txt')),
  shapes: parseGtfsShapes(read('gtfs/shapes.txt')),
}
const pings = parseAvlPings(read('vehicle-positions.csv'))
const timeZone = parseGtfsAgencies(read('gtfs/agency.txt'))[0]!.timeZone

describe('the ETA engine on real bus positions (WMATA C53)', () => {
  const result = replayAvl(feed, pings, { timeZone })
  const timetableOnly = replayAvl(feed, pings, { timeZone, learn: false })

  it('predicts only stops of the trip, each once per ping, never before the ping', () => {
    const callsOf = new Map<string, Set<string>>()
    for (const call of feed.stopTimes) {
      const calls = callsOf.get(call.tripId) ?? new Set()
      calls.add(`${call.stopSequence}/${call.stopId}`)
      callsOf.set(call.tripId, calls)
    }
    const seen = new Set<string>()
    expect(result.predictions.length).toBeGreaterThan(10_000)
    for (const row of result.predictions) {
      expect(callsOf.get(row.tripId)?.has(`${row.stopSequence}/${row.stopId}`)).toBe(true)
      const key = `${row.tripId}/${row.atMs}/${row.stopSequence}`
      expect(seen.has(key)).toBe(false)
      seen.add(key)
      if (row.predictedMs !== null) expect(row.predictedMs).toBeGreaterThanOrEqual(row.atMs)
    }
  })

  it('finds true arrivals in time order for nearly every stop of the trips seen whole', () => {
    expect(result.summary.trips).toBe(5)
    for (const times of result.truth.values()) {
      const known = times.arriveMs.filter((ms): ms is number => ms !== null)
      expect(known.length).toBeGreaterThan(0.9 * times.arriveMs.length)
      const outOfOrder = known.filter((ms, i) => i > 0 && ms < known[i - 1]!).length
      expect(outOfOrder).toBeLessThanOrEqual(2)
    }
  })

  it('predicts nearly every stop truly ahead, and learns from the trips finished', () => {
    for (const key of ['coverage', 'coverage2min', 'coverage5min', 'coverage10min']) {
      expect(result.summary[key]).toBeGreaterThanOrEqual(0.95)
    }
    expect(result.summary.legObservations).toBeGreaterThan(50)
  })

  it('beats the timetable alone once it has learned, and the delay-propagated timetable 5 and 10 min ahead', () => {
    for (const h of [5, 10]) {
      expect(result.summary[`mae${h}minS`]).toBeLessThan(timetableOnly.summary[`mae${h}minS`]!)
      expect(result.summary[`mae${h}minS`]).toBeLessThan(result.summary[`delayMae${h}minS`]!)
    }
  })
})

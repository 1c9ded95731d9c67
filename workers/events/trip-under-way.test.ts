import { describe, expect, it } from 'vitest'
import { pickRunningTrip, type RunningTrip } from '../../server/core/schedule/trip-calendar.js'
import { createTripUnderWay } from './trip-under-way.js'

const t0 = Date.parse('2026-03-02T07:00:00+08:00')
const at = (min: number) => new Date(t0 + min * 60_000)

/** A trip with calls 1..3 from `firstMin` to `lastMin`, running from 10 minutes before to 30 after. */
const trip = (tripId: string, firstMin: number, lastMin: number): RunningTrip => ({
  tripId,
  busId: 'B1',
  startsAt: at(firstMin - 10),
  endsAt: at(lastMin + 30),
  firstStopAt: at(firstMin),
  lastStopAt: at(lastMin),
  stops: [1, 2, 3].map((seq) => ({ seq, stopId: `${tripId}-S${seq}`, lat: 30, lon: 121 })),
})

// The morning's two runs: am2 begins 6 minutes after am1 ends, so the calendar names am2 from 07:23.
const am1 = trip('am1', 0, 20)
const am2 = trip('am2', 26, 40)
const options = { maxFixGapS: 30 }
const calendar = { findRunningTrip: (_busId: string, ts: Date) => pickRunningTrip([am1, am2], ts.getTime()) }

/** A fix at `min`, a kilometre from the calls (all at one place), or at them. */
const fix = (min: number, atCalls = false) => ({ ts: at(min), lat: 30, lon: atCalls ? 121 : 121.01 })

/** The trip named for a fix every 15 s from `fromMin` to `toMin`: a bus seen all along. */
const drive = (
  trips: ReturnType<typeof createTripUnderWay>,
  fromMin: number,
  toMin: number,
  atCalls = false,
) => {
  let named: string | undefined
  for (let min = fromMin; min <= toMin; min += 0.25) named = trips.tripAt(fix(min, atCalls))?.tripId
  return named
}

describe('the trip a bus is running', () => {
  it('is what the calendar names while the bus keeps to the timetable', () => {
    const trips = createTripUnderWay('B1', calendar, options)
    expect(drive(trips, 0, 1)).toBe('am1')
    trips.noteArrival(1)
    trips.noteArrival(3)
    expect(trips.hasFinished(am1)).toBe(true)
    expect(drive(trips, 1, 22)).toBe('am1')
    expect(drive(trips, 22, 24)).toBe('am2')
    expect(trips.hasFinished(am2)).toBe(false)
  })

  it('stays on a trip under way when the bus runs late, until it arrives at the last call', () => {
    const trips = createTripUnderWay('B1', calendar, options)
    expect(drive(trips, 0, 5)).toBe('am1')
    trips.noteArrival(2)
    expect(drive(trips, 5, 30)).toBe('am1')
    trips.noteArrival(3)
    expect(drive(trips, 30, 30.25)).toBe('am2')
  })

  it('gives up a trip under way once its window is over', () => {
    const trips = createTripUnderWay('B1', calendar, options)
    drive(trips, 0, 5)
    trips.noteArrival(1)
    expect(drive(trips, 5, 49)).toBe('am1')
    expect(drive(trips, 49, 51)).toBe('am2')
  })

  it('follows the calendar again once the bus went unseen near its last call, as it may have got there', () => {
    const trips = createTripUnderWay('B1', calendar, options)
    drive(trips, 0, 5)
    trips.noteArrival(2)
    expect(drive(trips, 5, 22, true)).toBe('am1')
    expect(trips.tripAt(fix(25))?.tripId).toBe('am2')
  })

  it('stays on a trip under way after the bus went unseen away from its last call', () => {
    const trips = createTripUnderWay('B1', calendar, options)
    drive(trips, 0, 5)
    trips.noteArrival(2)
    expect(drive(trips, 5, 22)).toBe('am1')
    expect(trips.tripAt(fix(25))?.tripId).toBe('am1')
  })

  it('gives up a trip under way once the bus is at the first call of the trip named, and at no call ahead', () => {
    // am3's first call is a kilometre east, where am1 has no call: the bus finished am1 unseen.
    const am3: RunningTrip = {
      ...trip('am3', 26, 40),
      stops: [{ seq: 1, stopId: 'X', lat: 30, lon: 121.01 }],
    }
    const elsewhere = { findRunningTrip: (_: string, ts: Date) => pickRunningTrip([am1, am3], ts.getTime()) }
    const trips = createTripUnderWay('B1', elsewhere, options)
    drive(trips, 0, 5, true)
    trips.noteArrival(2)
    expect(drive(trips, 5, 24, true)).toBe('am1')
    expect(trips.tripAt(fix(24.25))?.tripId).toBe('am3')
    // Where the trip named begins at a call still ahead on the trip under way, the bus stays on it.
    const ahead = createTripUnderWay('B1', calendar, options)
    drive(ahead, 0, 5, true)
    ahead.noteArrival(1)
    expect(drive(ahead, 5, 30, true)).toBe('am1')
  })

  it('follows the calendar for a trip the bus never got under way', () => {
    const trips = createTripUnderWay('B1', calendar, options)
    expect(drive(trips, 0, 5)).toBe('am1')
    expect(drive(trips, 5, 25)).toBe('am2')
    expect(drive(trips, 25, 80)).toBeUndefined()
  })
})

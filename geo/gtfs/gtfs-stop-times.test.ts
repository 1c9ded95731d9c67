import { describe, expect, it } from 'vitest'
import { groupStopTimesByTrip, parseGtfsStopTimes } from './gtfs-stop-times.js'

const header = 'trip_id,arrival_time,departure_time,stop_id,stop_sequence,timepoint\n'

describe('GTFS stop times', () => {
  it('orders calls by stop_sequence, counts hours past midnight and reads timepoints', () => {
    const calls = parseGtfsStopTimes(
      header + 't,24:05:00,24:06:00,b,10,0\nt,23:59:30,,a,2,1\nu,08:00:00,08:00:00,a,1,\n',
    )
    expect(calls.map((c) => [c.tripId, c.stopSequence])).toEqual([
      ['t', 2],
      ['t', 10],
      ['u', 1],
    ])
    expect(calls[0]).toEqual({
      tripId: 't',
      stopId: 'a',
      stopSequence: 2,
      arrivalS: 86_370,
      departureS: 86_370,
      timepoint: true,
    })
    expect(calls[1]).toMatchObject({ arrivalS: 86_700, departureS: 86_760, timepoint: false })
    expect(calls[2]!.timepoint).toBe(true)
    expect([...groupStopTimesByTrip(calls).keys()]).toEqual(['t', 'u'])
  })

  it('refuses an untimed call', () => {
    expect(() => parseGtfsStopTimes(header + 't,,,a,1,0\n')).toThrow(RangeError)
  })
})

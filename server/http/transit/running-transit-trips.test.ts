import { describe, expect, it } from 'vitest'
import { mondayAt, sampleServiceDay } from '../../../test/support/transit-service-day.js'
import { listRunningTransitTrips } from './running-transit-trips.js'

const runningAt = (hhmmss: string) =>
  listRunningTransitTrips(sampleServiceDay(), mondayAt(hhmmss)).map((running) => running.trip.id)

describe('listRunningTransitTrips', () => {
  it('finds the trip each bus drives now, from ten minutes before its first stop', () => {
    expect(runningAt('07:06:00')).toEqual(['L1-am1'])
    expect(runningAt('16:20:00')).toEqual(['L1-pm1'])
    expect(runningAt('12:00:00')).toEqual([])
    const [running] = listRunningTransitTrips(sampleServiceDay(), mondayAt('07:06:00'))
    expect(running).toMatchObject({ busId: 'MB1', busPlate: '浙B·D0001', serviceDate: '2026-03-02' })
    expect(running!.window.startsAt).toEqual(mondayAt('06:50:00'))
  })

  it('leaves out a trip with no bus, and a bus still busy with a trip that is not published', () => {
    // At 06:55 MB1 is between the stops of its school-bus run, which is nearer than L1-am1's.
    expect(runningAt('06:55:00')).toEqual([])
    // L2-am1 runs now, but without a bus; L1-am1 is in its half hour of grace after its last stop.
    expect(runningAt('07:25:00')).toEqual(['L1-am1'])
    expect(runningAt('07:50:00')).toEqual([])
  })
})

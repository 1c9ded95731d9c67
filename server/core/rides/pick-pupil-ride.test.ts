import { describe, expect, it } from 'vitest'
import { pickPupilRide } from './pick-pupil-ride.js'

const weekdays = [1, 2, 3, 4, 5]
const morning = { tripId: 'am', weekdays, startTime: '07:00:00', alightTime: '07:20:00' }
const afternoon = { tripId: 'pm', weekdays, startTime: '16:00:00', alightTime: '16:30:00' }
const window = { leadMin: 15, lateMin: 60 }
const pick = (at: string) => pickPupilRide([afternoon, morning], new Date(at), window)

describe('pickPupilRide', () => {
  it('shows the morning trip before and while it runs, with its visible window', () => {
    const { current } = pick('2026-03-02T06:00:00+08:00')
    expect(current?.trip.tripId).toBe('am')
    expect(current?.date).toBe('2026-03-02')
    expect(current?.visibleFrom.toISOString()).toBe('2026-03-01T22:45:00.000Z')
    expect(current?.visibleUntil.toISOString()).toBe('2026-03-02T00:20:00.000Z')
    expect(pick('2026-03-02T08:20:00+08:00').current?.trip.tripId).toBe('am')
  })

  it('moves to the afternoon trip once the morning one is over', () => {
    expect(pick('2026-03-02T08:21:00+08:00').current?.trip.tripId).toBe('pm')
  })

  it('points to Monday’s first trip on a Friday evening and at the weekend', () => {
    for (const at of ['2026-03-06T19:00:00+08:00', '2026-03-08T12:00:00+08:00']) {
      const { current, next } = pick(at)
      expect(current).toBe(null)
      expect(next?.trip.tripId).toBe('am')
      expect(next?.date).toBe('2026-03-09')
    }
  })

  it('has nothing to show for a pupil without trips', () => {
    expect(pickPupilRide([], new Date('2026-03-02T07:00:00+08:00'), window)).toEqual({
      current: null,
      next: null,
    })
  })
})

import { describe, expect, it } from 'vitest'
import { createTripCalendar, planServiceDay, type ScheduledTrip } from './trip-calendar.js'

const stop = (seq: number, arriveTime: string, departTime = arriveTime) => ({
  seq,
  stopId: `ST${seq}`,
  lat: 30.17,
  lon: 121.26 + seq * 0.001,
  arriveTime,
  departTime,
})

/** Bus B1 runs a morning trip and, right after it, a second wave; B2 runs one trip. */
const trips: ScheduledTrip[] = [
  { id: 'B1-am1', busId: 'B1', stops: [stop(1, '07:00:00', '07:01:00'), stop(2, '07:20:00', '07:22:00')] },
  { id: 'B1-am2', busId: 'B1', stops: [stop(1, '07:35:00'), stop(2, '07:55:00', '07:57:00')] },
  { id: 'B2-am1', busId: 'B2', stops: [stop(1, '07:05:00'), stop(2, '07:25:00')] },
]
const options = { tripLeadS: 600, tripGraceS: 1800 }
const local = (date: string, time: string) => new Date(`${date}T${time}+08:00`)

describe('planServiceDay', () => {
  it('runs a trip from its first arrival less the lead to its last departure plus the grace', () => {
    const day = planServiceDay(trips, '2026-03-02', options)
    expect(day.get('B1')!.map((t) => [t.tripId, t.startsAt, t.endsAt])).toEqual([
      ['B1-am1', local('2026-03-02', '06:50:00'), local('2026-03-02', '07:52:00')],
      ['B1-am2', local('2026-03-02', '07:25:00'), local('2026-03-02', '08:27:00')],
    ])
    expect(day.get('B2')![0]!.stops).toEqual(
      trips[2]!.stops.map(({ seq, stopId, lat, lon, arriveTime }) => ({
        seq,
        stopId,
        lat,
        lon,
        arriveAt: local('2026-03-02', arriveTime),
      })),
    )
  })
})

describe('createTripCalendar', () => {
  const calendarOf = (scheduled: Record<number, ScheduledTrip[]>) => {
    const loads: number[] = []
    const calendar = createTripCalendar({
      ...options,
      loadTrips: async (isoWeekday) => {
        loads.push(isoWeekday)
        return scheduled[isoWeekday] ?? []
      },
    })
    return { calendar, loads }
  }

  it('finds the running trip of a bus, the nearer one where a trip’s grace overlaps the next one’s lead', async () => {
    const { calendar } = calendarOf({ 1: trips })
    const monday = (time: string) => local('2026-03-02', time)
    await calendar.prepare([monday('07:00:00')], monday('07:00:00'))
    expect(calendar.findRunningTrip('B1', monday('06:49:59'))).toBeUndefined()
    expect(calendar.findRunningTrip('B1', monday('06:50:00'))?.tripId).toBe('B1-am1')
    expect(calendar.findRunningTrip('B1', monday('07:27:00'))?.tripId).toBe('B1-am1')
    expect(calendar.findRunningTrip('B1', monday('07:29:00'))?.tripId).toBe('B1-am2')
    expect(calendar.findRunningTrip('B1', monday('08:27:01'))).toBeUndefined()
    expect(calendar.listRunningTrips(monday('07:10:00')).map((t) => t.tripId)).toEqual(['B1-am1', 'B2-am1'])
  })

  it('loads each service day once, by its Asia/Shanghai weekday, and keeps only recent days', async () => {
    const { calendar, loads } = calendarOf({ 1: trips })
    const sundayNight = new Date('2026-03-01T15:30:00Z') // Sunday 23:30 in Shanghai
    const mondayMorning = local('2026-03-02', '07:00:00')
    await calendar.prepare([sundayNight, mondayMorning, mondayMorning], mondayMorning)
    expect(loads.sort()).toEqual([1, 7])
    expect(calendar.findRunningTrip('B1', mondayMorning)?.tripId).toBe('B1-am1')
    expect(calendar.listRunningTrips(local('2026-03-01', '07:00:00'))).toEqual([])

    await calendar.prepare([mondayMorning, local('2026-02-20', '07:00:00')], mondayMorning)
    expect(loads).toHaveLength(2)
    const nextMonday = local('2026-03-09', '07:00:00')
    await calendar.prepare([nextMonday], nextMonday)
    expect(calendar.findRunningTrip('B1', nextMonday)?.tripId).toBe('B1-am1')
  })

  it('reads a day again once it is older than maxAgeMs, so a bus change reaches the rules within seconds', async () => {
    const scheduled: Record<number, ScheduledTrip[]> = { 1: trips }
    const { calendar, loads } = calendarOf(scheduled)
    const at = local('2026-03-02', '07:10:00')
    await calendar.prepare([at], at)
    scheduled[1] = trips.map((trip) => (trip.id === 'B2-am1' ? { ...trip, busId: 'B3' } : trip))
    await calendar.prepare([at], new Date(at.getTime() + 4999))
    expect(calendar.findRunningTrip('B2', at)?.tripId).toBe('B2-am1')
    await calendar.prepare([at], new Date(at.getTime() + 5000))
    expect(loads).toEqual([1, 1])
    expect(calendar.findRunningTrip('B2', at)).toBeUndefined()
    expect(calendar.findRunningTrip('B3', at)?.tripId).toBe('B2-am1')
  })

  it('knows no trip on a day it has not loaded', () => {
    const { calendar } = calendarOf({ 1: trips })
    expect(calendar.findRunningTrip('B1', local('2026-03-02', '07:00:00'))).toBeUndefined()
  })
})

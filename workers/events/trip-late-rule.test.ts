import { describe, expect, it } from 'vitest'
import { defaultEventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import type { RunningTrip } from '../../server/core/schedule/trip-calendar.js'
import type { DerivedEvent } from './derived-event.js'
import { createTripLateRule, type CallArrival } from './trip-late-rule.js'

const monday = Date.parse('2026-03-02T07:00:00+08:00')
const dayMs = 86_400_000
const minuteMs = 60_000

/** Trip `tripId` on the service day `day` days after Monday: calls at 07:00, 07:10 and the school at 07:20. */
function tripOn(day: number, tripId = 'T1'): RunningTrip {
  const at = (min: number) => new Date(monday + day * dayMs + min * minuteMs)
  return {
    tripId,
    busId: 'B1',
    startsAt: at(-10),
    endsAt: at(50),
    firstStopAt: at(0),
    lastStopAt: at(20),
    stops: [
      { seq: 1, stopId: 'ST1', lat: 30.17, lon: 121.26, arriveAt: at(0), name: '一号站' },
      { seq: 2, stopId: 'ST2', lat: 30.18, lon: 121.26, arriveAt: at(10), name: '二号站' },
      { seq: 3, stopId: 'ST-S1', lat: 30.19, lon: 121.26, arriveAt: at(20), school: true },
    ],
  }
}

/** The arrival at call `seq` of `trip`, `lateS` seconds after its planned time. */
const arrival = (trip: RunningTrip, seq: number, lateS: number): CallArrival => ({
  ts: new Date(trip.stops.find((stop) => stop.seq === seq)!.arriveAt!.getTime() + lateS * 1000),
  seq,
})

/** Feeds each arrival to the rule as the stop rule would, with the next fix's trip. */
function judge(
  steps: { trip: RunningTrip | undefined; arrivals: CallArrival[] }[],
  options = defaultEventRuleOptions,
) {
  const events: DerivedEvent[] = []
  const rule = createTripLateRule('B1', options, (event) => events.push(event))
  for (const { trip, arrivals } of steps) {
    for (const noted of arrivals) rule.noteArrival(noted)
    rule.observe(trip)
  }
  return events
}

const lateEvents = (events: DerivedEvent[]) =>
  events.map((event) => (event.kind === 'trip_late' ? `${event.tripId} ${event.details.seq}` : event.kind))

describe('late trip rule', () => {
  const trip = tripOn(0)

  it('raises nothing for a trip on time, nor for one up to just under 10 minutes late', () => {
    expect(
      judge([1, 2, 3].map((seq) => ({ trip, arrivals: [arrival(trip, seq, seq === 1 ? -60 : 120)] }))),
    ).toEqual([])
    expect(judge([{ trip, arrivals: [arrival(trip, 2, 9 * 60)] }])).toEqual([])
    expect(judge([{ trip, arrivals: [arrival(trip, 2, 10 * 60 - 1)] }])).toEqual([])
  })

  it('raises one event at the first call reached 10 minutes late, dated at that arrival', () => {
    const late = arrival(trip, 2, 10 * 60)
    const events = judge([
      { trip, arrivals: [arrival(trip, 1, 4 * 60)] },
      { trip, arrivals: [late] },
    ])
    expect(events).toEqual([
      {
        busId: 'B1',
        kind: 'trip_late',
        ts: late.ts,
        tripId: 'T1',
        details: {
          stopId: 'ST2',
          stopName: '二号站',
          seq: 2,
          school: false,
          plannedTs: '2026-03-01T23:10:00.000Z',
          arrivedTs: '2026-03-01T23:20:00.000Z',
          lateMin: 10,
        },
      },
    ])
  })

  it('raises no second event for later calls reached later still, nor when the bus makes up time', () => {
    const events = judge([
      { trip, arrivals: [arrival(trip, 1, 11 * 60)] },
      { trip, arrivals: [arrival(trip, 2, 15 * 60 + 30)] },
      { trip, arrivals: [arrival(trip, 3, 20 * 60)] },
    ])
    expect(lateEvents(events)).toEqual(['T1 1'])
    expect(events[0]!.details).toMatchObject({ seq: 1, lateMin: 11 })
  })

  it('names the school when that is the call reached late, to a tenth of a minute', () => {
    const [event] = judge([
      { trip, arrivals: [arrival(trip, 2, 5 * 60)] },
      { trip, arrivals: [arrival(trip, 3, 12 * 60 + 20)] },
    ])
    expect(event!.details).toMatchObject({ stopId: 'ST-S1', stopName: null, school: true, lateMin: 12.3 })
  })

  it('starts fresh on the next trip and on the same trip the next day', () => {
    const afternoon = { ...tripOn(0, 'T2'), startsAt: new Date(trip.endsAt.getTime() + minuteMs) }
    const tomorrow = tripOn(1)
    const events = judge([
      { trip, arrivals: [arrival(trip, 2, 12 * 60)] },
      { trip, arrivals: [arrival(trip, 3, 14 * 60)] },
      { trip: afternoon, arrivals: [arrival(afternoon, 3, 25 * 60)] },
      { trip: tomorrow, arrivals: [arrival(tomorrow, 1, 30)] },
      { trip: tomorrow, arrivals: [arrival(tomorrow, 3, 10 * 60)] },
    ])
    expect(lateEvents(events)).toEqual(['T1 2', 'T2 3', 'T1 3'])
    expect(events.map((event) => event.ts)).toEqual([
      arrival(trip, 2, 12 * 60).ts,
      arrival(afternoon, 3, 25 * 60).ts,
      arrival(tomorrow, 3, 10 * 60).ts,
    ])
  })

  it('judges nothing without a trip, at a call not of the trip, or at one without a planned time', () => {
    const untimed: RunningTrip = {
      ...trip,
      stops: trip.stops.map((stop) => (stop.seq === 2 ? { ...stop, arriveAt: undefined } : stop)),
    }
    expect(
      judge([
        { trip: undefined, arrivals: [arrival(trip, 2, 30 * 60)] },
        { trip, arrivals: [{ ts: arrival(trip, 2, 30 * 60).ts, seq: 9 }] },
        { trip: untimed, arrivals: [arrival(trip, 2, 30 * 60)] },
      ]),
    ).toEqual([])
  })

  it('takes its threshold from lateTripMin', () => {
    const steps = [{ trip, arrivals: [arrival(trip, 2, 5 * 60)] }]
    expect(judge(steps)).toEqual([])
    expect(lateEvents(judge(steps, { ...defaultEventRuleOptions, lateTripMin: 5 }))).toEqual(['T1 2'])
  })

  it('gives the same key when the trip is derived again from its arrivals, as after a handover', () => {
    const steps = [
      { trip, arrivals: [arrival(trip, 1, 10)] },
      { trip, arrivals: [arrival(trip, 2, 13 * 60)] },
      { trip, arrivals: [arrival(trip, 3, 16 * 60)] },
    ]
    const first = judge(steps)
    expect(first).toHaveLength(1)
    expect(judge(steps)).toEqual(first)
  })
})

import { describe, expect, it } from 'vitest'
import { mondayAt, sampleServiceDay, sampleSnapshot } from '../../../test/support/transit-service-day.js'
import { encodeFeed, feedToJson, gtfsRealtime } from './gtfs-realtime-message.js'
import type { LiveBusSnapshot } from './live-bus-snapshot.js'
import { listRunningTransitTrips } from './running-transit-trips.js'
import { buildTripUpdatesFeed } from './trip-updates-feed.js'

const now = mondayAt('07:06:00')
const [running] = listRunningTransitTrips(sampleServiceDay(), now)
const feedWith = (snapshot: LiveBusSnapshot | undefined) =>
  gtfsRealtime.FeedMessage.decode(encodeFeed(buildTripUpdatesFeed([{ running: running!, snapshot }], now)))
const etaWith = (stops: NonNullable<LiveBusSnapshot['eta']>['stops']) =>
  sampleSnapshot({ eta: { ...sampleSnapshot().eta!, stops } })

describe('buildTripUpdatesFeed', () => {
  it('gives the arrival at each stop ahead with a known ETA, and when the estimate was measured', () => {
    const feed = feedWith(sampleSnapshot())
    expect(feed.header.gtfsRealtimeVersion).toBe('2.0')
    expect(Number(feed.header.timestamp)).toBe(now.getTime() / 1000)
    const update = feed.entity[0]!.tripUpdate!
    expect(update.trip).toMatchObject({ tripId: 'L1-am1', routeId: 'L1', startDate: '20260302' })
    expect(update.vehicle).toMatchObject({ id: 'MB1', label: '浙B·D0001' })
    expect(Number(update.timestamp)).toBe(mondayAt('07:05:50').getTime() / 1000)
    // ST3 is expected at 07:10:20; GATE's ETA is unknown, so it has no update.
    expect(update.stopTimeUpdate!.map((u) => [u.stopSequence, u.stopId, Number(u.arrival!.time)])).toEqual([
      [3, 'ST3', mondayAt('07:10:20').getTime() / 1000],
    ])
  })

  it('orders the updates by stop_sequence and drops a stop that is not the trip’s call', () => {
    const feed = feedWith(
      etaWith([
        { seq: 4, stopId: 'GATE', etaTs: mondayAt('07:15:30').toISOString(), passed: false },
        { seq: 3, stopId: 'ST3', etaTs: mondayAt('07:10:20').toISOString(), passed: false },
        { seq: 5, stopId: 'ELSEWHERE', etaTs: mondayAt('07:20:00').toISOString(), passed: false },
      ]),
    )
    expect(feed.entity[0]!.tripUpdate!.stopTimeUpdate!.map((u) => u.stopSequence)).toEqual([3, 4])
  })

  it('has no update for a trip without a known ETA of this run', () => {
    expect(feedWith(undefined).entity).toEqual([])
    expect(feedWith(sampleSnapshot({ eta: null })).entity).toEqual([])
    expect(feedWith(sampleSnapshot({ tripId: 'L1-pm1' })).entity).toEqual([])
    expect(feedWith(etaWith(sampleSnapshot().eta!.stops.map((s) => ({ ...s, etaTs: null })))).entity).toEqual(
      [],
    )
    const stale = sampleSnapshot({
      eta: { ...sampleSnapshot().eta!, lastReportTs: mondayAt('06:45:00').toISOString() },
    })
    expect(feedWith(stale).entity).toEqual([])
  })

  it('reads as JSON with field and enum names', () => {
    const json = feedToJson(buildTripUpdatesFeed([{ running: running!, snapshot: sampleSnapshot() }], now))
    expect(json).toMatchObject({
      header: { gtfsRealtimeVersion: '2.0', incrementality: 'FULL_DATASET', timestamp: now.getTime() / 1000 },
      entity: [{ id: 'L1-am1', tripUpdate: { stopTimeUpdate: [{ stopSequence: 3, stopId: 'ST3' }] } }],
    })
  })
})

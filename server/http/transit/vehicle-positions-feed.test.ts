import { describe, expect, it } from 'vitest'
import { mondayAt, sampleServiceDay, sampleSnapshot } from '../../../test/support/transit-service-day.js'
import { encodeFeed, gtfsRealtime } from './gtfs-realtime-message.js'
import { listRunningTransitTrips } from './running-transit-trips.js'
import { buildVehiclePositionsFeed } from './vehicle-positions-feed.js'
import type { LiveBusSnapshot } from './live-bus-snapshot.js'

const now = mondayAt('07:06:00')
const [running] = listRunningTransitTrips(sampleServiceDay(), now)
const feedWith = (snapshot: LiveBusSnapshot | undefined) =>
  gtfsRealtime.FeedMessage.decode(
    encodeFeed(buildVehiclePositionsFeed([{ running: running!, snapshot }], now)),
  )

describe('buildVehiclePositionsFeed', () => {
  it('places the bus on its trip with its fix, bearing, speed in m/s and the stop ahead', () => {
    const feed = feedWith(sampleSnapshot())
    expect(feed.header.gtfsRealtimeVersion).toBe('2.0')
    expect(feed.header.incrementality).toBe(gtfsRealtime.FeedHeader.Incrementality.FULL_DATASET)
    expect(Number(feed.header.timestamp)).toBe(now.getTime() / 1000)
    expect(feed.entity).toHaveLength(1)
    const vehicle = feed.entity[0]!.vehicle!
    expect(vehicle.trip).toMatchObject({ tripId: 'L1-am1', routeId: 'L1', startDate: '20260302' })
    expect(vehicle.vehicle).toMatchObject({ id: 'MB1', label: '浙B·D0001' })
    expect(vehicle.position!.latitude).toBeCloseTo(30.1712, 5)
    expect(vehicle.position!.longitude).toBeCloseTo(121.248, 5)
    expect(vehicle.position!.bearing).toBeCloseTo(95)
    expect(vehicle.position!.speed).toBeCloseTo(10)
    expect(Number(vehicle.timestamp)).toBe(mondayAt('07:05:50').getTime() / 1000)
    expect(vehicle).toMatchObject({ currentStopSequence: 3, stopId: 'ST3' })
  })

  it('leaves out a bus without a fix of this run, or on another trip by the live channel', () => {
    expect(feedWith(undefined).entity).toEqual([])
    expect(feedWith(sampleSnapshot({ position: null })).entity).toEqual([])
    const beforeRun = { ...sampleSnapshot().position!, ts: mondayAt('06:40:00').toISOString() }
    expect(feedWith(sampleSnapshot({ position: beforeRun, tripId: null, eta: null })).entity).toEqual([])
    expect(feedWith(sampleSnapshot({ tripId: 'SB-early' })).entity).toEqual([])
  })

  it('gives a fix without ETA, heading or speed as far as it is known', () => {
    const position = { ...sampleSnapshot().position!, headingDeg: null, speedKmh: null }
    const vehicle = feedWith(sampleSnapshot({ position, tripId: null, eta: null })).entity[0]!.vehicle!
    expect(vehicle.position!.bearing).toBe(0)
    expect(vehicle.position!.speed).toBe(0)
    const json = gtfsRealtime.VehiclePosition.toObject(
      vehicle as InstanceType<typeof gtfsRealtime.VehiclePosition>,
    )
    expect(json.position).toEqual({ latitude: expect.any(Number), longitude: expect.any(Number) })
    expect(json).not.toHaveProperty('stopId')
  })
})

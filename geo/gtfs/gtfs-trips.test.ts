import { describe, expect, it } from 'vitest'
import { parseGtfsTrips } from './gtfs-trips.js'

describe('GTFS trips', () => {
  it('reads each trip with its shape and direction', () => {
    const text =
      'route_id,service_id,trip_id,trip_headsign,direction_id,block_id,shape_id\n' +
      'C53,4,1115100,North to Woodley Park,0,S600,C53:04\nC53,4,2,,,,\n'
    expect(parseGtfsTrips(text)).toEqual([
      {
        tripId: '1115100',
        routeId: 'C53',
        serviceId: '4',
        shapeId: 'C53:04',
        directionId: '0',
        headsign: 'North to Woodley Park',
        blockId: 'S600',
      },
      {
        tripId: '2',
        routeId: 'C53',
        serviceId: '4',
        shapeId: '',
        directionId: '',
        headsign: '',
        blockId: '',
      },
    ])
  })
})

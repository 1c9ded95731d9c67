import { describe, expect, it } from 'vitest'
import { parseGtfsStops } from './gtfs-stops.js'

describe('GTFS stops', () => {
  it('reads each stop with its place', () => {
    const text =
      'stop_id,stop_code,stop_name,stop_lat,stop_lon\n2584,1000181,Alabama Av SE+15 Pl SE,38.846073,-76.982918\n'
    expect(parseGtfsStops(text)).toEqual([
      { stopId: '2584', name: 'Alabama Av SE+15 Pl SE', lat: 38.846073, lon: -76.982918 },
    ])
  })

  it('refuses a stop without a place', () => {
    expect(() => parseGtfsStops('stop_id,stop_lat,stop_lon\n1,,\n')).toThrow(RangeError)
  })
})

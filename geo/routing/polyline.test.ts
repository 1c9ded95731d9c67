import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decodePolyline } from './polyline.js'
import { OSRM_RECORDINGS_DIR } from '../../test/support/test-data.js'

describe('decodePolyline', () => {
  it('decodes the example of the format description', () => {
    expect(decodePolyline('_p~iF~ps|U_ulLnnqC_mqNvxq`@', 5)).toEqual([
      [-120.2, 38.5],
      [-120.95, 40.7],
      [-126.453, 43.252],
    ])
  })

  it('decodes OSRM polyline6 geometry from the waypoint where the route starts to the one where it ends', () => {
    const answer = JSON.parse(readFileSync(`${OSRM_RECORDINGS_DIR}route-via.json`, 'utf8')) as {
      routes: { geometry: string }[]
      waypoints: { location: [number, number] }[]
    }
    const line = decodePolyline(answer.routes[0]!.geometry, 6)
    expect(line[0]).toEqual(answer.waypoints[0]!.location)
    expect(line[line.length - 1]).toEqual(answer.waypoints[answer.waypoints.length - 1]!.location)
    expect(line).toContainEqual(answer.waypoints[1]!.location)
  })

  it('refuses a string cut inside a number', () => {
    expect(() => decodePolyline('_p~iF~ps|U_', 5)).toThrow(/ends inside a number/)
  })
})

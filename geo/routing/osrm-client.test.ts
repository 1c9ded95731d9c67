import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createOsrmRouter, type OsrmRouterOptions } from './osrm-client.js'
import { toGeoError } from './osrm-errors.js'
import { osrmErrorSchema } from './osrm-responses.js'
import { GeoError } from '../geo-error.js'
import type { LatLon } from '../lat-lon.js'
import {
  isSameOsrmQuestion,
  readOsrmRecordings,
  startOsrmReplayServer,
  type OsrmReplayServer,
} from '../../test/support/osrm-replay-server.js'
import { readMonacoContractSamples } from '../../test/support/monaco-contract-samples.js'
import { OSRM_RECORDINGS_DIR } from '../../test/support/test-data.js'

const recordings = readOsrmRecordings(OSRM_RECORDINGS_DIR)
const recording = (name: string) => recordings.find((candidate) => candidate.name === name)!
const answerOf = (name: string) => JSON.parse(recording(name).body)
const samples = readMonacoContractSamples(recordings)
const [a, b, c] = samples.points as [LatLon, LatLon, LatLon]

let server: OsrmReplayServer
let sleeps: number[]
const createRouter = (options: Partial<OsrmRouterOptions> = {}) =>
  createOsrmRouter({
    baseUrl: `${server.baseUrl}/`,
    sleep: async (ms) => void sleeps.push(ms),
    ...options,
  })

async function catchGeoError(call: Promise<unknown>): Promise<GeoError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(GeoError)
  return error as GeoError
}

beforeAll(async () => {
  server = await startOsrmReplayServer(recordings)
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
  server.faults.length = 0
  sleeps = []
})

describe('OSRM client against recorded answers', () => {
  it('asks exactly the recorded questions', async () => {
    const geojson = createRouter({ geometries: 'geojson' })
    await geojson.nearest(a, { number: samples.nearestCount })
    await geojson.route([a, c])
    await createRouter({ geometries: 'polyline6' }).route([a, b, c])
    await geojson.table(samples.points)
    await geojson.table(samples.points, samples.tableSubset)
    await geojson.match(samples.trace)
    const names = [
      'nearest',
      'route-two-points',
      'route-via',
      'table-4x4',
      'table-sources-destinations',
      'match-trace',
    ]
    expect(server.requests).toHaveLength(names.length)
    server.requests.forEach((path, i) =>
      expect(isSameOsrmQuestion(recording(names[i]!), path), path).toBe(true),
    )
  })

  it('reads a polyline6 route with its legs and waypoints', async () => {
    const route = await createRouter({ geometries: 'polyline6' }).route([a, b, c])
    const answer = answerOf('route-via')
    expect(route.durationS).toBe(answer.routes[0].duration)
    expect(route.legs.map((leg) => leg.durationS)).toEqual(
      answer.routes[0].legs.map((leg: { duration: number }) => leg.duration),
    )
    expect(route.waypoints.map((waypoint) => [waypoint.location.lon, waypoint.location.lat])).toEqual(
      answer.waypoints.map((waypoint: { location: [number, number] }) => waypoint.location),
    )
    expect(route.geometry.coordinates[0]).toEqual(answer.waypoints[0].location)
    expect(route.waypoints[1]!.name).toBeUndefined()
  })

  it('sends radiuses when given, so OSRM refuses a far point, and names it', async () => {
    const error = await catchGeoError(
      createRouter().route([a, samples.farPoint], { radiusM: samples.farRadiusM }),
    )
    expect(error).toMatchObject({ code: 'outside_network', field: 'points[1]' })
    expect(server.requests[0]).toMatch(/radiuses=25;25/)
    expect(sleeps).toEqual([])
  })

  it('refuses an answer that snapped a point farther than the default radius', async () => {
    server.substitutes.push('route-far-point-snapped')
    const error = await catchGeoError(createRouter().route([a, { lat: 0, lon: 0 }]))
    expect(error).toMatchObject({ code: 'outside_network', field: 'points[1]' })
    expect(error.message).toMatch(/4899738 m/)
    expect(server.requests[0]).not.toMatch(/radiuses/)
  })

  it('refuses an answer of the wrong shape as the router being unavailable', async () => {
    server.substitutes.push('nearest')
    expect(await catchGeoError(createRouter().route([a, c]))).toMatchObject({ code: 'router_unavailable' })
  })

  it('checks coordinates before asking, and maps OSRM error codes', async () => {
    const error = await catchGeoError(createRouter().route([a, { lat: 999, lon: 999 }]))
    expect(error).toMatchObject({ code: 'invalid_input', field: 'points[1]' })
    expect(server.requests).toEqual([])
    const recorded = osrmErrorSchema.parse(answerOf('bad-coordinates'))
    expect(toGeoError(recorded, (i) => `points[${i}]`).code).toBe('invalid_input')
    const noSegment = osrmErrorSchema.parse(answerOf('table-no-segment'))
    expect(toGeoError(noSegment, (i) => `points[${i}]`)).toMatchObject({
      code: 'outside_network',
      field: 'points[1]',
    })
    for (const [code, geoCode] of [
      ['NoRoute', 'no_route'],
      ['NoMatch', 'no_route'],
      ['TooBig', 'too_large'],
      ['InvalidOptions', 'invalid_input'],
      ['Surprise', 'router_unavailable'],
    ]) {
      expect(toGeoError({ code: code! }, (i) => `points[${i}]`).code).toBe(geoCode)
    }
  })

  it('retries a 5xx and a dropped connection with exponential backoff', async () => {
    server.faults.push('http-503', 'drop-connection')
    const table = await createRouter({ retries: 2 }).table(samples.points)
    expect(table.durationsS).toEqual(answerOf('table-4x4').durations)
    expect(server.requests).toHaveLength(3)
    expect(sleeps).toEqual([200, 400])
  })

  it('gives up after the last retry, and on a timeout', async () => {
    server.faults.push('http-503', 'http-503')
    const overloaded = await catchGeoError(createRouter({ retries: 1 }).nearest(a))
    expect(overloaded).toMatchObject({ code: 'router_unavailable' })
    expect(overloaded.message).toMatch(/2 attempts \(last: HTTP 503\)/)
    server.requests.length = 0
    server.faults.push('no-answer')
    const silent = await catchGeoError(createRouter({ retries: 0, timeoutMs: 150 }).nearest(a))
    expect(silent.message).toMatch(/no answer within 150 ms/)
    expect(server.requests).toHaveLength(1)
  })

  it('does not retry a 4xx: it is OSRM saying no', async () => {
    await catchGeoError(
      createRouter({ retries: 3 }).table([a, samples.farPoint], { radiusM: samples.farRadiusM }),
    )
    expect(server.requests).toHaveLength(1)
    expect(sleeps).toEqual([])
  })
})

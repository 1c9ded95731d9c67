import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createGraphRouter } from './graph-router.js'
import { GeoError } from '../geo-error.js'
import type { LatLon } from '../lat-lon.js'
import { measureDistanceM } from './earth-distance.js'
import { readMonacoContractSamples } from '../../test/support/monaco-contract-samples.js'
import { readOsrmRecordings } from '../../test/support/osrm-replay-server.js'
import { loadMonacoNetwork, OSRM_RECORDINGS_DIR } from '../../test/support/test-data.js'

const network = loadMonacoNetwork()
const router = createGraphRouter(network, { maxTablePoints: 50 })
const samples = readMonacoContractSamples(readOsrmRecordings(OSRM_RECORDINGS_DIR))
const [a, b, c] = samples.points as [LatLon, LatLon, LatLon]
const recorded = (name: string) => JSON.parse(readFileSync(`${OSRM_RECORDINGS_DIR}${name}.json`, 'utf8'))

async function catchGeoError(call: Promise<unknown>): Promise<GeoError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(GeoError)
  return error as GeoError
}

describe('graph router on Monaco', () => {
  it('reports how much of the network it left out', () => {
    expect(router.engine).toBe('graph')
    expect(router.stats.droppedNodeCount).toBeGreaterThan(0)
    expect(router.stats.nodeCount).toBeGreaterThan(1000)
  })

  it('routes through a via point with one leg per pair of points', async () => {
    const direct = await router.route([a, c])
    const via = await router.route([a, b, c])
    expect(via.legs).toHaveLength(2)
    expect(via.waypoints).toHaveLength(3)
    expect(via.distanceM).toBeCloseTo(via.legs[0]!.distanceM + via.legs[1]!.distanceM, 6)
    expect(via.durationS).toBeGreaterThanOrEqual(direct.durationS)
    const [first, second] = await Promise.all([router.route([a, b]), router.route([b, c])])
    expect(via.legs[0]!.durationS).toBeCloseTo(first.durationS, 6)
    expect(via.legs[1]!.durationS).toBeCloseTo(second.durationS, 6)
  })

  it('finds road distances within 5 % of what OSRM found on the same extract', async () => {
    const table = await router.table(samples.points)
    const osrm = recorded('table-4x4') as { distances: number[][] }
    osrm.distances.forEach((row, i) =>
      row.forEach((osrmM, j) => {
        if (i === j) return
        expect(Math.abs(table.distancesM[i]![j]! - osrmM) / osrmM, `${i}→${j}`).toBeLessThan(0.05)
      }),
    )
  })

  it('matches the recorded trace onto the same streets as OSRM did', async () => {
    const matched = await router.match(samples.trace)
    const osrm = recorded('match-trace') as {
      tracepoints: ({ location: [number, number]; name: string } | null)[]
      matchings: { distance: number }[]
    }
    osrm.tracepoints.forEach((point, i) => {
      const ours = matched.tracepoints[i]
      if (!point || !ours) return
      expect(
        measureDistanceM(ours.location, { lon: point.location[0], lat: point.location[1] }),
      ).toBeLessThan(5)
      expect(ours.name).toBe(point.name)
    })
    expect(Math.abs(matched.distanceM - osrm.matchings[0]!.distance) / matched.distanceM).toBeLessThan(0.02)
  })

  it('leaves a fix far from any road unmatched, and refuses a trace with nothing to match', async () => {
    const sea = { lat: 43.7395, lon: 7.4335 }
    const trace = samples.trace.map((fix, i) => (i === 6 ? { ...fix, ...sea } : fix))
    const [clean, noisy] = await Promise.all([router.match(samples.trace), router.match(trace)])
    expect(noisy.tracepoints[6]).toBeNull()
    expect(noisy.tracepoints.filter((point) => point === null)).toHaveLength(1)
    expect(noisy.confidence).toBeLessThan(clean.confidence)
    const adrift = samples.trace.slice(0, 2).map((fix) => ({ ...fix, ...sea }))
    expect(await catchGeoError(router.match(adrift))).toMatchObject({ code: 'no_route', field: 'trace' })
  })

  it('respects one-way streets', async () => {
    const candidates = network.ways.filter(
      (way) => way.oneway && way.coords.length === 2 && isLongEnough(way.coords),
    )
    let stretch: [LatLon, LatLon] | undefined
    for (const way of candidates) {
      const [[lon0, lat0], [lon1, lat1]] = way.coords as [[number, number], [number, number]]
      const along = (t: number): LatLon => ({ lon: lon0 + t * (lon1 - lon0), lat: lat0 + t * (lat1 - lat0) })
      const onGraph = await router.nearest(along(0.5)).then((snapped) => snapped.distanceM < 0.01)
      if (onGraph) {
        stretch = [along(0.3), along(0.7)]
        break
      }
    }
    expect(stretch).toBeDefined()
    const [p, q] = stretch!
    const forward = await router.route([p, q])
    const backward = await router.route([q, p])
    expect(forward.distanceM).toBeCloseTo(measureDistanceM(p, q), 0)
    expect(backward.distanceM).toBeGreaterThan(forward.distanceM * 2)
    expect(backward.durationS).toBeGreaterThan(forward.durationS)
  })

  it('answers zero from a point to itself and between two points of one road', async () => {
    const table = await router.table([a, a, b])
    expect(table.durationsS[0]![1]).toBe(0)
    expect(table.durationsS[2]![2]).toBe(0)
  })

  it('tells swapped coordinates from far ones and names the field', async () => {
    const swapped = await catchGeoError(router.route([a, { lat: b.lon, lon: b.lat }]))
    expect(swapped).toMatchObject({ code: 'invalid_input', field: 'points[1]' })
    expect(swapped.message).toMatch(/swapped/)
    const far = await catchGeoError(router.nearest({ lat: 48.85, lon: 2.35 }))
    expect(far).toMatchObject({ code: 'outside_network', field: 'point' })
    const offRoad = await catchGeoError(router.nearest({ lat: 43.7395, lon: 7.4335 }, { radiusM: 50 }))
    expect(offRoad).toMatchObject({ code: 'outside_network', field: 'point' })
  })

  it('refuses bad table and nearest options, naming the field', async () => {
    const points = Array.from({ length: 51 }, (_, i) => ({ lat: a.lat + i * 1e-5, lon: a.lon }))
    expect(await catchGeoError(router.table(points))).toMatchObject({ code: 'too_large', field: 'points' })
    expect(await catchGeoError(router.table([a, b], { sources: [0, 0] }))).toMatchObject({
      field: 'sources[1]',
    })
    expect(await catchGeoError(router.table([a, b], { destinations: [] }))).toMatchObject({
      field: 'destinations',
    })
    expect(await catchGeoError(router.nearest(a, { number: 0 }))).toMatchObject({ field: 'number' })
    expect(await catchGeoError(router.route([a, { lat: Infinity, lon: 7 }]))).toMatchObject({
      field: 'points[1]',
    })
  })

  it('refuses traces whose timestamps go back or are partial', async () => {
    const trace = samples.trace.map((fix) => ({ ...fix }))
    trace[3]!.timestampS = trace[2]!.timestampS! - 1
    expect(await catchGeoError(router.match(trace))).toMatchObject({ field: 'trace[3].timestampS' })
    const partial = samples.trace.map(({ timestampS, ...fix }, i) => (i === 0 ? { ...fix, timestampS } : fix))
    expect(await catchGeoError(router.match(partial))).toMatchObject({ field: 'trace' })
  })
})

function isLongEnough(coords: [number, number][]): boolean {
  const [[lon0, lat0], [lon1, lat1]] = coords as [[number, number], [number, number]]
  return measureDistanceM({ lon: lon0, lat: lat0 }, { lon: lon1, lat: lat1 }) > 80
}

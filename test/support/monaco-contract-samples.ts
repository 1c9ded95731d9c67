import type { LatLon } from '../../geo/lat-lon.js'
import type { OsrmRecording } from './osrm-replay-server.js'
import type { RouterContractSamples } from './router-contract.js'

/**
 * Test support: the router contract's questions, read from the recorded OSRM requests on Monaco
 * so that the replay can answer them and the graph router is asked exactly the same.
 */
export function readMonacoContractSamples(recordings: OsrmRecording[]): RouterContractSamples {
  const request = (name: string) => {
    const recording = recordings.find((candidate) => candidate.name === name)
    if (!recording) throw new Error(`no recorded request named ${name}`)
    const [pathname = '', search = ''] = recording.path.split('?')
    const points = pathname
      .split('/')[4]!
      .split(';')
      .map((pair): LatLon => {
        const [lon, lat] = pair.split(',').map(Number)
        return { lat: lat!, lon: lon! }
      })
    return { points, options: new URLSearchParams(search) }
  }
  const numbers = (value: string | null) => (value ?? '').split(';').map(Number)
  const indexOf = (points: LatLon[], point: LatLon) => {
    const index = points.findIndex((candidate) => candidate.lat === point.lat && candidate.lon === point.lon)
    if (index === -1)
      throw new Error(`recorded point ${point.lat},${point.lon} is not among the table's points`)
    return index
  }

  const table = request('table-4x4')
  const route = request('route-two-points')
  const subset = request('table-sources-destinations')
  const nearest = request('nearest')
  const far = request('route-no-segment')
  const match = request('match-trace')
  indexOf(table.points, nearest.points[0]!)
  const timestamps = numbers(match.options.get('timestamps'))
  const accuracies = numbers(match.options.get('radiuses'))
  return {
    points: table.points,
    routeBetween: [indexOf(table.points, route.points[0]!), indexOf(table.points, route.points[1]!)],
    tableSubset: {
      sources: numbers(subset.options.get('sources')),
      destinations: numbers(subset.options.get('destinations')),
    },
    nearestCount: Number(nearest.options.get('number')),
    farPoint: far.points[1]!,
    farRadiusM: numbers(far.options.get('radiuses'))[1]!,
    trace: match.points.map((point, i) => ({
      ...point,
      timestampS: timestamps[i]!,
      accuracyM: accuracies[i]!,
    })),
  }
}

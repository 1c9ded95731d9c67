import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import type { LatLon } from '../../geo/lat-lon.js'
import { createLocalProjection, haversineM } from '../../geo/routing/earth-distance.js'
import { POLAND_GPS_TRACES } from './test-data.js'
import type { PositionRow } from '../../server/core/broker/telemetry-rows.js'

let tracks: Map<string, LatLon[]> | undefined

/** Every track of the file, by TrackID, its fixes in file order. */
export function readPolandTracks(): Map<string, LatLon[]> {
  if (tracks) return tracks
  tracks = new Map()
  const lines = gunzipSync(readFileSync(POLAND_GPS_TRACES)).toString('utf8').trim().split('\n')
  for (const line of lines.slice(1)) {
    const [trackId, lat, lon] = line.split(',')
    const track = tracks.get(trackId!) ?? []
    track.push({ lat: Number(lat), lon: Number(lon) })
    tracks.set(trackId!, track)
  }
  return tracks
}

/**
 * Moves a track rigidly so that it starts at `start`: each fix keeps its offset in metres east and
 * north of the first fix, so distances, turns and noise stay as recorded.
 */
export function shiftTrack(track: readonly LatLon[], start: LatLon): LatLon[] {
  const from = createLocalProjection(track[0]!.lat, track[0]!.lon)
  const to = createLocalProjection(start.lat, start.lon)
  return track.map((fix) => ({ lat: to.lat(from.yM(fix.lat)), lon: to.lon(from.xM(fix.lon)) }))
}

/**
 * The fixes as a terminal would report them, one every `intervalS` from `startTs`. The file has no
 * speed or heading, so each is taken from the previous fix to this one: raw, as noisy as the fixes.
 */
export function toPositionRows(
  track: readonly LatLon[],
  options: { busId: string; startTs: Date; intervalS: number },
): PositionRow[] {
  return track.map((fix, i) => {
    const previous = track[i - 1]
    const distanceM = previous ? haversineM(previous.lat, previous.lon, fix.lat, fix.lon) : 0
    const heading =
      previous && distanceM > 1
        ? (Math.atan2(
            (fix.lon - previous.lon) * Math.cos((fix.lat * Math.PI) / 180),
            fix.lat - previous.lat,
          ) *
            180) /
          Math.PI
        : null
    return {
      busId: options.busId,
      ts: new Date(options.startTs.getTime() + i * options.intervalS * 1000),
      lat: fix.lat,
      lon: fix.lon,
      speedKmh: (distanceM / options.intervalS) * 3.6,
      headingDeg: heading === null ? null : (heading + 360) % 360,
      altM: null,
      accuracyM: null,
      ignition: true,
      seq: i,
    }
  })
}

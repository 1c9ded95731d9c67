import type { LatLon } from '../../../geo/lat-lon.js'
import { haversineM } from '../../../geo/routing/earth-distance.js'

export interface StandstillFix extends LatLon {
  tsMs: number
  ignition: boolean | null
}

export interface NamedPlace extends LatLon {
  kind: 'last_stop' | 'depot'
}

/**
 * Whether a bus has stood with its engine off at one of `places` for at least `afterS`, up to
 * `nowMs`: every fix since then off and within `radiusM` of the place, and the silence after the
 * last fix no longer than `maxGapS` (a terminal still reporting while parked). Returns when the
 * standstill began and where, or null. Fixes in time order.
 */
export function findEngineOffStandstill<Place extends NamedPlace>(
  fixes: readonly StandstillFix[],
  places: readonly Place[],
  options: { nowMs: number; afterS: number; radiusM: number; maxGapS: number },
): { sinceMs: number; place: Place } | null {
  const last = fixes.at(-1)
  if (!last || options.nowMs - last.tsMs > options.maxGapS * 1000) return null
  const place = places.find((p) => haversineM(p.lat, p.lon, last.lat, last.lon) <= options.radiusM)
  if (!place) return null
  let sinceMs: number | undefined
  for (let i = fixes.length - 1; i >= 0; i--) {
    const fix = fixes[i]!
    if (fix.ignition !== false || haversineM(place.lat, place.lon, fix.lat, fix.lon) > options.radiusM) break
    sinceMs = fix.tsMs
  }
  if (sinceMs === undefined || options.nowMs - sinceMs < options.afterS * 1000) return null
  return { sinceMs, place }
}

import type { LatLon } from '../../geo/lat-lon.js'
import { createLocalProjection } from '../../geo/routing/earth-distance.js'
import { createSeededRandom, type SeededRandom } from '../../geo/random/seeded-random.js'
import type { Range } from './simulation-settings.js'

/**
 * Congestion that has nothing to do with the router's travel times: random episodes by time of day
 * and place, so that an ETA model scored on simulated days meets delays it did not assume.
 */
export interface TrafficModel {
  /** 1 in free traffic; lower where and while traffic is slow. */
  speedFactorAt(lat: number, lon: number, atMs: number): number
}

export interface TrafficOptions {
  seed: number
  /** Any point of the area: the grid of places is laid out from it. */
  origin: LatLon
  /** Places where traffic jams more often: school gates at the start and end of the day. */
  hotspots: readonly LatLon[]
  cellSizeM: number
  /** Episodes started per cell and hour at an ordinary time of day. */
  episodesPerCellHour: number
  hotspotRadiusM: number
  /** How many times more often traffic jams near a hotspot. */
  hotspotWeight: number
  episodeS: Range
  /** The speed factor inside an episode. */
  episodeFactor: Range
}

export const defaultTrafficOptions: Omit<TrafficOptions, 'seed' | 'origin' | 'hotspots'> = {
  cellSizeM: 800,
  episodesPerCellHour: 0.12,
  hotspotRadiusM: 600,
  hotspotWeight: 3,
  episodeS: [120, 900],
  episodeFactor: [0.2, 0.65],
}

/** How busy each local hour is compared with an ordinary one: two peaks, a midday bump, quiet nights. */
const HOUR_WEIGHTS = [
  0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.6, 2.5, 2.0, 1.0, 0.8, 1.0, 1.2, 0.9, 0.8, 1.2, 2.0, 2.5, 1.8, 1.0, 0.6,
  0.4, 0.2, 0.2,
]
/** Beyond the episodes, how much the general peak-hour traffic slows everyone per unit of weight. */
const PEAK_SLOWDOWN = 0.06
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000
const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

interface Episode {
  startMs: number
  endMs: number
  factor: number
}

export function createTrafficModel(
  options: Partial<TrafficOptions> & Pick<TrafficOptions, 'seed' | 'origin' | 'hotspots'>,
): TrafficModel {
  const settings: TrafficOptions = { ...defaultTrafficOptions, ...options }
  const projection = createLocalProjection(settings.origin.lat, settings.origin.lon)
  const root = createSeededRandom(settings.seed).fork('traffic')
  const hotspotsM = settings.hotspots.map((p) => ({ x: projection.xM(p.lon), y: projection.yM(p.lat) }))
  const byDay = new Map<number, Map<number, Episode[]>>()

  const placeWeight = (cx: number, cy: number) => {
    const x = (cx + 0.5) * settings.cellSizeM
    const y = (cy + 0.5) * settings.cellSizeM
    const near = hotspotsM.some((h) => Math.hypot(h.x - x, h.y - y) <= settings.hotspotRadiusM)
    return near ? settings.hotspotWeight : 1
  }

  const episodesOf = (day: number, cx: number, cy: number): Episode[] => {
    let cells = byDay.get(day)
    if (!cells) {
      // Days only move forward in a simulation; keep yesterday's for episodes read just after midnight.
      for (const old of byDay.keys()) if (old < day - 1) byDay.delete(old)
      cells = new Map()
      byDay.set(day, cells)
    }
    const key = cx * 100_003 + cy
    let episodes = cells.get(key)
    if (!episodes) {
      episodes = drawEpisodes(root.fork(`${day}:${cx}:${cy}`), day, placeWeight(cx, cy), settings)
      cells.set(key, episodes)
    }
    return episodes
  }

  return {
    speedFactorAt(lat, lon, atMs) {
      const localMs = atMs + SHANGHAI_OFFSET_MS
      const day = Math.floor(localMs / DAY_MS)
      const hourWeight = HOUR_WEIGHTS[Math.floor((localMs - day * DAY_MS) / HOUR_MS)]!
      let factor = 1 / (1 + PEAK_SLOWDOWN * Math.max(0, hourWeight - 1))
      const cx = Math.floor(projection.xM(lon) / settings.cellSizeM)
      const cy = Math.floor(projection.yM(lat) / settings.cellSizeM)
      for (const episode of episodesOf(day, cx, cy)) {
        if (episode.startMs <= atMs && atMs < episode.endMs) factor = Math.min(factor, episode.factor)
      }
      return factor
    },
  }
}

function drawEpisodes(
  random: SeededRandom,
  day: number,
  placeWeight: number,
  settings: TrafficOptions,
): Episode[] {
  const episodes: Episode[] = []
  const dayStartMs = day * DAY_MS - SHANGHAI_OFFSET_MS
  HOUR_WEIGHTS.forEach((hourWeight, hour) => {
    const count = drawPoisson(random, settings.episodesPerCellHour * hourWeight * placeWeight)
    for (let i = 0; i < count; i++) {
      const startMs = dayStartMs + hour * HOUR_MS + random.next() * HOUR_MS
      episodes.push({
        startMs,
        endMs: startMs + random.between(...settings.episodeS) * 1000,
        factor: random.between(...settings.episodeFactor),
      })
    }
  })
  return episodes
}

/** Knuth's method: fine for the small means of episodes per hour. */
function drawPoisson(random: SeededRandom, mean: number): number {
  const limit = Math.exp(-mean)
  let count = 0
  let product = random.next()
  while (product > limit) {
    count++
    product *= random.next()
  }
  return count
}

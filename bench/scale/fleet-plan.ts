import type { LatLon } from '../../geo/lat-lon.js'
import type { PublishedReport } from './expected-events.js'

/** One second of a bench bus's drive: where it is, how fast it goes, and what its terminal sends. */
export interface DriveStep {
  lat: number
  lon: number
  speedKmh: number
  /** Direction of travel; null standing still. */
  headingDeg: number | null
  /** False inside a planned silence: the terminal sends nothing that second. */
  reports: boolean
  /** A limiter report sent with this second's fix, dated the same instant. */
  limiter?: 'active' | 'disabled'
}

/** A bench bus: its drive second by second, and the stops it stands at, which its trip calls at. */
export interface BusPlan {
  index: number
  busId: string
  tripId: string
  pupilId: string
  guardianId: string
  /**
   * The bus's trip began long before the run (more than the silence threshold): the terminal is
   * silent from the trip's start until its first report, a silence the events part raises as soon
   * as it ticks.
   */
  silentAtStart: boolean
  /** Seconds of the run without reports, in the middle: a silence longer than the threshold. */
  gap: { fromS: number; toS: number } | null
  steps: DriveStep[]
  /** Where the bus stands still during the run, in order: the trip's stops but the last. */
  stops: LatLon[]
  /** The trip's last stop, beyond the end of the drive: the school, never reached in the run. */
  school: LatLon
}

export interface FleetPlanOptions {
  /** Starts every bus id, so that runs sharing a broker or a Redis never see each other's buses. */
  idPrefix: string
  buses: number
  seconds: number
  /** The events rules' silence threshold: a planned gap lasts longer than it, by a margin. */
  silentAfterS: number
}

/**
 * The Cixi city centre. The fixture roads run in an east-west band through it, so the buses drive
 * east along it, from starts spread over its length, and stay near roads (the ETA needs them).
 */
export const fleetCentre: LatLon = { lat: 30.17, lon: 121.265 }
/** Fast enough that nowhere in the fixture roads or the school-bus rules is it allowed (80 km/h at most). */
export const overSpeedKmh = 110
/** Slow enough that the rules never look the road up: under every posted and hazard limit. */
export const cruiseKmh = 20
/** A planned mid-run silence lasts this much longer than the threshold, so when the rules tick does not matter. */
const gapMarginS = 25
const metresPerDegreeLat = 111_195
const metresPerDegreeLon = metresPerDegreeLat * Math.cos((fleetCentre.lat * Math.PI) / 180)
const lanesPerRow = 50
/** Heading of the drive: east. */
const headingDeg = 90

/** A bus of the fleet that runs no trip: its reports only tell that telemetry is being stored. */
export const probeBusIdOf = (idPrefix: string) => `${idPrefix}-probe`

type Segment = { kind: 'stand' | 'cruise' | 'speed' | 'after'; seconds: number; kmh: number }

/**
 * The buses' drives: each repeats stand at a stop (3 s), cruise (6 s), an over-speed episode at
 * 110 km/h (6 to 9 s, so longer than the rule's minimum), cruise (8 s). Every fifth bus drives every
 * other episode as a 2-second burst, too short to count; every third bus switches its limiter off
 * for a few seconds of the cruise after every other episode; every fourth bus is silent: its trip
 * began long before the run and, when the run is long enough, it sends nothing for a while in the
 * middle. The buses start their cycles at different points, so they do not all stop at once.
 */
export function planFleet(options: FleetPlanOptions): BusPlan[] {
  return Array.from({ length: options.buses }, (_, index) => planBus(index, options))
}

function planBus(index: number, options: FleetPlanOptions): BusPlan {
  const { seconds, silentAfterS } = options
  const busId = `${options.idPrefix}-${String(index + 1).padStart(4, '0')}`
  const lane = index % lanesPerRow
  const row = Math.floor(index / lanesPerRow)
  const origin = {
    lat: fleetCentre.lat - 0.01 + (row % 5) * 0.005,
    lon: 121.12 + lane * 0.006 + Math.floor(row / 5) * 0.003,
  }
  const silent = index % 4 === 1
  const gapS = silentAfterS + gapMarginS
  const gap =
    silent && seconds >= gapS + 20
      ? { fromS: Math.floor((seconds - gapS) / 2), toS: Math.floor((seconds - gapS) / 2) + gapS }
      : null

  const segments = drivingCycles(index)
  const offset = (index * 7) % 23
  const steps: DriveStep[] = []
  const stops: LatLon[] = []
  let eastM = 0
  let skipped = 0
  let previous: Segment | undefined
  for (const { segment, cycle, second } of segments) {
    if (skipped++ < offset) continue
    if (steps.length === seconds) break
    const k = steps.length
    const place = { lat: origin.lat, lon: origin.lon + eastM / metresPerDegreeLon }
    if (segment.kind === 'stand' && previous !== segment) stops.push(place)
    previous = segment
    let limiter: DriveStep['limiter']
    if (k === 0) limiter = 'active'
    else if (index % 3 === 0 && segment.kind === 'after' && cycle % 2 === 0) {
      if (second === 2) limiter = 'disabled'
      if (second === 6) limiter = 'active'
    }
    const reports = !gap || k < gap.fromS || k >= gap.toS
    const heading = segment.kmh > 0 ? headingDeg : null
    steps.push({
      ...place,
      speedKmh: segment.kmh,
      headingDeg: heading,
      reports,
      ...(limiter && reports ? { limiter } : {}),
    })
    eastM += segment.kmh / 3.6
  }
  if (stops.length === 0) stops.push({ lat: origin.lat, lon: origin.lon - 1000 / metresPerDegreeLon })
  const school = { lat: origin.lat, lon: origin.lon + (eastM + 1500) / metresPerDegreeLon }
  return {
    index,
    busId,
    tripId: `${busId}-trip`,
    pupilId: `${busId}-pupil`,
    guardianId: `${busId}-guardian`,
    silentAtStart: silent,
    gap,
    steps,
    stops,
    school,
  }
}

function* drivingCycles(index: number): Generator<{ segment: Segment; cycle: number; second: number }> {
  for (let cycle = 0; ; cycle++) {
    const burst = index % 5 === 2 && cycle % 2 === 1
    const cycleSegments: Segment[] = [
      { kind: 'stand', seconds: 3, kmh: 0 },
      { kind: 'cruise', seconds: 6, kmh: cruiseKmh },
      { kind: 'speed', seconds: burst ? 2 : 6 + (index % 4), kmh: overSpeedKmh },
      { kind: 'after', seconds: 8, kmh: cruiseKmh },
    ]
    for (const segment of cycleSegments)
      for (let second = 0; second < segment.seconds; second++) yield { segment, cycle, second }
  }
}

/** What a bus publishes at its step `k`, dated `ts`: its limiter's change first, then its fix. */
export function reportsOfStep(plan: BusPlan, k: number, ts: Date): PublishedReport[] {
  const step = plan.steps[k]!
  if (!step.reports) return []
  const gps: PublishedReport = {
    kind: 'gps',
    row: {
      busId: plan.busId,
      ts,
      lat: step.lat,
      lon: step.lon,
      speedKmh: step.speedKmh,
      headingDeg: step.headingDeg,
      altM: null,
      accuracyM: 5,
      ignition: true,
      seq: k,
    },
  }
  if (!step.limiter) return [gps]
  return [{ kind: 'limiter', row: { busId: plan.busId, ts, state: step.limiter, limitKmh: 60 } }, gps]
}

import { randomUUID } from 'node:crypto'
import { haversineM } from '../../geo/routing/earth-distance.js'
import type { SeededRandom } from '../../geo/random/seeded-random.js'
import { fromShanghaiTime } from '../../server/core/clock/shanghai-time.js'
import type { CopyValue } from '../../server/core/store/copy-text.js'
import type { Queryable } from '../../server/core/store/database.js'

/** A trip of the stored timetable, its stops' places and planned times in seconds after midnight. */
export interface TimetableTrip {
  tripId: string
  busId: string
  stops: { seq: number; stopId: string; lat: number; lon: number; arriveS: number; departS: number }[]
  pupils: { pupilId: string; boardSeq: number; alightSeq: number }[]
}

const seconds = (time: string) => {
  const [h, m, s] = time.split(':').map(Number)
  return h! * 3600 + m! * 60 + (s ?? 0)
}

/** The school-bus trips the store's timetable runs on weekdays, by bus, in the order they run. */
export async function readTimetable(db: Queryable): Promise<Map<string, TimetableTrip[]>> {
  const stops = await db.query<{
    tripId: string
    busId: string
    seq: number
    stopId: string
    lat: number
    lon: number
    arrive: string
    depart: string
  }>(
    `SELECT t.id AS "tripId", t.bus_id AS "busId", s.seq, s.stop_id AS "stopId", st.lat, st.lon,
       s.arrive_time::text AS arrive, s.depart_time::text AS depart
     FROM trips t JOIN trip_stops s ON s.trip_id = t.id JOIN stops st ON st.id = s.stop_id
     WHERE t.bus_id IS NOT NULL AND 1 = ANY (t.weekdays)
     ORDER BY t.bus_id, t.id, s.seq`,
  )
  const pupils = await db.query<{ tripId: string; pupilId: string; boardSeq: number; alightSeq: number }>(
    `SELECT trip_id AS "tripId", pupil_id AS "pupilId", board_seq AS "boardSeq", alight_seq AS "alightSeq"
     FROM trip_pupils ORDER BY trip_id, pupil_id`,
  )
  const trips = new Map<string, TimetableTrip>()
  for (const row of stops) {
    const trip = trips.get(row.tripId) ?? { tripId: row.tripId, busId: row.busId, stops: [], pupils: [] }
    trip.stops.push({
      seq: row.seq,
      stopId: row.stopId,
      lat: row.lat,
      lon: row.lon,
      arriveS: seconds(row.arrive),
      departS: seconds(row.depart),
    })
    trips.set(row.tripId, trip)
  }
  for (const row of pupils) trips.get(row.tripId)?.pupils.push(row)
  const byBus = new Map<string, TimetableTrip[]>()
  for (const trip of trips.values()) {
    const list = byBus.get(trip.busId) ?? []
    list.push(trip)
    byBus.set(trip.busId, list)
  }
  for (const list of byBus.values()) list.sort((a, b) => a.stops[0]!.arriveS - b.stops[0]!.arriveS)
  return byBus
}

export interface BusDayTelemetry {
  /** bus_id, ts, lat, lon, speed_kmh, accuracy_m, ignition */
  positions: CopyValue[][]
  /** bus_id, kind, ts, trip_id, details */
  events: CopyValue[][]
  /** id, trip_id, service_date, pupil_id, action, stop_id, scanned_at, recorded_by */
  scans: CopyValue[][]
  /** trip_id, service_date, ended_at, ended_by, confirmed_empty */
  runs: CopyValue[][]
  /** The length of the straight stretches the bus drove: what the aggregates' km should come to. */
  drivenM: number
}

export interface TelemetryOptions {
  /** Seconds between fixes with the ignition on (the simulator's reportIntervalS). */
  intervalS: number
  /** Seconds between fixes of a parked bus. */
  parkedIntervalS: number
}

const roadClasses = [
  { value: 'primary', weight: 4 },
  { value: 'secondary', weight: 3 },
  { value: 'tertiary', weight: 2 },
  { value: 'trunk', weight: 1 },
  { value: 'residential', weight: 1 },
  { value: null, weight: 1 },
]
const gpsSigmaM = 3
const mPerDegLat = 111_195
const deadheadKmh = 30

/**
 * One bus's school day: each trip driven in straight lines between its stops, late by a delay that
 * grows along the trip (most within five minutes at the school, some well beyond), with a dwell at
 * each stop; between trips the bus parks, then drives to the next trip's first stop. Fixes carry
 * Gaussian GPS noise; a parked bus reports every parkedIntervalS with the ignition off. Around
 * the fixes: the stop arrivals the event rules would derive, now and then an over-speed episode, a
 * limiter switched off, a silent terminal (its fixes left out), a route violation; each pupil's
 * boarding and alighting scans, and the attendant's end of each trip.
 */
export function generateBusDay(
  random: SeededRandom,
  date: string,
  trips: readonly TimetableTrip[],
  options: TelemetryOptions,
): BusDayTelemetry {
  const out: BusDayTelemetry = { positions: [], events: [], scans: [], runs: [], drivenM: 0 }
  const midnightMs = fromShanghaiTime(date, '00:00:00').getTime()
  const busId = trips[0]!.busId
  const intervalMs = options.intervalS * 1000
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next())
  const fix = (ms: number, lat: number, lon: number, speedKmh: number, ignition: boolean) => {
    const northM = gaussian() * gpsSigmaM
    const eastM = gaussian() * gpsSigmaM
    out.positions.push([
      busId,
      new Date(ms),
      lat + northM / mPerDegLat,
      lon + eastM / (mPerDegLat * Math.cos((lat * Math.PI) / 180)),
      ignition ? Math.max(0, speedKmh + gaussian()) : 0,
      gpsSigmaM * 2,
      ignition,
    ])
  }
  /** Fixes on the report grid in [fromMs, toMs). */
  const stand = (lat: number, lon: number, fromMs: number, toMs: number, ignition: boolean) => {
    const step = ignition ? intervalMs : options.parkedIntervalS * 1000
    for (let ms = Math.ceil(fromMs / step) * step; ms < toMs; ms += step) fix(ms, lat, lon, 0, ignition)
  }
  const drive = (
    a: { lat: number; lon: number },
    b: { lat: number; lon: number },
    fromMs: number,
    toMs: number,
  ) => {
    if (toMs <= fromMs) return
    const lengthM = haversineM(a.lat, a.lon, b.lat, b.lon)
    out.drivenM += lengthM
    const speedKmh = (lengthM / Math.max(1, (toMs - fromMs) / 1000)) * 3.6
    for (let ms = Math.ceil(fromMs / intervalMs) * intervalMs; ms < toMs; ms += intervalMs) {
      const f = (ms - fromMs) / (toMs - fromMs)
      fix(ms, a.lat + (b.lat - a.lat) * f, a.lon + (b.lon - a.lon) * f, speedKmh, true)
    }
  }
  const event = (kind: string, ms: number, tripId: string | null, details: object) =>
    out.events.push([busId, kind, new Date(ms), tripId, JSON.stringify(details)])

  let at: { lat: number; lon: number; ms: number } | undefined
  for (const trip of trips) {
    const first = trip.stops[0]!
    const last = trip.stops[trip.stops.length - 1]!
    let startMs = midnightMs + first.arriveS * 1000 + random.int(-60, 60) * 1000
    if (!at) {
      stand(first.lat, first.lon, startMs - 1800_000, startMs, false)
    } else {
      // Park a minute, drive to the trip's first stop, park until the trip starts: late if the last
      // trip ended too late for the drive.
      const leaveMs = at.ms + 60_000
      stand(at.lat, at.lon, at.ms, leaveMs, false)
      const arriveMs =
        leaveMs + (haversineM(at.lat, at.lon, first.lat, first.lon) / (deadheadKmh / 3.6)) * 1000
      drive(at, first, leaveMs, arriveMs)
      startMs = Math.max(startMs, arriveMs + 30_000)
      stand(first.lat, first.lon, arriveMs, startMs, false)
    }
    // Late at the end by `delayS`, the stops between in proportion; a few trips very late.
    const delayS = random.chance(0.15) ? random.between(330, 900) : random.between(-60, 240)
    const shiftMs = (i: number) =>
      startMs - (midnightMs + first.arriveS * 1000) + (delayS * 1000 * i) / Math.max(1, trip.stops.length - 1)
    const silence = random.chance(0.03) ? random.int(0, trip.stops.length - 2) : -1
    let lastDepartMs = startMs - 60_000
    for (let i = 0; i < trip.stops.length; i++) {
      const stop = trip.stops[i]!
      const arriveMs = Math.max(midnightMs + stop.arriveS * 1000 + shiftMs(i), lastDepartMs + 30_000)
      const departMs = Math.max(arriveMs + 20_000, midnightMs + stop.departS * 1000 + shiftMs(i))
      stand(stop.lat, stop.lon, arriveMs, departMs, true)
      lastDepartMs = departMs
      event('stop_arrival', arriveMs, trip.tripId, {
        stopId: stop.stopId,
        seq: stop.seq,
        confirmedTs: new Date(arriveMs + 10_000).toISOString(),
      })
      for (const pupil of trip.pupils) {
        const action =
          pupil.boardSeq === stop.seq ? 'boarded' : pupil.alightSeq === stop.seq ? 'alighted' : null
        if (action && random.chance(0.97)) {
          out.scans.push([
            randomUUID(),
            trip.tripId,
            date,
            pupil.pupilId,
            action,
            stop.stopId,
            new Date(arriveMs + 5000),
            'bench',
          ])
        }
      }
      const next = trip.stops[i + 1]
      if (!next) continue
      const nextArriveMs = Math.max(departMs + 30_000, midnightMs + next.arriveS * 1000 + shiftMs(i + 1))
      const drivenFrom = out.positions.length
      drive(stop, next, departMs, nextArriveMs)
      if (i === silence) {
        // The terminal says nothing for a few minutes in the middle of this stretch.
        const fromMs = departMs + (nextArriveMs - departMs) / 3
        const toMs = Math.min(nextArriveMs, fromMs + random.between(180, 480) * 1000)
        const kept = out.positions.slice(drivenFrom).filter(([, ts]) => {
          const ms = (ts as Date).getTime()
          return ms < fromMs || ms >= toMs
        })
        out.positions.splice(drivenFrom, out.positions.length - drivenFrom, ...kept)
        event('terminal_silent', fromMs, trip.tripId, {
          lastReportTs: new Date(fromMs).toISOString(),
          thresholdS: 120,
          endTs: new Date(toMs).toISOString(),
          silentS: (toMs - fromMs) / 1000,
        })
      }
      if (random.chance(0.12)) {
        const ms = departMs + random.between(0.2, 0.6) * (nextArriveMs - departMs)
        const durationS = random.int(6, 30)
        event('over_speed', ms, trip.tripId, {
          peakKmh: 68,
          limitKmh: 60,
          limitReason: 'school_bus_cap',
          roadClass: random.pickWeighted(roadClasses),
          roadName: null,
          peakTs: new Date(ms + 3000).toISOString(),
          lat: stop.lat,
          lon: stop.lon,
          durationS,
          fixes: durationS,
          endTs: new Date(ms + durationS * 1000).toISOString(),
        })
      }
    }
    const endMs = midnightMs + last.departS * 1000 + shiftMs(trip.stops.length - 1) + 30_000
    out.runs.push([trip.tripId, date, new Date(endMs + 60_000), 'bench', true])
    if (random.chance(0.05)) {
      const ms = startMs + random.between(0, endMs - startMs)
      const durationS = random.int(120, 1200)
      event('limiter_disabled', ms, trip.tripId, {
        state: 'disabled',
        states: ['disabled'],
        limitKmh: 60,
        speedKmh: 30,
        endTs: new Date(ms + durationS * 1000).toISOString(),
        durationS,
      })
    }
    if (random.chance(0.02)) event('route_off_corridor', startMs + 600_000, trip.tripId, { offM: 420 })
    if (random.chance(0.02)) event('stop_skipped', startMs + 900_000, trip.tripId, { stopId: last.stopId })
    at = { lat: last.lat, lon: last.lon, ms: endMs }
  }
  if (at) stand(at.lat, at.lon, at.ms, at.ms + 1800_000, false)
  // A position is one per bus and instant: the first fix on an instant stands.
  const seen = new Set<number>()
  out.positions = out.positions.filter(([, ts]) => {
    const ms = (ts as Date).getTime()
    return seen.has(ms) ? false : (seen.add(ms), true)
  })
  return out
}

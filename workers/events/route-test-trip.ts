import { tripRouteFromLine } from '../../geo/eta/trip-route.js'
import type { LatLon, LonLatPosition } from '../../geo/lat-lon.js'
import { createSeededRandom } from '../../geo/random/seeded-random.js'
import { createRoadAtPointIndex } from '../../geo/roads/road-at-point.js'
import { createLocalProjection } from '../../geo/routing/earth-distance.js'
import { buildRoadGraph } from '../../geo/routing/road-graph.js'
import type { PositionRow } from '../../server/core/broker/telemetry-rows.js'
import { defaultEventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import { runningWindow, type RunningTrip } from '../../server/core/schedule/trip-calendar.js'
import { buildApprovedPath, type ApprovedPath } from './approved-path.js'
import { createBusEventRules } from './bus-event-rules.js'
import { eventKey, type DerivedEvent } from './derived-event.js'
import { defaultRouteComplianceOptions, type RouteComplianceOptions } from './route-compliance-options.js'

/**
 * Test support for the route rules: a trip on a made-up path in metres east and north of a point
 * near Longshan, a bus's fixes scripted along it (with GPS noise and coverage holes), and the
 * events the whole per-bus rules engine derives from them.
 */
const origin = { lat: 30.17, lon: 121.26 }
const projection = createLocalProjection(origin.lat, origin.lon)

export type Metres = readonly [eastM: number, northM: number]

export const placeAt = ([eastM, northM]: Metres): LatLon => ({
  lat: projection.lat(northM),
  lon: projection.lon(eastM),
})

/** Metres east and north of the origin, of a point. */
export const metresOf = (place: LatLon): Metres => [projection.xM(place.lon), projection.yM(place.lat)]

const serviceDay = '2026-03-02'
export const localTime = (time: string) => new Date(`${serviceDay}T${time}+08:00`)

export interface TestCall {
  stopId: string
  at: Metres
  /** Local time 'HH:MM:SS' of the timetable's arrival. */
  arrive: string
}

/** A trip of bus B1 through `calls`, whose approved path is the polyline `line`. */
export function buildTestTrip(options: {
  line: readonly Metres[]
  calls: readonly TestCall[]
  places?: readonly Metres[]
}): { trip: RunningTrip; path: ApprovedPath } {
  const stops = options.calls.map((call, i) => ({
    seq: i + 1,
    stopId: call.stopId,
    ...placeAt(call.at),
    arriveAt: localTime(call.arrive),
  }))
  const coordinates = options.line.map((point): LonLatPosition => {
    const { lat, lon } = placeAt(point)
    return [lon, lat]
  })
  const route = tripRouteFromLine(
    stops.map(({ seq, stopId, lat, lon }) => ({ seq, stopId, lat, lon })),
    coordinates,
    stops.slice(1).map(() => 60),
  )
  const trip: RunningTrip = {
    tripId: 'T1',
    busId: 'B1',
    ...runningWindow(stops[0]!.arriveAt, stops.at(-1)!.arriveAt, defaultEventRuleOptions),
    stops,
  }
  return { trip, path: buildApprovedPath(route, (options.places ?? []).map(placeAt)) }
}

/** Correlated GPS error like a real terminal's, with now and then a jump of a few fixes. */
export interface GpsNoise {
  sigmaM: number
  jumpChance: number
  jumpM: readonly [min: number, max: number]
  jumpFixes: number
}

export const realisticNoise: GpsNoise = { sigmaM: 12, jumpChance: 0.01, jumpM: [80, 250], jumpFixes: 3 }

/**
 * A bus's fixes, one a second, as it drives straight from where it is to each next point, stands,
 * or goes on without coverage (no fixes are sent).
 */
export function createTrackScript(start: Metres, startTs: Date, noise?: GpsNoise, seed = 1) {
  const random = createSeededRandom(seed)
  const rows: PositionRow[] = []
  let at = start
  let ms = startTs.getTime()
  let error: Metres = [0, 0]
  let jump: { left: number; offset: Metres } | undefined
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next())

  const send = (point: Metres, speedKmh: number, doorsOpen?: number[]) => {
    let [east, north] = point
    if (noise) {
      // An AR(1) error whose spread stays at sigmaM.
      const keep = 0.9
      const fresh = noise.sigmaM * Math.sqrt(1 - keep * keep)
      error = [keep * error[0] + fresh * gaussian(), keep * error[1] + fresh * gaussian()]
      east += error[0]
      north += error[1]
      if (!jump && random.chance(noise.jumpChance)) {
        const angle = random.between(0, 2 * Math.PI)
        const sizeM = random.between(...noise.jumpM)
        jump = { left: noise.jumpFixes, offset: [sizeM * Math.cos(angle), sizeM * Math.sin(angle)] }
      }
      if (jump) {
        east += jump.offset[0]
        north += jump.offset[1]
        if (--jump.left === 0) jump = undefined
      }
    }
    rows.push({
      busId: 'B1',
      ts: new Date(ms),
      ...placeAt([east, north]),
      speedKmh,
      headingDeg: null,
      altM: null,
      accuracyM: noise ? noise.sigmaM : 5,
      ignition: true,
      seq: null,
      ...(doorsOpen ? { terminal: { doorsOpen } } : {}),
    })
  }

  const move = (to: Metres, kmh: number, reporting: boolean) => {
    const lengthM = Math.hypot(to[0] - at[0], to[1] - at[1])
    const stepM = kmh / 3.6
    const steps = Math.max(1, Math.round(lengthM / stepM))
    const from = at
    for (let i = 1; i <= steps; i++) {
      ms += 1000
      const f = i / steps
      const point: Metres = [from[0] + f * (to[0] - from[0]), from[1] + f * (to[1] - from[1])]
      if (reporting) send(point, kmh)
    }
    at = to
  }

  const script = {
    drive(to: Metres, kmh = 45) {
      move(to, kmh, true)
      return script
    },
    /** Drives through the points in turn. */
    driveVia(points: readonly Metres[], kmh = 45) {
      for (const point of points) move(point, kmh, true)
      return script
    },
    stand(seconds: number, doorsOpen?: number[]) {
      for (let s = 0; s < seconds; s++) {
        ms += 1000
        send(at, 0, doorsOpen)
      }
      return script
    },
    /** Drives without coverage: the terminal sends nothing. */
    driveUnseen(to: Metres, kmh = 45) {
      move(to, kmh, false)
      return script
    },
    get rows() {
      return rows
    },
    get now() {
      return new Date(ms)
    },
  }
  return script
}

/**
 * What the rules engine derives from the fixes, fed in batches (of a minute unless told) as the
 * stream hands them over, with a tick at `endTs`: the newest version of each event, in time order, and every
 * emission in order.
 */
export function deriveRouteEvents(
  rows: readonly PositionRow[],
  trip: RunningTrip,
  path: ApprovedPath,
  options: { endTs?: Date; route?: Partial<RouteComplianceOptions>; batchSize?: number } = {},
) {
  const latest = new Map<string, DerivedEvent>()
  const emitted: DerivedEvent[] = []
  const line = path.route.geometry.coordinates
  const roads = createRoadAtPointIndex(
    buildRoadGraph({
      source: 'test: the approved path as a road',
      ways: [{ id: 'path', roadClass: 'secondary', coords: line, speedKmh: 40, oneway: false }],
    }),
  )
  const runs = (at: Date) => at >= trip.startsAt && at <= trip.endsAt
  const engine = createBusEventRules({
    roads,
    trips: {
      findRunningTrip: (busId, at) => (busId === trip.busId && runs(at) ? trip : undefined),
      listRunningTrips: (at) => (runs(at) ? [trip] : []),
    },
    rules: defaultEventRuleOptions,
    emit: (event) => {
      emitted.push(event)
      latest.set(eventKey(event), event)
    },
    routeCompliance: {
      paths: { pathOf: (running) => (running.tripId === trip.tripId ? path : undefined) },
      options: { ...defaultRouteComplianceOptions, ...options.route },
    },
  })
  const batchSize = options.batchSize ?? 60
  for (let i = 0; i < rows.length; i += batchSize) {
    engine.observe({ positions: rows.slice(i, i + batchSize), limiterStates: [] })
  }
  if (options.endTs) engine.tick(options.endTs)
  const events = [...latest.values()].sort((a, b) => a.ts.getTime() - b.ts.getTime())
  return {
    events,
    emitted,
    ofKind: <K extends DerivedEvent['kind']>(kind: K) =>
      events.filter((event): event is Extract<DerivedEvent, { kind: K }> => event.kind === kind),
  }
}

export const routeKinds: readonly DerivedEvent['kind'][] = [
  'route_off_corridor',
  'stop_skipped',
  'stop_unapproved',
]

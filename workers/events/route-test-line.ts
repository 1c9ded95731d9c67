import { haversineM } from '../../geo/routing/earth-distance.js'
import {
  buildTestTrip,
  createTrackScript,
  deriveRouteEvents,
  localTime,
  placeAt,
  realisticNoise,
  routeKinds,
  type GpsNoise,
  type Metres,
} from './route-test-trip.js'

/**
 * Test support for the route rules' tests: trip T1 on a made-up path (metres east, north): east
 * along main street from ST1 (0, 0) past ST2 (1000, 0) to a junction at 2000 m, up a dead-end lane
 * to ST3 (2000, 800) and back down, on east past ST4 (3000, 0) to a corner at 4000 m, and north to
 * the school's stop ST5 (4000, 1500). The bus comes from its depot south of main street along main
 * street itself, and leaves the school's stop off the path.
 */
export const junction: Metres = [2000, 0]
export const corner: Metres = [4000, 0]
export const st = {
  ST1: [0, 0],
  ST2: [1000, 0],
  ST3: [2000, 800],
  ST4: [3000, 0],
  ST5: [4000, 1500],
} satisfies Record<string, Metres>
export const school: Metres = [4050, 1560]
export const depot: Metres = [2500, -300]

export const { trip, path } = buildTestTrip({
  line: [st.ST1, junction, st.ST3, junction, corner, st.ST5],
  calls: [
    { stopId: 'ST1', at: st.ST1, arrive: '07:00:00' },
    { stopId: 'ST2', at: st.ST2, arrive: '07:03:00' },
    { stopId: 'ST3', at: st.ST3, arrive: '07:07:00' },
    { stopId: 'ST4', at: st.ST4, arrive: '07:12:00' },
    { stopId: 'ST5', at: st.ST5, arrive: '07:20:00' },
  ],
  places: [school, depot],
})
export const afterTrip = new Date(trip.endsAt.getTime() + 1000)

export type Script = ReturnType<typeof createTrackScript>

/** The trip as approved, one leg at a time; each leg can be replaced to make the bus stray. */
export interface Legs {
  toSt2(s: Script): void
  toSt3(s: Script): void
  toSt4(s: Script): void
  toSt5(s: Script): void
}
export const approved: Legs = {
  toSt2: (s) => s.drive(st.ST2).stand(30),
  toSt3: (s) => s.driveVia([junction, st.ST3]).stand(30),
  toSt4: (s) => s.driveVia([junction, st.ST4]).stand(30),
  toSt5: (s) => s.driveVia([corner, st.ST5]).stand(60),
}

/** From the depot to ST1 (waiting there from 06:59), the legs, then home. */
export function runTrip(legs: Partial<Legs> = {}, noise: GpsNoise | undefined = realisticNoise, seed = 7) {
  const s = createTrackScript(depot, localTime('06:55:00'), noise, seed)
  s.driveVia([
    [2500, 0],
    [200, 0],
  ])
    .stand(40)
    .drive(st.ST1)
    .stand(60)
  const all = { ...approved, ...legs }
  all.toSt2(s)
  all.toSt3(s)
  all.toSt4(s)
  all.toSt5(s)
  s.driveVia(
    [
      [4000, 2500],
      [6000, 2500],
    ],
    50,
  ).stand(120)
  return s.rows
}

export const routeEvents = (rows: ReturnType<typeof runTrip>, endTs = afterTrip) => {
  const derived = deriveRouteEvents(rows, trip, path, { endTs })
  return { ...derived, route: derived.events.filter((event) => routeKinds.includes(event.kind)) }
}

export const stopIdOf = (event: { details: object }) =>
  'stopId' in event.details ? (event.details.stopId as string) : null

export const distanceToM = (point: { lat: number; lon: number }, metres: Metres) => {
  const place = placeAt(metres)
  return haversineM(point.lat, point.lon, place.lat, place.lon)
}

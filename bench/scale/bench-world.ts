import type { CixiWorld, TripStop } from '../../fixtures/cixi-world.js'
import { formatPupilCode } from '../../server/core/registers/pupil-code.js'
import type { LatLon } from '../../geo/lat-lon.js'
import type { RoadNetwork } from '../../geo/roads/road-network.js'
import { toShanghaiTime } from '../../server/core/clock/shanghai-time.js'
import type { EventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import type { Database } from '../../server/core/store/database.js'
import { seedCixiWorld } from '../../server/seed/seed-cixi-world.js'
import { fleetCentre, type BusPlan } from './fleet-plan.js'

const townId = 'scale-bench'
const schoolId = 'scale-school'
const gateStopId = 'scale-gate'
/** Scheduled time between two of a trip's stops: only the trip's running window depends on it. */
const stopSpacingS = 20

/**
 * When each bus's trip runs, as the events rules see it: from `tripLeadS` before its first stop.
 * A bus's trip starts at `seedAt`, so that the rules know it runs when the first report comes and
 * no silence precedes it; a silent bus's trip started a minute longer than the silence threshold
 * before, so the rules find its terminal silent from the trip's start until its first report.
 */
export function tripStartOf(plan: BusPlan, seedAt: Date, rules: EventRuleOptions): Date {
  const seedS = Math.floor(seedAt.getTime() / 1000)
  return new Date((plan.silentAtStart ? seedS - rules.silentAfterS - 60 : seedS) * 1000)
}

/** The last instant the bench's trips are scheduled at (the last stop's departure). */
export function lastScheduledAt(plans: readonly BusPlan[], seedAt: Date, rules: EventRuleOptions): Date {
  let last = seedAt.getTime()
  for (const plan of plans) {
    const first = tripStartOf(plan, seedAt, rules).getTime() + rules.tripLeadS * 1000
    last = Math.max(last, first + (plan.stops.length + 1) * stopSpacingS * 1000)
  }
  return new Date(last)
}

/**
 * The bench's own world, in the shape of the Cixi fixture world so the platform's seeding writes
 * it: one town and school, and per bus its trip (every stop it stands at, then its school far
 * ahead), one pupil riding it from the first stop to the school, and that pupil's parent.
 */
export function buildBenchWorld(options: {
  plans: readonly BusPlan[]
  seedAt: Date
  rules: EventRuleOptions
  roads: RoadNetwork
  probeBusId: string
}): CixiWorld {
  const { plans, seedAt, rules } = options
  const clock = (ms: number) => toShanghaiTime(new Date(ms)).time
  const stop = (id: string, location: LatLon, kind: 'village' | 'school_gate' = 'village') => ({
    id,
    name: id,
    nameSource: 'synthetic' as const,
    areaId: townId,
    kind,
    location,
  })
  const stops = [stop(gateStopId, fleetCentre, 'school_gate')]
  const trips: CixiWorld['trips'] = []
  for (const plan of plans) {
    const places = [...plan.stops, plan.school]
    const firstMs = tripStartOf(plan, seedAt, rules).getTime() + rules.tripLeadS * 1000
    const tripStops: TripStop[] = places.map((place, i) => {
      const id = i === places.length - 1 ? `${plan.busId}-school` : `${plan.busId}-stop-${i + 1}`
      stops.push(stop(id, place))
      const arriveMs = firstMs + i * stopSpacingS * 1000
      return {
        stopId: id,
        arrive: clock(arriveMs),
        depart: clock(arriveMs + (stopSpacingS / 2) * 1000),
        board: i === 0 ? [plan.pupilId] : [],
        alight: i === places.length - 1 ? [plan.pupilId] : [],
      }
    })
    trips.push({
      id: plan.tripId,
      busId: plan.busId,
      schoolId,
      direction: 'to_school',
      waveId: null,
      stops: tripStops,
      distanceM: 0,
      durationS: (places.length - 1) * stopSpacingS,
    })
  }
  const equipment = { gps: true, speedLimiter: true, videoRecorder: true, warningSigns: true } as const
  const bus = (busId: string, index: number) => ({
    id: busId,
    plate: `浙B·${String(index).padStart(5, '0')}`,
    seats: 36,
    townId,
    schoolId,
    operator: 'scale bench',
    equipment,
    driverId: `${busId}-driver`,
    attendantId: `${busId}-attendant`,
    policeId: `${busId}-police`,
  })
  return {
    city: { id: townId, name: '基准', nameEn: 'Scale bench', kind: 'city', centre: fleetCentre },
    towns: [],
    settlements: [],
    schools: [
      {
        id: schoolId,
        name: '基准学校',
        nameSource: 'synthetic',
        areaId: townId,
        kind: 'primary',
        location: fleetCentre,
        gateStopId,
        grades: [{ grade: 3, startTime: '08:00:00' }],
        dismissalWaves: [
          { id: 'scale-wave', name: 'all', time: '16:00:00', grades: [3], afterSchoolService: false },
        ],
      },
    ],
    stops,
    lines: [],
    // The probe bus runs no trip: its reports only show that telemetry is being stored.
    buses: [...plans.map((plan) => bus(plan.busId, plan.index + 1)), bus(options.probeBusId, 0)],
    staff: [],
    pupils: plans.map((plan) => ({
      id: plan.pupilId,
      code: formatPupilCode(10_000_000 + plan.index),
      name: `Pupil ${plan.index + 1}`,
      grade: 3,
      schoolId,
      settlementId: 'scale-home',
      home: plan.stops[0] ?? plan.school,
      afterSchoolService: false,
      dismissalWaveId: 'scale-wave',
      guardianIds: [plan.guardianId],
      transport: {
        mode: 'school_bus' as const,
        busId: plan.busId,
        stopId: `${plan.busId}-stop-1`,
        tripIds: [plan.tripId, plan.tripId],
      },
    })),
    guardians: plans.map((plan) => ({
      id: plan.guardianId,
      name: `Parent ${plan.index + 1}`,
      relation: 'mother' as const,
      phone: `100${String(plan.index).padStart(8, '0')}`,
      pupilIds: [plan.pupilId],
    })),
    trips,
    roads: options.roads,
  }
}

/** Writes the world with the platform's seeding; the trips run every day of the week, so the bench runs any day. */
export async function seedBenchWorld(db: Database, world: CixiWorld): Promise<void> {
  await seedCixiWorld(db, world)
  await db.query(`UPDATE trips SET weekdays = '{1,2,3,4,5,6,7}' WHERE id = ANY($1::text[])`, [
    world.trips.map((trip) => trip.id),
  ])
}

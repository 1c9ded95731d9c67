import type { Clock } from '../clock/clock.js'
import { fromShanghaiTime, toShanghaiTime } from '../clock/shanghai-time.js'
import { AppError } from '../errors/app-error.js'
import type { ParentWindow, ScopeQueries } from '../store/scope-queries.js'
import type { TimeWindow } from '../store/time-window-filter.js'
import type { Principal, Role } from './principal.js'

export const defaultParentWindow: ParentWindow = { leadMin: 15, afterDropOffMin: 10, lateMin: 60 }

/**
 * Every scope decision in one place, used by the HTTP routes and the live channel alike. A parent
 * sees a bus only while it runs a trip carrying their child; nobody else's pupils, ever.
 */
export function createAccessPolicy(options: {
  scope: ScopeQueries
  clock: Clock
  parentWindow?: ParentWindow
}) {
  const { scope, clock } = options
  const parentWindow = options.parentWindow ?? defaultParentWindow

  const policy = {
    /** The buses this caller may see now: 'all' for the bureau. */
    async visibleBusIds(principal: Principal): Promise<'all' | string[]> {
      switch (principal.role) {
        case 'bureau':
        case 'service':
          return 'all'
        case 'school':
          return scope.busesServingSchool(principal.schoolId)
        case 'attendant':
        case 'device':
          return [principal.busId]
        case 'parent':
          return scope.busesCarryingPupilsAt(principal.pupilIds, clock.now(), parentWindow)
      }
    },

    async canSeeBus(principal: Principal, busId: string): Promise<boolean> {
      const visible = await policy.visibleBusIds(principal)
      return visible === 'all' || visible.includes(busId)
    },

    /**
     * The stretches of the past, inside `range`, whose positions and events this caller may read.
     * The bureau and a school read the whole past of the buses they may see (a school answers for
     * every run of the buses serving it). An attendant and a terminal read their bus's today only:
     * the attendant works the day's trips, and an alarm after the last trip (the bus standing at
     * its depot) still belongs to that day. A parent reads only today's windows of their children's
     * trips on `busId`, up to now: what they could watch live, never other days or other trips.
     */
    async historyWindows(principal: Principal, range: TimeWindow, busId?: string): Promise<TimeWindow[]> {
      const now = clock.now()
      switch (principal.role) {
        case 'bureau':
        case 'service':
        case 'school':
          return clipWindows([range], range)
        case 'attendant':
        case 'device':
          return clipWindows(
            [{ from: fromShanghaiTime(toShanghaiTime(now).date, '00:00:00'), to: now }],
            range,
          )
        case 'parent': {
          const windows = await scope.parentWindowsOn(principal.pupilIds, now, parentWindow)
          const onBus = windows.filter((w) => w.busId === busId)
          return clipWindows(
            onBus.map((w) => ({ from: w.from, to: w.to < now ? w.to : now })),
            range,
          )
        }
      }
    },

    async canSeeSchool(principal: Principal, schoolId: string): Promise<boolean> {
      return principal.role === 'bureau' || (principal.role === 'school' && principal.schoolId === schoolId)
    },

    async canSeePupil(principal: Principal, pupilId: string): Promise<boolean> {
      switch (principal.role) {
        case 'bureau':
          return true
        case 'school':
          return (await scope.pupilSchool(pupilId)) === principal.schoolId
        case 'parent':
          return principal.pupilIds.includes(pupilId)
        case 'attendant':
          return scope.pupilRidesBus(pupilId, principal.busId)
        case 'device':
        case 'service':
          return false
      }
    },

    /** Trip details: stops and times, no other pupils' names. */
    async canSeeTrip(principal: Principal, tripId: string): Promise<boolean> {
      if (principal.role === 'parent') {
        return (await scope.tripsCarryingPupils(principal.pupilIds)).includes(tripId)
      }
      return policy.canSeeRoster(principal, tripId)
    },

    /** The list of pupils on a trip: the people responsible for them, never parents. */
    async canSeeRoster(principal: Principal, tripId: string): Promise<boolean> {
      if (principal.role === 'bureau') return true
      const trip = await scope.trip(tripId)
      if (!trip) return false
      if (principal.role === 'school') return trip.schoolId === principal.schoolId
      if (principal.role === 'attendant') return trip.busId === principal.busId
      return false
    },
  }
  return policy
}

export type AccessPolicy = ReturnType<typeof createAccessPolicy>

/** The parts of `windows` inside `range`, leaving out those that fall outside it. */
function clipWindows(windows: readonly TimeWindow[], range: TimeWindow): TimeWindow[] {
  return windows
    .map((w) => ({
      from: new Date(Math.max(w.from.getTime(), range.from.getTime())),
      to: new Date(Math.min(w.to.getTime(), range.to.getTime())),
    }))
    .filter((w) => w.from < w.to)
}

export function assertRole(principal: Principal, allowed: readonly Role[]): void {
  if (!allowed.includes(principal.role)) {
    throw new AppError('forbidden', `the ${principal.role} role may not do this`)
  }
}

export async function assertAllowed(allowed: Promise<boolean>, what: string): Promise<void> {
  if (!(await allowed)) throw new AppError('forbidden', `${what} is outside this token's scope`)
}

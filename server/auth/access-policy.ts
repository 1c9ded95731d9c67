import type { Clock } from '../clock/clock.js'
import { AppError } from '../errors/app-error.js'
import type { ParentWindow, ScopeQueries } from '../store/scope-queries.js'
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

export function assertRole(principal: Principal, allowed: readonly Role[]): void {
  if (!allowed.includes(principal.role)) {
    throw new AppError('forbidden', `the ${principal.role} role may not do this`)
  }
}

export async function assertAllowed(allowed: Promise<boolean>, what: string): Promise<void> {
  if (!(await allowed)) throw new AppError('forbidden', `${what} is outside this token's scope`)
}

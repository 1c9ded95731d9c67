import type { Principal } from '../core/auth/principal.js'

/**
 * Who may receive each event the live channel publishes. Parents' sockets are only ever in the rooms
 * of `bus_watchers` (where their child's bus is and when it comes) and `guardians` (notices about
 * their own child): alarms and stop events name other pupils and carry staff's phone numbers, so
 * they are `bus_staff`. An event gets its audience here before anything can publish it.
 */
export const liveEventAudience = {
  position: 'bus_watchers',
  eta: 'bus_watchers',
  event: 'bus_staff',
  boarding: 'bus_attendants',
  notice: 'guardians',
  plan_progress: 'bureau',
  /** A case of the alarm inbox opened or changed: to the bureau and the schools it concerns. */
  alarm_case: 'alarm_inbox',
} as const

export type LiveEvent = keyof typeof liveEventAudience
export type LiveAudience = (typeof liveEventAudience)[LiveEvent]
/** The events one audience may be sent. */
export type LiveEventFor<A extends LiveAudience> = {
  [E in LiveEvent]: (typeof liveEventAudience)[E] extends A ? E : never
}[LiveEvent]

/** Refuses at run time what the types refuse at build time, for callers wired with plain strings. */
export function assertAudience(event: string, audience: LiveAudience): void {
  const allowed: LiveAudience | undefined = liveEventAudience[event as LiveEvent]
  if (allowed !== audience) throw new Error(`'${event}' is not a live event for ${audience}`)
}

export const liveRooms = {
  /** Everyone who may see the bus now, parents of the children it carries included. */
  busWatchers: (busId: string) => `bus:${busId}`,
  /** The staff watching the bus: its attendant, its schools, the bureau. */
  busStaff: (busId: string) => `bus-staff:${busId}`,
  /** The attendants' phones of the bus, subscribed or not. */
  attendants: (busId: string) => `attendant:${busId}`,
  school: (schoolId: string) => `school:${schoolId}`,
  guardians: (pupilId: string) => `pupil:${pupilId}`,
  bureau: 'bureau',
}

const busRoomPrefixes = [liveRooms.busWatchers(''), liveRooms.busStaff('')]

/** The bus a bus room is about; undefined for any other room. */
export function busIdOfRoom(room: string): string | undefined {
  const prefix = busRoomPrefixes.find((p) => room.startsWith(p))
  return prefix === undefined ? undefined : room.slice(prefix.length)
}

/** The rooms a socket is in from the moment it connects, by its role: where alarms and notices reach it. */
export function homeRooms(principal: Principal): string[] {
  switch (principal.role) {
    case 'bureau':
      return [liveRooms.bureau]
    case 'school':
      return [liveRooms.school(principal.schoolId)]
    case 'attendant':
      return [liveRooms.attendants(principal.busId)]
    case 'parent':
      return principal.pupilIds.map(liveRooms.guardians)
    case 'device':
    case 'service':
      return []
  }
}

/** The rooms a socket joins when it subscribes to a bus its scope covers: only staff join its staff room. */
export function busRoomsFor(principal: Principal, busId: string): string[] {
  switch (principal.role) {
    case 'bureau':
    case 'school':
    case 'attendant':
      return [liveRooms.busWatchers(busId), liveRooms.busStaff(busId)]
    case 'parent':
    case 'device':
    case 'service':
      return [liveRooms.busWatchers(busId)]
  }
}

import { createAdapter } from '@socket.io/redis-adapter'
import { createClient } from 'redis'
import type { Server } from 'socket.io'
import type { Logger } from '../core/log/logger.js'
import { assertAudience, liveRooms, type LiveAudience } from './live-audiences.js'
import type { LiveChannel } from './live-channel.js'

export type RoomPublishing = Pick<
  LiveChannel,
  | 'publishToBusWatchers'
  | 'publishToBusStaff'
  | 'publishToPupil'
  | 'publishAlarm'
  | 'publishToAttendants'
  | 'publishToBureau'
  | 'publishAlarmCase'
>

/**
 * Each kind of live message to its audience's rooms, checked against the audience: one mapping for
 * the live channel and for a process that publishes without holding sockets.
 */
export function createRoomPublishing(
  emit: (rooms: string | string[], event: string, payload: unknown) => void,
): RoomPublishing {
  const send = (audience: LiveAudience, rooms: string | string[], event: string, payload: unknown) => {
    assertAudience(event, audience)
    emit(rooms, event, payload)
  }
  return {
    publishToBusWatchers: (busId, event, payload) =>
      send('bus_watchers', liveRooms.busWatchers(busId), event, payload),
    publishToBusStaff: (busId, event, payload) =>
      send('bus_staff', liveRooms.busStaff(busId), event, payload),
    publishToPupil: (pupilId, event, payload) =>
      send('guardians', liveRooms.guardians(pupilId), event, payload),
    publishToAttendants: (busId, event, payload) =>
      send('bus_attendants', liveRooms.attendants(busId), event, payload),
    publishToBureau: (event, payload) => send('bureau', liveRooms.bureau, event, payload),
    publishAlarmCase: (change) =>
      send(
        'alarm_inbox',
        [liveRooms.bureau, ...change.alarm.schoolIds.map((schoolId) => liveRooms.school(schoolId))],
        'alarm_case',
        change,
      ),
    publishAlarm: (alarm) => {
      const schoolId = alarm.details?.schoolId
      const rooms = [liveRooms.busStaff(alarm.busId), liveRooms.attendants(alarm.busId), liveRooms.bureau]
      if (typeof schoolId === 'string') rooms.push(liveRooms.school(schoolId))
      send('bus_staff', rooms, 'event', alarm)
    },
  }
}

/** Puts socket.io on Redis, so that an emit reaches the sockets of every server process. */
export async function connectRedisAdapter(io: Server, url: string, log: Logger) {
  const pub = createClient({ url })
  const sub = pub.duplicate()
  for (const client of [pub, sub])
    client.on('error', (error: Error) => log.warn('redis', { error: error.message }))
  await Promise.all([pub.connect(), sub.connect()])
  io.adapter(createAdapter(pub, sub))
  return {
    isReady: () => pub.isReady && sub.isReady,
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()])
    },
  }
}

import * as z from 'zod/mini'
import { formatCixiDate } from '../shared/cixi-time.js'
import type { NoticeEvent, RideResponse } from './parent-contract.js'

const noticeSchema = z.object({
  /** Two notices with the same key are one notice: a re-sent event or a rule that fired before. */
  key: z.string(),
  kind: z.enum(['approach', 'delayed', 'boarded', 'alighted', 'bus_changed']),
  /** When it happened, on the server's clock (ISO). */
  at: z.string(),
  pupilId: z.string(),
  tripId: z.string(),
  minutes: z.optional(z.number()),
  stopName: z.optional(z.nullable(z.string())),
  lat: z.optional(z.nullable(z.number())),
  lon: z.optional(z.nullable(z.number())),
  newBusId: z.optional(z.nullable(z.string())),
  newPlate: z.optional(z.nullable(z.string())),
  /** The service day a change is for, when it is not the day it was made (a bus swapped overnight). */
  date: z.optional(z.string()),
})
export type ParentNotice = z.infer<typeof noticeSchema>

const storedSchema = z.array(noticeSchema)
const keepNotices = 40

/**
 * The notice a live `notice` event becomes. Its key is made of what the live event and the ride
 * answer both carry (kind, trip, child, instant), so the same happening heard both ways is one notice.
 */
export function noticeFromEvent(event: NoticeEvent): ParentNotice {
  return {
    key: `${event.kind}:${event.tripId}:${event.pupilId}:${event.ts}`,
    kind: event.kind,
    at: event.ts,
    pupilId: event.pupilId,
    tripId: event.tripId,
    stopName: event.stopName,
    lat: event.lat,
    lon: event.lon,
    newBusId: event.newBusId,
    ...(event.newPlate === undefined ? {} : { newPlate: event.newPlate }),
    ...(event.date === undefined ? {} : { date: event.date }),
  }
}

/**
 * The notices the server keeps for the child, from the ride answer: the child's own scans of the
 * ride and the changes of bus of their trips. A phone opened late, or another guardian's, shows
 * them as the phone that heard them live does.
 */
export function noticesFromRide(response: RideResponse): ParentNotice[] {
  const pupilId = response.pupil.id
  const ride = response.ride
  const scans = (ride?.boardings ?? []).map((scan) =>
    noticeFromEvent({ ...scan, kind: scan.action, pupilId, tripId: ride!.tripId }),
  )
  const changes = (response.notices ?? []).flatMap((notice) =>
    notice.kind === 'bus_changed' ? [noticeFromEvent({ ...notice, kind: 'bus_changed', pupilId })] : [],
  )
  return [...scans, ...changes]
}

/** The list with `notice` first, or null when it is already there. Only the newest are kept. */
export function addNotice(list: readonly ParentNotice[], notice: ParentNotice): ParentNotice[] | null {
  if (list.some((n) => n.key === notice.key)) return null
  return [notice, ...list].slice(0, keepNotices)
}

/** The notices of one Cixi day ('YYYY-MM-DD'): made that day or for that day, newest first. */
export function noticesOfDay(list: readonly ParentNotice[], date: string): ParentNotice[] {
  return list
    .filter((n) => n.date === date || formatCixiDate(Date.parse(n.at)) === date)
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
}

/**
 * Notices kept on the phone, so that a page reopened on a flaky connection still shows what
 * happened and a rule that fired once for a trip does not fire again.
 */
export function createNoticeLog(storage: Pick<Storage, 'getItem' | 'setItem'>, storageKey: string) {
  let list = readStored(storage.getItem(storageKey))
  return {
    list: (): readonly ParentNotice[] => list,
    has: (key: string) => list.some((n) => n.key === key),
    /** False when the notice was there already. */
    add(notice: ParentNotice): boolean {
      const next = addNotice(list, notice)
      if (!next) return false
      list = next
      storage.setItem(storageKey, JSON.stringify(list))
      return true
    },
  }
}

function readStored(text: string | null): ParentNotice[] {
  if (!text) return []
  try {
    const parsed = storedSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : []
  } catch {
    return []
  }
}

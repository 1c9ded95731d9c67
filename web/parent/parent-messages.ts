import type { EtaView } from './eta-display.js'
import type { ParentNotice } from './notice-log.js'
import type { RideStop } from './parent-contract.js'
import type { ParentText } from './parent-text.js'

export interface EtaMessage {
  /** What the number is about: the child's stop. */
  label: string
  /** The big line: minutes, or why there is no number. */
  value: string
  detail: string
  /** True when the parent should not rely on what the map shows. */
  warn: boolean
}

/** The ETA panel's three lines for what `describeEta` found. */
export function etaMessage(view: EtaView, text: ParentText, childStop: RideStop): EtaMessage {
  const label = text.etaTo(childStop.name)
  const plain = (value: string, warn = false): EtaMessage => ({
    label,
    value,
    detail: text.dueAt(childStop.scheduledTime),
    warn,
  })
  switch (view.kind) {
    case 'minutes':
    case 'arriving': {
      const details = [view.lastReport ? text.lastReport(view.lastReport) : null]
      if (view.lateMin >= 1) details.push(text.lateBy(view.lateMin))
      return {
        label,
        value: view.kind === 'minutes' ? text.minutes(view.minutes) : text.arriving,
        detail: details.filter(Boolean).join(' · '),
        warn: false,
      }
    }
    case 'no_signal':
      return plain(text.noSignal(view.since), true)
    case 'no_contact':
      return {
        label,
        value: text.noContact,
        detail: view.lastReport ? text.lastReport(view.lastReport) : text.dueAt(childStop.scheduledTime),
        warn: true,
      }
    case 'off_route':
      return {
        label,
        value: text.offRoute,
        detail: view.since ? text.lastReport(view.since) : text.dueAt(childStop.scheduledTime),
        warn: true,
      }
    case 'not_started':
      return plain(text.notStarted(view.due))
    case 'passed':
      return plain(text.passed)
    case 'finished':
      return plain(text.finished)
    case 'waiting':
      return plain(text.waiting)
  }
}

/** One notice as the parent reads it. */
export function noticeMessage(
  notice: ParentNotice,
  text: ParentText,
  lookups: { childName: (pupilId: string) => string; plateOf: (busId: string) => string },
): string {
  const place = notice.stopName
    ? text.stopPlace(notice.stopName)
    : notice.lat != null && notice.lon != null
      ? text.near(notice.lat, notice.lon)
      : null
  switch (notice.kind) {
    case 'approach':
      return text.noticeApproach(notice.minutes ?? 0, text.stopPlace(notice.stopName ?? ''))
    case 'delayed':
      return text.noticeDelayed(notice.minutes ?? 0)
    case 'boarded':
      return text.noticeBoarded(lookups.childName(notice.pupilId), place)
    case 'alighted':
      return text.noticeAlighted(lookups.childName(notice.pupilId), place)
    case 'bus_changed':
      return text.noticeBusChanged(
        notice.newPlate ?? (notice.newBusId ? lookups.plateOf(notice.newBusId) : ''),
      )
  }
}

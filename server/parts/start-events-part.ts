import { createRoadAtPointIndex } from '../../geo/roads/road-at-point.js'
import { newStreamMember } from '../core/stream/stream-member.js'
import { startEventStream } from '../../workers/events/start-event-stream.js'
import { createPupilsNotBoardedReports } from '../alarms/report-pupils-not-boarded.js'
import type { StartPart } from './running-part.js'

/**
 * The events part: over-speed, limiter, silence, stop and route-compliance events (against each
 * trip's approved path, routed by this process's router) derived from the reports committed to the
 * store by any ingest process, for the partitions of buses this process holds, stored and sent to
 * the bus's staff. A stop departure also reports the pupils expected there who
 * did not board (pupils_not_boarded): it follows from the derived event alone, so it is raised where
 * the event is derived, and stored once whichever process derives it.
 */
export const startEventsPart: StartPart<'events'> = async (context) => {
  const { db, clock, publisher } = context
  const log = context.log.child('events')
  const routing = await context.routing()
  const notBoarded = createPupilsNotBoardedReports({
    db,
    log: context.log.child('alarms'),
    publish: publisher.publishAlarm,
  })
  const reporting = new Set<Promise<unknown>>()
  const stream = startEventStream({
    member: newStreamMember('events'),
    db,
    roads: createRoadAtPointIndex(routing.graph),
    router: routing.router,
    clock,
    log,
    publish: (event) => {
      publisher.publishToBusStaff(event.busId, 'event', event)
      if (event.kind === 'stop_departure' && event.tripId) {
        const departure = {
          ...event,
          tripId: event.tripId,
          seq: event.details.seq,
          stopId: event.details.stopId,
        }
        const report = notBoarded.onStopDeparture(departure).catch((error: unknown) => {
          log.warn('could not report pupils not boarded', { error: String(error) })
        })
        reporting.add(report)
        void report.finally(() => reporting.delete(report))
      }
    },
  })
  const stopListening = context.commits.listen(() => stream.wake())
  return {
    async stop() {
      stopListening()
      await stream.stop()
      await Promise.all(reporting)
    },
  }
}

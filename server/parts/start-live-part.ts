import type { LegTimeTable } from '../../geo/eta/learned-leg-times.js'
import { createBusLiveFeed } from '../live/bus-live-feed.js'
import { learnTripTimes } from '../live/learn-trip-times.js'
import { createLiveTripEtas } from '../live/live-trip-etas.js'
import { startLiveStream } from '../live/start-live-stream.js'
import { newStreamMember } from '../core/stream/stream-member.js'
import { repeatEvery } from './repeat-every.js'
import type { StartPart } from './running-part.js'

/** Trip times are learned again every hour, from the stop events of the last four weeks. */
const learnIntervalMs = 3600_000
const learnFromDays = 28

/**
 * The live part: for the partitions of buses this process holds, each committed report's newest
 * position and its running trip's ETA, whichever process stored it, go to the bus's watchers on the
 * live channel (socket.io on this process's HTTP server, set up by the context) and
 * are kept as the bus's latest state.
 */
export const startLivePart: StartPart<'live'> = async (context) => {
  const { db, clock, publisher, liveState } = context
  const log = context.log.child('live')
  if (!liveState) throw new Error('the live part runs without its live state')
  const routing = await context.routing()
  let learned: LegTimeTable | undefined
  const etas = createLiveTripEtas({
    db,
    router: routing.router,
    clock,
    log: context.log.child('eta'),
    learned: () => learned,
  })
  const stopLearning = repeatEvery(learnIntervalMs, async () => {
    const since = new Date(clock.now().getTime() - learnFromDays * 86_400_000)
    learned = await learnTripTimes({ db, tripRoute: etas.tripRoute, since }).catch((error: unknown) => {
      log.warn('could not learn trip times from earlier runs', { error: String(error) })
      return learned
    })
  })
  const feed = createBusLiveFeed({ live: publisher, state: liveState, etas, log })
  const stream = startLiveStream({ db, feed, clock, log, member: newStreamMember('live') })
  const stopListening = context.commits.listen(() => stream.wake())
  return {
    snapshotOf: feed.snapshotOf,
    tripRoute: etas.tripRoute,
    async stop() {
      stopListening()
      await stream.stop()
      await stopLearning()
    },
  }
}

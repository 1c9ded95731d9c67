/** One call of a running trip on today's timetable. */
export interface TimetabledCall {
  seq: number
  stopId: string
  name: string
  arriveAt: Date
  departAt: Date
}

/** A stop arrival or departure the events part derived for the trip today. */
export interface CallVisit {
  seq: number
  kind: 'arrival' | 'departure'
  ts: Date
}

/** The live channel's ETA for the trip, where the live part has one. */
export interface TripEtaNow {
  status: string
  nextSeq: number | null
  stops: readonly { seq: number; etaTs: string | null; passed: boolean }[]
}

export interface TripProgressNow {
  /** The first call not yet reached, with when the timetable and (if known) the ETA put the bus there. */
  nextCall: { seq: number; stopId: string; name: string; plannedAt: Date; expectedAt: Date | null } | null
  /** Seconds behind the timetable (negative: ahead); null when nothing tells. */
  lateS: number | null
  /** What the lateness is read from: the live ETA, or the timetable and the stop events. */
  source: 'eta' | 'timetable' | null
}

/**
 * Where a running trip stands against its timetable. With a live ETA for the next call, the
 * lateness is its expected arrival against the planned one. Without one (no live part in this
 * process, a bus not yet tracked) it is what the stop events prove: the bus is at least as late
 * as the time since the next call's planned arrival, and as late as it left its last call.
 */
export function judgeTripProgress(input: {
  calls: readonly TimetabledCall[]
  visits: readonly CallVisit[]
  eta: TripEtaNow | null
  now: Date
}): TripProgressNow {
  const { calls, visits, eta, now } = input
  const reachedSeq = Math.max(
    0,
    ...visits.map((visit) => visit.seq),
    ...(eta?.stops.filter((stop) => stop.passed).map((stop) => stop.seq) ?? []),
  )
  const etaNextSeq = eta && eta.status !== 'finished' ? eta.nextSeq : null
  const next =
    (etaNextSeq !== null ? calls.find((call) => call.seq === etaNextSeq) : undefined) ??
    calls.find((call) => call.seq > reachedSeq)
  const etaTs = next ? eta?.stops.find((stop) => stop.seq === next.seq)?.etaTs : null
  const expectedAt = etaTs ? new Date(etaTs) : null
  const nextCall = next
    ? { seq: next.seq, stopId: next.stopId, name: next.name, plannedAt: next.arriveAt, expectedAt }
    : null
  if (next && expectedAt) {
    return {
      nextCall,
      lateS: Math.round((expectedAt.getTime() - next.arriveAt.getTime()) / 1000),
      source: 'eta',
    }
  }
  const evidence: number[] = []
  if (next) evidence.push((now.getTime() - next.arriveAt.getTime()) / 1000)
  const lastDeparture = visits
    .filter((visit) => visit.kind === 'departure')
    .reduce<CallVisit | undefined>((last, visit) => (!last || visit.seq > last.seq ? visit : last), undefined)
  const departedCall = lastDeparture && calls.find((call) => call.seq === lastDeparture.seq)
  if (lastDeparture && departedCall)
    evidence.push((lastDeparture.ts.getTime() - departedCall.departAt.getTime()) / 1000)
  if (evidence.length === 0) return { nextCall, lateS: null, source: null }
  return { nextCall, lateS: Math.round(Math.max(...evidence)), source: 'timetable' }
}

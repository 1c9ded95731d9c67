/** A call serving fewer pupils than this could point to one family's door: a parent is not shown it. */
export const sharedStopMinRiders = 3

/**
 * The calls of a child's trip that the child's parent sees: the child's own, and every other call
 * that at least `sharedStopMinRiders` of the trip's pupils use, so the parent can count the stops
 * before theirs without learning where any one other child gets on or off.
 */
export function stopsAParentSees<Stop extends { seq: number }>(
  stops: Stop[],
  ridersPerCall: { seq: number; riders: number }[],
  own: { boardSeq: number; alightSeq: number },
): Stop[] {
  const riders = new Map(ridersPerCall.map((call) => [call.seq, call.riders]))
  return stops.filter(
    (stop) =>
      stop.seq === own.boardSeq ||
      stop.seq === own.alightSeq ||
      (riders.get(stop.seq) ?? 0) >= sharedStopMinRiders,
  )
}

/**
 * The settings of route compliance (Decree 617 art. 30/32: a school bus drives its approved route
 * and calls at its approved stops). Distances are metres on the ground, times seconds.
 */
export interface RouteComplianceOptions {
  /**
   * Farther than this from the approved path is off it. Real terminals' fixes stray up to about
   * 50 m, with jumps beyond; a parallel street is rarely nearer than 150 m.
   */
  corridorM: number
  /**
   * Off the corridor for this long, counting only time between fixes at most maxFixGapS apart (a
   * coverage hole is not time seen off the path)…
   */
  offCorridorMinS: number
  /** …over at least this many fixes, so that a jump of a few fixes raises nothing. */
  offCorridorMinFixes: number
  /** Fixes in a row back within the corridor that end an episode off it… */
  rejoinFixes: number
  /**
   * …unless the bus leaves the path again, far enough to be raised, before driving this far on it
   * or arriving at a call: a detour that follows its path for a block on the way is one detour.
   */
  rejoinDrivenM: number
  /** At most this many points are kept of a stretch of track (a polyline in an event). */
  stretchMaxPoints: number
  /** A call is past once the bus is this far beyond it along the path (a bus may overshoot and reverse). */
  passedByM: number
  /** Fixes within this of a call show where the bus passed it. */
  passRadiusM: number
  /** Standing this long away from the approved places is a stop; shorter halts are traffic. */
  standMinS: number
  /** Slow fixes farther than this from where a stand began are GPS jumps, not where the bus stood. */
  standRadiusM: number
  /**
   * A bus standing stays about where it stopped, its GPS's wander included; one whose slow fixes
   * mostly read a crawl's speed and end farther than this from where they began is creeping on in
   * a queue.
   */
  standDriftM: number
  /** Fixes in a row moving that end a stand. */
  standEndFixes: number
  /** Within this of an approved call, the trip's school or the bus's depot, standing is allowed. */
  approvedPlaceRadiusM: number
  /** The fastest a bus can have driven between two fixes: how far along the path a fix may be placed. */
  maxSpeedKmh: number
  /** A fix up to this far behind the bus's progress along the path is noise, not the bus going back. */
  progressBackM: number
  /**
   * Fixes found only on a part of the path well ahead of the bus (it left out a loop, or the GPS
   * jumped) move it there once this many of them, over at least this long, agree.
   */
  jumpConfirmFixes: number
  jumpConfirmS: number
}

export const defaultRouteComplianceOptions: RouteComplianceOptions = {
  corridorM: 150,
  offCorridorMinS: 60,
  offCorridorMinFixes: 3,
  rejoinFixes: 3,
  rejoinDrivenM: 1000,
  stretchMaxPoints: 120,
  passedByM: 400,
  passRadiusM: 250,
  standMinS: 45,
  standRadiusM: 80,
  standDriftM: 25,
  standEndFixes: 2,
  approvedPlaceRadiusM: 150,
  maxSpeedKmh: 120,
  progressBackM: 100,
  jumpConfirmFixes: 3,
  jumpConfirmS: 10,
}

import type { EventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import type { InjectedFault } from '../../workers/simulator/injected-fault.js'
import type { AppliedDeviation } from '../../workers/simulator/route-deviations.js'
import type { Expectation, InjectedEpisode } from './oversight-episode.js'

/** A trip's running window on the day, as the platform's trip calendar has it, and when its bus got to its last call. */
export interface TripWindow {
  busId: string
  tripId: string
  startMs: number
  endMs: number
  arrivedLastMs?: number | null
}

/** A pupil the attendant never scanned off, and when the bus arrived at the trip's last call. */
export interface LeftAboard {
  busId: string
  tripId: string
  pupilId: string
  arrivedLastMs: number | null
}

/** What a simulated day injected, as the simulation recorded it. */
export interface DayTruth {
  faults: readonly InjectedFault[]
  deviations: readonly (AppliedDeviation & { busId: string })[]
  leftAboard: readonly LeftAboard[]
  tripWindows: readonly TripWindow[]
  /** Where the day ends: a child left aboard may be alarmed about until then. */
  dayEndMs: number
  rules: EventRuleOptions
}

/**
 * How close to a rule's threshold is too close to call: the GPS's speed is off by a few tenths of
 * a km/h, and a silence is looked for every few seconds. Inside the margin, raising an episode or
 * not is left open (`may`).
 */
const SPEED_MARGIN_KMH = 2
const DURATION_MARGIN_S = 2
const SILENCE_MARGIN_S = 10
/** The limiter rule judges "moving" by the GPS speed; the simulator records the time above 10 km/h. */
const LIMITER_MOVING_MIN_S = 5

type Span = [number, number]

/**
 * The episodes the platform should raise for what a day injected, each with whether it must, may
 * or must not: over-speed from each speeding episode (by how far and how long the true speed was
 * over the limit plus the rule's tolerance), a limiter switched off or failing (if the bus then
 * drove), silences (a terminal without power, or in a coverage hole: nothing reached the platform
 * in time) while a trip runs, each route deviation, and each pupil left aboard. What a terminal did
 * not send at all (a non-buffering terminal in a coverage hole, one without power) the platform
 * cannot see: an episode it hid is only `may`.
 */
export function listInjectedEpisodes(truth: DayTruth): InjectedEpisode[] {
  const unseen = new Map<string, Span[]>()
  for (const fault of truth.faults) {
    if (fault.kind === 'terminal_off' || (fault.kind === 'coverage_gap' && !fault.buffered))
      unseen.set(fault.busId, [...(unseen.get(fault.busId) ?? []), [fault.startMs, fault.endMs]])
  }
  const hidden = (busId: string, span: Span) =>
    (unseen.get(busId) ?? []).some(([from, to]) => from <= span[1] && span[0] <= to)
  const tripAt = (busId: string, ms: number) =>
    truth.tripWindows.find((trip) => trip.busId === busId && trip.startMs <= ms && ms <= trip.endMs)
      ?.tripId ?? null

  const episodes: InjectedEpisode[] = []
  let serial = 0
  const add = (episode: Omit<InjectedEpisode, 'id'>) =>
    episodes.push({ id: `${episode.kind}-${++serial}`, ...episode })

  for (const fault of truth.faults) {
    if (fault.kind === 'speeding') {
      for (const episode of judgeSpeeding(fault, truth.rules)) {
        const expected =
          episode.expected === 'must' && hidden(fault.busId, episode.span) ? 'may' : episode.expected
        add({
          kind: 'over_speed',
          busId: fault.busId,
          tripId: tripAt(fault.busId, episode.span[0]),
          stopId: null,
          startMs: episode.span[0],
          endMs: episode.span[1],
          expected,
          cause: 'speeding',
          detail: `peak ${fault.peakKmh} km/h on a ${fault.peakLimitKmh} km/h road, over it by more than the tolerance for ${episode.clearS} s${expected !== episode.expected ? '; partly unseen' : ''}`,
        })
      }
    } else if (fault.kind === 'limiter') {
      const movingS = fault.movingMs / 1000
      let expected: Expectation =
        movingS >= LIMITER_MOVING_MIN_S
          ? 'must'
          : fault.maxSpeedKmh < truth.rules.movingKmh - SPEED_MARGIN_KMH
            ? 'must_not'
            : 'may'
      const judged: Span = [fault.startMs, (fault.firstMovingMs ?? fault.startMs) + 10_000]
      if (expected === 'must' && hidden(fault.busId, judged)) expected = 'may'
      add({
        kind: 'limiter_disabled',
        busId: fault.busId,
        tripId: tripAt(fault.busId, fault.firstMovingMs ?? fault.startMs),
        stopId: null,
        startMs: fault.startMs,
        endMs: fault.endMs,
        expected,
        cause: `limiter ${fault.state}`,
        detail: `driven ${movingS} s above 10 km/h, at most ${fault.maxSpeedKmh} km/h`,
      })
    }
  }

  for (const silence of listSilences(truth)) add(silence)

  const drivenTag = new Map<string, Span>()
  for (const fault of truth.faults)
    if (fault.kind === 'activity')
      drivenTag.set(`${fault.busId}\u0000${fault.tag}`, [fault.startMs, fault.endMs])
  for (const deviation of truth.deviations) {
    const span = drivenTag.get(`${deviation.busId}\u0000${deviation.tag}`)
    if (!span) continue
    const expected: Expectation = hidden(deviation.busId, span) ? 'may' : 'must'
    const seen = expected === 'may' ? '; partly unseen' : ''
    const common = {
      busId: deviation.busId,
      tripId: deviation.tripId,
      startMs: span[0],
      endMs: span[1],
      expected,
    }
    if (deviation.kind === 'detour')
      add({
        ...common,
        kind: 'route_off_corridor',
        stopId: null,
        cause: 'detour',
        detail: `detour from call ${deviation.fromStopIndex + 1}${seen}`,
      })
    else if (deviation.kind === 'skip_call')
      add({
        ...common,
        kind: 'stop_skipped',
        stopId: deviation.stopId,
        cause: 'skip_call',
        detail: `drove through call ${deviation.stopIndex + 1}${seen}`,
      })
    else
      add({
        ...common,
        kind: 'stop_unapproved',
        stopId: null,
        cause: 'unapproved_stand',
        detail: `stood ${deviation.standS} s after call ${deviation.fromStopIndex + 1}${seen}`,
      })
  }

  for (const left of truth.leftAboard) {
    add({
      kind: 'child_left_on_bus',
      busId: left.busId,
      tripId: left.tripId,
      stopId: null,
      startMs: left.arrivedLastMs ?? truth.dayEndMs,
      endMs: truth.dayEndMs,
      expected: left.arrivedLastMs === null ? 'may' : 'must',
      cause: 'left_aboard',
      detail: `pupil ${left.pupilId} never scanned off`,
    })
  }
  return episodes.sort((a, b) => a.startMs - b.startMs || a.busId.localeCompare(b.busId))
}

/**
 * A speeding episode as over-speed: the rule raises a bus over its limit plus the tolerance for the
 * minimum time, until it is back under for a few fixes. So the episode is cut where the true speed
 * was plainly back under (short of the threshold by the margin) for that many seconds, and each
 * part judged: `must` when the true speed was over the threshold by the margin for the minimum time
 * and the margin more; `must_not` when, even short of it by the margin, it never was for the
 * minimum time less the margin. None for an episode never over the limit at all (begun braking).
 */
function judgeSpeeding(
  fault: Extract<InjectedFault, { kind: 'speeding' }>,
  rules: EventRuleOptions,
): { expected: Expectation; span: Span; clearS: number }[] {
  const { excessKmh, stepMs, startMs } = fault
  const over = excessKmh.flatMap((excess, i) => (excess > 0 ? [i] : []))
  if (over.length === 0) return []
  const stepS = stepMs / 1000
  const tolerance = rules.overSpeedToleranceKmh
  const minS = Math.max(rules.overSpeedMinDurationS, (rules.overSpeedMinFixes - 1) * stepS)
  const spanOf = (from: number, to: number): Span => [startMs + from * stepMs, startMs + to * stepMs]
  const longestS = (from: number, to: number, aboveKmh: number) => {
    let best = 0
    let run = 0
    for (let i = from; i <= to; i++) {
      run = excessKmh[i]! > aboveKmh ? run + 1 : 0
      best = Math.max(best, run)
    }
    return best > 0 ? (best - 1) * stepS : -1
  }
  const near = excessKmh.flatMap((excess, i) => (excess > tolerance - SPEED_MARGIN_KMH ? [i] : []))
  if (near.length === 0) return [{ expected: 'must_not', span: spanOf(over[0]!, over.at(-1)!), clearS: 0 }]
  const parts: [number, number][] = []
  for (const i of near) {
    const last = parts.at(-1)
    if (last && i - last[1] <= rules.overSpeedEndFixes) last[1] = i
    else parts.push([i, i])
  }
  return parts.map(([from, to]) => {
    const clearS = longestS(from, to, tolerance + SPEED_MARGIN_KMH)
    const nearS = longestS(from, to, tolerance - SPEED_MARGIN_KMH)
    const expected: Expectation =
      clearS >= minS + DURATION_MARGIN_S ? 'must' : nearS < minS - DURATION_MARGIN_S ? 'must_not' : 'may'
    return { expected, span: spanOf(from, to), clearS: Math.max(0, clearS) }
  })
}

/**
 * The silences the platform heard while a trip ran: per bus, the stretches in which nothing
 * reached it in time (a terminal without power; one in a coverage hole, even one sending what it
 * kept afterwards), from the last report before, cut to the bus's trips' running windows. One at
 * least the rule's threshold plus the margin long must be raised; one within the margin of it may.
 */
function listSilences(truth: DayTruth): Omit<InjectedEpisode, 'id'>[] {
  const quiet = new Map<string, { span: Span; cause: string }[]>()
  for (const fault of truth.faults) {
    if (fault.kind !== 'terminal_off' && fault.kind !== 'coverage_gap') continue
    const cause =
      fault.kind === 'terminal_off'
        ? 'terminal_off'
        : fault.buffered
          ? 'coverage_gap_buffered'
          : 'coverage_gap'
    const list = quiet.get(fault.busId) ?? []
    list.push({ span: [fault.lastSentMs ?? fault.startMs, fault.endMs], cause })
    quiet.set(fault.busId, list)
  }
  const silences: Omit<InjectedEpisode, 'id'>[] = []
  const { silentAfterS } = truth.rules
  for (const [busId, list] of quiet) {
    // A trip is over once its bus is at its last call (its window's grace is for a bus running
    // late): once the platform hears of it, when a terminal that kept its fixes sends them, and
    // never when they were lost (to it, the trip still ran).
    const heardAt = (ms: number): number => {
      const hiding = list.find(({ span }) => span[0] <= ms && ms <= span[1])
      if (!hiding) return ms
      return hiding.cause === 'coverage_gap_buffered' ? hiding.span[1] : Number.POSITIVE_INFINITY
    }
    const windows = mergeSpans(
      truth.tripWindows
        .filter((trip) => trip.busId === busId)
        .map((trip): Span => {
          const arrived = trip.arrivedLastMs ?? null
          return [trip.startMs, arrived === null ? trip.endMs : Math.min(trip.endMs, heardAt(arrived))]
        }),
    )
    list.sort((a, b) => a.span[0] - b.span[0])
    const merged: { span: Span; causes: Set<string> }[] = []
    for (const { span, cause } of list) {
      const last = merged.at(-1)
      if (last && span[0] <= last.span[1]) {
        last.span[1] = Math.max(last.span[1], span[1])
        last.causes.add(cause)
      } else merged.push({ span: [...span], causes: new Set([cause]) })
    }
    for (const { span, causes } of merged) {
      for (const [from, to] of windows) {
        const start = Math.max(span[0], from)
        const end = Math.min(span[1], to)
        const lengthS = (end - start) / 1000
        if (lengthS < silentAfterS - SILENCE_MARGIN_S) continue
        silences.push({
          kind: 'terminal_silent',
          busId,
          tripId:
            truth.tripWindows.find((t) => t.busId === busId && t.startMs <= start && start <= t.endMs)
              ?.tripId ?? null,
          stopId: null,
          startMs: start,
          endMs: end,
          expected: lengthS >= silentAfterS + SILENCE_MARGIN_S ? 'must' : 'may',
          cause: [...causes].join('+'),
          detail: `nothing heard for ${Math.round(lengthS)} s while a trip ran`,
        })
      }
    }
  }
  return silences
}

function mergeSpans(spans: Span[]): Span[] {
  const merged: Span[] = []
  for (const [from, to] of [...spans].sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1)
    if (last && from <= last[1]) last[1] = Math.max(last[1], to)
    else merged.push([from, to])
  }
  return merged
}

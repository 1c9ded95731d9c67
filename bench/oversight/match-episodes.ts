import {
  matchToleranceMs,
  oversightKinds,
  type Expectation,
  type InjectedEpisode,
  type OversightKind,
  type RaisedEpisode,
} from './oversight-episode.js'

/**
 * What became of an injected episode: `detected` and `missed` (one the platform must raise),
 * `raised` or `quiet` (one it may raise), `false_alarm` or `quiet` (one it must not).
 */
export type InjectedOutcome = 'detected' | 'missed' | 'raised' | 'quiet' | 'false_alarm'

/**
 * What a raised event was: the match of an episode it must raise (`true_positive`) or may raise
 * (`excused`), a second event for an episode already matched (`duplicate`), or a false positive:
 * nothing injected there, or an episode below the rule's threshold.
 */
export type RaisedOutcome = 'true_positive' | 'excused' | 'duplicate' | 'false_positive'

export interface KindScore {
  /** Injected episodes the platform must raise, and how many it did. */
  must: number
  detected: number
  missed: number
  raised: number
  truePositives: number
  /** Duplicates and raised events matching nothing or an episode below the threshold. */
  falsePositives: number
  duplicates: number
  /** Raised events matching an episode it may raise: neither credited nor faulted. */
  excused: number
  /** truePositives / (truePositives + falsePositives); null when nothing counted was raised. */
  precision: number | null
  /** detected / must; null when nothing had to be raised. */
  recall: number | null
}

export interface EpisodeMatches {
  injected: { episode: InjectedEpisode; outcome: InjectedOutcome; raised: RaisedEpisode | null }[]
  raised: { episode: RaisedEpisode; outcome: RaisedOutcome; injected: InjectedEpisode | null }[]
  byKind: Record<OversightKind, KindScore>
}

const expectationOrder: Record<Expectation, number> = { must: 0, may: 1, must_not: 2 }

/** The same bus and kind, the same call or trip where the kind names one, overlapping in time within the tolerance. */
function isCompatible(injected: InjectedEpisode, raised: RaisedEpisode, toleranceMs: number): boolean {
  if (injected.kind !== raised.kind || injected.busId !== raised.busId) return false
  if (
    injected.kind === 'stop_skipped' &&
    (injected.tripId !== raised.tripId || injected.stopId !== raised.stopId)
  )
    return false
  if (injected.kind === 'child_left_on_bus' && injected.tripId !== raised.tripId) return false
  return raised.startMs <= injected.endMs + toleranceMs && injected.startMs - toleranceMs <= raised.endMs
}

/**
 * Pairs raised events with injected episodes one to one, per kind: the episodes the platform must
 * raise first, then those it may, then those it must not, each in time order taking the
 * compatible raised event that began nearest its start. A raised event left over that is
 * compatible with some episode is a duplicate; any other is a false positive.
 */
export function matchEpisodes(
  injected: readonly InjectedEpisode[],
  raised: readonly RaisedEpisode[],
  toleranceMs: Record<OversightKind, number> = matchToleranceMs,
): EpisodeMatches {
  const byBusAndKind = new Map<string, RaisedEpisode[]>()
  for (const event of raised) {
    const key = `${event.kind}\u0000${event.busId}`
    byBusAndKind.set(key, [...(byBusAndKind.get(key) ?? []), event])
  }
  const taken = new Map<string, InjectedEpisode>()
  const ordered = [...injected].sort(
    (a, b) => expectationOrder[a.expected] - expectationOrder[b.expected] || a.startMs - b.startMs,
  )
  const injectedResults: EpisodeMatches['injected'] = []
  for (const episode of ordered) {
    const tolerance = toleranceMs[episode.kind]
    let best: RaisedEpisode | null = null
    for (const event of byBusAndKind.get(`${episode.kind}\u0000${episode.busId}`) ?? []) {
      if (taken.has(event.id) || !isCompatible(episode, event, tolerance)) continue
      if (!best || Math.abs(event.startMs - episode.startMs) < Math.abs(best.startMs - episode.startMs))
        best = event
    }
    if (best) taken.set(best.id, episode)
    const outcome: InjectedOutcome =
      episode.expected === 'must'
        ? best
          ? 'detected'
          : 'missed'
        : episode.expected === 'may'
          ? best
            ? 'raised'
            : 'quiet'
          : best
            ? 'false_alarm'
            : 'quiet'
    injectedResults.push({ episode, outcome, raised: best })
  }

  const raisedResults: EpisodeMatches['raised'] = raised.map((event) => {
    const match = taken.get(event.id)
    if (match) {
      const outcome: RaisedOutcome =
        match.expected === 'must' ? 'true_positive' : match.expected === 'may' ? 'excused' : 'false_positive'
      return { episode: event, outcome, injected: match }
    }
    const twin = injected.find((episode) => isCompatible(episode, event, toleranceMs[episode.kind]))
    return { episode: event, outcome: twin ? 'duplicate' : 'false_positive', injected: twin ?? null }
  })

  const byKind = Object.fromEntries(oversightKinds.map((kind) => [kind, emptyScore()])) as Record<
    OversightKind,
    KindScore
  >
  for (const { episode, outcome } of injectedResults) {
    const score = byKind[episode.kind]
    if (episode.expected === 'must') score.must++
    if (outcome === 'detected') score.detected++
    if (outcome === 'missed') score.missed++
  }
  for (const { episode, outcome } of raisedResults) {
    const score = byKind[episode.kind]
    score.raised++
    if (outcome === 'true_positive') score.truePositives++
    else if (outcome === 'excused') score.excused++
    else {
      score.falsePositives++
      if (outcome === 'duplicate') score.duplicates++
    }
  }
  for (const score of Object.values(byKind)) {
    const counted = score.truePositives + score.falsePositives
    score.precision = counted === 0 ? null : round3(score.truePositives / counted)
    score.recall = score.must === 0 ? null : round3(score.detected / score.must)
  }
  return { injected: injectedResults, raised: raisedResults, byKind }
}

/** The scores of several runs (days) together. */
export function addScores(into: KindScore, score: KindScore): KindScore {
  const sum: KindScore = { ...into }
  for (const key of [
    'must',
    'detected',
    'missed',
    'raised',
    'truePositives',
    'falsePositives',
    'duplicates',
    'excused',
  ] as const)
    sum[key] = into[key] + score[key]
  const counted = sum.truePositives + sum.falsePositives
  sum.precision = counted === 0 ? null : round3(sum.truePositives / counted)
  sum.recall = sum.must === 0 ? null : round3(sum.detected / sum.must)
  return sum
}

export function emptyScore(): KindScore {
  return {
    must: 0,
    detected: 0,
    missed: 0,
    raised: 0,
    truePositives: 0,
    falsePositives: 0,
    duplicates: 0,
    excused: 0,
    precision: null,
    recall: null,
  }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000
}

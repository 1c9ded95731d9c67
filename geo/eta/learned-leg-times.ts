import { measureChainFactor, type ChainFactorOptions } from './chain-factor.js'

/**
 * One leg driven on an earlier run: the departure from stop `fromSeq` and the arrival at
 * `fromSeq + 1`, as the stored stop events date them (leaving the stop's exit radius, entering the
 * next stop's radius).
 */
export interface LegObservation {
  tripId: string
  fromSeq: number
  departMs: number
  arriveMs: number
}

/** One stop call on an earlier run: from the arrival event to the departure event. */
export interface DwellObservation {
  tripId: string
  seq: number
  arriveMs: number
  departMs: number
}

/** What earlier runs say a trip's legs and stops take, by time of day. */
export interface LegTimeTable {
  /** Seconds from leaving stop `fromSeq` to reaching the next, for a departure at `departMs`; null when unknown. */
  legS(tripId: string, fromSeq: number, departMs: number): number | null
  /** Seconds from reaching stop `seq` to leaving it, for an arrival at `arriveMs`; null when unknown. */
  dwellS(tripId: string, seq: number, arriveMs: number): number | null
  /** Observations kept after discarding impossible ones. */
  readonly legObservationCount: number
  readonly dwellObservationCount: number
  /** What the leg and dwell figures were scaled by so that they add up as earlier runs did (1: not). */
  readonly chainFactor: number
}

export interface LearnLegTimesOptions {
  dwells?: DwellObservation[]
  /**
   * The router's time for a whole leg, stop to stop. Given it, leg times are learned as factors on
   * the router's, and a leg seen on few runs leans on the factor of all legs at that time of day.
   */
  routerLegS?(tripId: string, fromSeq: number): number | undefined
  /** The timetable's dwell at a stop: likewise, dwells are learned as differences from it. */
  scheduledDwellS?(tripId: string, seq: number): number | undefined
  /** A leg taking more than this factor on the router's time is not trusted: a bus that stood somewhere. */
  maxRouterFactor?: number
  /** How many runs' worth of weight the fleet-wide figure has against a leg's own. */
  priorRuns?: number
  /**
   * The fleet-wide figure stands in for a leg or stop only once this many observations back it:
   * one long wait at one stop must not become every stop's expected dwell.
   */
  minFleetSamples?: number
  /** Width of a time-of-day bucket. */
  bucketMin?: number
  /** A bucket with fewer observations than this defers to all the observations of the leg. */
  minBucketSamples?: number
  /** Local time's offset from UTC: buckets follow the local clock (Cixi: UTC+8 all year). */
  utcOffsetMin?: number
  /** Longer than this is a bus that stood somewhere between the events, not a leg. */
  maxLegS?: number
  maxDwellS?: number
  /** How the figures are made to add up over several stops; false leaves them as learned. */
  chain?: ChainFactorOptions | false
}

interface Sample {
  key: string
  atMs: number
  durationS: number
  referenceS: number | undefined
}

/** How an observation relates to its reference: as a factor on it, or as a difference from it. */
type Relation = 'factor' | 'difference'

const DAY_MIN = 24 * 60

/**
 * A table of expected leg and dwell times from earlier runs of the same trips. Each leg and stop
 * keeps the median of its observations per time-of-day bucket, and over the whole day for a bucket
 * with too few: a median, because one run held up by a breakdown or a road closure must not move
 * what every later run expects. With a reference (router or timetable), a leg's own figure is
 * blended with that of all legs, so that one run in a jam does not become the leg's expectation.
 */
export function learnLegTimes(
  observations: LegObservation[],
  options: LearnLegTimesOptions = {},
): LegTimeTable {
  const bucketMin = options.bucketMin ?? 60
  const minBucketSamples = options.minBucketSamples ?? 2
  const priorRuns = options.priorRuns ?? 8
  const minFleetSamples = options.minFleetSamples ?? 1
  const maxRouterFactor = options.maxRouterFactor ?? 3
  const offsetMs = (options.utcOffsetMin ?? 480) * 60_000
  const bucketOf = (ms: number) => {
    const minuteOfDay = ((((ms + offsetMs) / 60_000) % DAY_MIN) + DAY_MIN) % DAY_MIN
    return Math.floor(minuteOfDay / bucketMin)
  }

  const build = (samples: Sample[], maxS: number, relation: Relation) => {
    const relate = (sample: Sample) =>
      sample.referenceS === undefined
        ? sample.durationS
        : relation === 'factor'
          ? sample.durationS / sample.referenceS
          : sample.durationS - sample.referenceS
    const apply = (value: number, referenceS: number) =>
      relation === 'factor' ? value * referenceS : value + referenceS
    const kept = samples.filter(
      (s) =>
        s.durationS >= 0 &&
        s.durationS <= maxS &&
        (s.referenceS === undefined ||
          relation === 'difference' ||
          (s.referenceS > 0 && s.durationS <= s.referenceS * maxRouterFactor)),
    )
    const own = groupMedians(kept, (s) => s.key, relate, bucketOf, minBucketSamples)
    const related = kept.filter((s) => s.referenceS !== undefined)
    const fleet =
      related.length >= minFleetSamples
        ? groupMedians(related, () => '', relate, bucketOf, minBucketSamples).get('')
        : undefined

    const lookup = (key: string, atMs: number, referenceS: number | undefined): number | null => {
      const mine = own.get(key)
      const bucket = bucketOf(atMs)
      if (referenceS === undefined) return mine ? mine.at(bucket).value : null
      const fleetValue = fleet?.at(bucket).value
      if (!mine) return fleetValue === undefined ? null : apply(fleetValue, referenceS)
      const { value, count } = mine.at(bucket)
      if (fleetValue === undefined) return apply(value, referenceS)
      return apply((count * value + priorRuns * fleetValue) / (count + priorRuns), referenceS)
    }
    return { lookup, kept: kept.length }
  }

  const legs = build(
    observations.map((o) => ({
      key: keyOf(o.tripId, o.fromSeq),
      atMs: o.departMs,
      durationS: (o.arriveMs - o.departMs) / 1000,
      referenceS: options.routerLegS?.(o.tripId, o.fromSeq),
    })),
    options.maxLegS ?? 3600,
    'factor',
  )
  const dwells = build(
    (options.dwells ?? []).map((o) => ({
      key: keyOf(o.tripId, o.seq),
      atMs: o.arriveMs,
      durationS: (o.departMs - o.arriveMs) / 1000,
      referenceS: options.scheduledDwellS?.(o.tripId, o.seq),
    })),
    options.maxDwellS ?? 1800,
    'difference',
  )

  const medianLegS = (tripId: string, fromSeq: number, departMs: number) =>
    legs.lookup(keyOf(tripId, fromSeq), departMs, options.routerLegS?.(tripId, fromSeq))
  const medianDwellS = (tripId: string, seq: number, arriveMs: number) =>
    dwells.lookup(keyOf(tripId, seq), arriveMs, options.scheduledDwellS?.(tripId, seq))
  const chainFactor =
    options.chain === false
      ? 1
      : measureChainFactor(observations, options.dwells ?? [], medianLegS, medianDwellS, options.chain)
  const scale = (s: number | null) => (s === null ? null : s * chainFactor)
  return {
    legS: (tripId, fromSeq, departMs) => scale(medianLegS(tripId, fromSeq, departMs)),
    dwellS: (tripId, seq, arriveMs) => scale(medianDwellS(tripId, seq, arriveMs)),
    legObservationCount: legs.kept,
    dwellObservationCount: dwells.kept,
    chainFactor,
  }
}

interface Medians {
  /** The bucket's median when it has enough observations, else the whole day's. */
  at(bucket: number): { value: number; count: number }
}

function groupMedians(
  samples: Sample[],
  groupOf: (sample: Sample) => string,
  valueOf: (sample: Sample) => number,
  bucketOf: (ms: number) => number,
  minBucketSamples: number,
): Map<string, Medians> {
  const groups = new Map<string, { all: number[]; byBucket: Map<number, number[]> }>()
  for (const sample of samples) {
    const key = groupOf(sample)
    let group = groups.get(key)
    if (!group) {
      group = { all: [], byBucket: new Map() }
      groups.set(key, group)
    }
    const value = valueOf(sample)
    group.all.push(value)
    const bucket = bucketOf(sample.atMs)
    const list = group.byBucket.get(bucket)
    if (list) list.push(value)
    else group.byBucket.set(bucket, [value])
  }
  const result = new Map<string, Medians>()
  for (const [key, group] of groups) {
    const whole = { value: median(group.all), count: group.all.length }
    const byBucket = new Map<number, { value: number; count: number }>()
    for (const [bucket, list] of group.byBucket) {
      if (list.length >= minBucketSamples) byBucket.set(bucket, { value: median(list), count: list.length })
    }
    result.set(key, { at: (bucket) => byBucket.get(bucket) ?? whole })
  }
  return result
}

const keyOf = (tripId: string, seq: number) => `${tripId}\u0000${seq}`

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

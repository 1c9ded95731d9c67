/**
 * Speeds in bands, each with its colour: from pale yellow (crawling) through orange and red to
 * dark purple (fastest), the "inferno" scale, whose lightness falls steadily so the bands read in
 * order for every kind of colour vision and in grey. The bands' edges are Decree 617's limits:
 * 20 km/h where care is needed, 60 on ordinary roads, 80 on expressways.
 */
export const speedBands = [
  { id: 0, upToKmh: 20, colour: '#f6d746' },
  { id: 1, upToKmh: 40, colour: '#fb9b06' },
  { id: 2, upToKmh: 60, colour: '#e55c30' },
  { id: 3, upToKmh: 80, colour: '#a52c60' },
  { id: 4, upToKmh: Number.POSITIVE_INFINITY, colour: '#57106e' },
] as const

export type SpeedBand = (typeof speedBands)[number]

/** The band of a speed; an unknown speed is taken as standing. */
export function speedBandOf(speedKmh: number | null | undefined): SpeedBand {
  const speed = speedKmh ?? 0
  return speedBands.find((band) => speed < band.upToKmh) ?? speedBands[speedBands.length - 1]!
}

/** A run of consecutive fixes in one band: drawn as one line. */
export interface BandRun<P> {
  band: SpeedBand
  points: P[]
}

/**
 * A track cut where its speed changes band. Each run starts at the last fix of the run before, so
 * that the drawn lines meet; a run's band is that of the fixes it was cut for.
 */
export function splitBySpeedBand<P extends { speedKmh: number | null }>(points: readonly P[]): BandRun<P>[] {
  const runs: BandRun<P>[] = []
  let current: BandRun<P> | undefined
  for (const point of points) {
    const band = speedBandOf(point.speedKmh)
    if (current && current.band.id === band.id) {
      current.points.push(point)
      continue
    }
    const joint = current?.points[current.points.length - 1]
    current = { band, points: joint ? [joint, point] : [point] }
    runs.push(current)
  }
  return runs
}

/**
 * At most `max` points of a track, evenly spread, always keeping the first and the last and the
 * fastest fix, so a long day is drawn quickly without losing its peak.
 */
export function thinTrack<P extends { speedKmh: number | null }>(points: readonly P[], max: number): P[] {
  if (points.length <= max) return [...points]
  const step = (points.length - 1) / (max - 1)
  const kept = new Set<number>()
  for (let i = 0; i < max; i++) kept.add(Math.round(i * step))
  let fastest = 0
  points.forEach((point, i) => {
    if ((point.speedKmh ?? 0) > (points[fastest]!.speedKmh ?? 0)) fastest = i
  })
  kept.add(fastest)
  return [...kept].sort((a, b) => a - b).map((i) => points[i]!)
}

/** The index of the last fix at or before `atMs` in a track in time order (0 before the first). */
export function fixIndexAt(points: readonly { ts: string }[], atMs: number): number {
  let low = 0
  let high = points.length - 1
  if (high < 0 || Date.parse(points[0]!.ts) >= atMs) return 0
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (Date.parse(points[middle]!.ts) <= atMs) low = middle
    else high = middle - 1
  }
  return low
}

/** The horizons scored, minutes, each with the window of true times to arrival it takes, seconds. */
export const HORIZONS = [
  { min: 2, fromS: 60, toS: 180 },
  { min: 5, fromS: 240, toS: 360 },
  { min: 10, fromS: 540, toS: 660 },
] as const

/**
 * Errors of the engine and of the baseline per horizon, and how many pairs of a ping and a stop
 * still truly ahead got a prediction at all.
 */
export function createAvlScoreboard() {
  const errors = new Map<number, { engine: number[]; baseline: number[]; pairs: number; covered: number }>(
    HORIZONS.map((h) => [h.min, { engine: [], baseline: [], pairs: 0, covered: 0 }]),
  )
  let pairs = 0
  let covered = 0
  const mae = (list: number[]) =>
    list.length === 0
      ? null
      : Math.round((list.reduce((sum, e) => sum + Math.abs(e), 0) / list.length) * 10) / 10
  const share = (part: number, whole: number) =>
    whole === 0 ? null : Math.round((part / whole) * 1000) / 1000
  return {
    /** One ping and one stop truly ahead of it, `aheadS` before the true arrival. */
    add(aheadS: number, engineErrorS: number | null, baselineErrorS: number | null) {
      pairs++
      if (engineErrorS !== null) covered++
      const horizon = HORIZONS.find((h) => aheadS >= h.fromS && aheadS <= h.toS)
      if (!horizon) return
      const bin = errors.get(horizon.min)!
      bin.pairs++
      if (engineErrorS !== null) {
        bin.covered++
        bin.engine.push(engineErrorS)
      }
      if (baselineErrorS !== null) bin.baseline.push(baselineErrorS)
    },
    summary() {
      const out: Record<string, number | null> = {}
      for (const h of HORIZONS) out[`mae${h.min}minS`] = mae(errors.get(h.min)!.engine)
      for (const h of HORIZONS) out[`delayMae${h.min}minS`] = mae(errors.get(h.min)!.baseline)
      for (const h of HORIZONS) {
        const list = errors.get(h.min)!.engine
        out[`bias${h.min}minS`] =
          list.length === 0 ? null : Math.round((list.reduce((sum, e) => sum + e, 0) / list.length) * 10) / 10
      }
      out.coverage = share(covered, pairs)
      for (const h of HORIZONS)
        out[`coverage${h.min}min`] = share(errors.get(h.min)!.covered, errors.get(h.min)!.pairs)
      for (const h of HORIZONS) out[`scored${h.min}min`] = errors.get(h.min)!.engine.length
      return out
    },
  }
}

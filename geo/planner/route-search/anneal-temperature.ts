import type { RouteInstance } from './prepare-route-instance.js'

export interface TemperatureRange {
  startT: number
  endT: number
}

/**
 * Published SISR settings (100 → 1 on CVRPLIB X instances, whose mean customer distance is about
 * 500) rescaled to the instance's mean customer-to-customer travel, so that seconds and metres work
 * alike.
 */
export function scaleTemperatures(instance: RouteInstance): TemperatureRange {
  const { nodeCount: n, travel } = instance
  let sum = 0
  for (let i = 1; i < n; i++) for (let j = 1; j < n; j++) sum += travel[i * n + j]
  const pairs = (n - 1) * (n - 2)
  const meanTravel = pairs > 0 ? sum / pairs : 0
  return { startT: meanTravel / 5, endT: meanTravel / 500 }
}

/** Geometric cooling: progress 0 gives startT, 1 gives endT. */
export function annealTemperature(range: TemperatureRange, progress: number): number {
  if (range.startT <= 0) return 0
  return range.startT * Math.pow(range.endT / range.startT, Math.min(progress, 1))
}

import type { LatLon } from '../lat-lon.js'
import type { Router } from '../routing/router.js'

/** Stands for "no path": large enough that no limit accepts it, finite so that sums stay ordered. */
export const UNREACHABLE_S = 1e9

/**
 * Durations (whole seconds, so that timetables add up exactly) and distances between every pair of
 * places, row-major: `durationS[i * count + j]`.
 */
export interface TravelTable {
  count: number
  durationS: Float64Array
  distanceM: Float64Array
}

/** Seconds of driving from place `from` to place `to`. */
export function readDriveS(table: TravelTable, from: number, to: number): number {
  return table.durationS[from * table.count + to]!
}

export interface TravelTableOptions {
  /** The most points the router accepts in one table. */
  maxTablePoints?: number
  /** Polled between blocks; true stops the table, which then rejects. */
  checkStop?: () => void
}

/**
 * One table over all the places a plan needs. Above the router's point limit the places are cut
 * into blocks of half the limit and each pair of blocks is one request, so no request is too large.
 */
export async function buildTravelTable(
  router: Router,
  points: LatLon[],
  options: TravelTableOptions = {},
): Promise<TravelTable> {
  const count = points.length
  const durationS = new Float64Array(count * count).fill(UNREACHABLE_S)
  const distanceM = new Float64Array(count * count).fill(UNREACHABLE_S)
  const maxTablePoints = options.maxTablePoints ?? 1000
  const blockSize = count <= maxTablePoints ? count : Math.floor(maxTablePoints / 2)
  const blocks: number[][] = []
  for (let start = 0; start < count; start += blockSize) {
    blocks.push(Array.from({ length: Math.min(blockSize, count - start) }, (_, k) => start + k))
  }
  for (const rows of blocks) {
    for (const columns of blocks) {
      options.checkStop?.()
      const both = rows === columns ? rows : [...rows, ...columns]
      const table = await router.table(
        both.map((i) => points[i]!),
        {
          sources: rows.map((_, k) => k),
          destinations: columns.map((_, k) => (rows === columns ? k : rows.length + k)),
        },
      )
      rows.forEach((i, r) => {
        columns.forEach((j, c) => {
          const seconds = table.durationsS[r]?.[c]
          const metres = table.distancesM[r]?.[c]
          if (seconds !== null && seconds !== undefined) durationS[i * count + j] = Math.round(seconds)
          if (metres !== null && metres !== undefined) distanceM[i * count + j] = metres
        })
      })
    }
  }
  for (let i = 0; i < count; i++) {
    durationS[i * count + i] = 0
    distanceM[i * count + i] = 0
  }
  return { count, durationS, distanceM }
}

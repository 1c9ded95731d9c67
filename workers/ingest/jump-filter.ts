import { haversineM } from '../../geo/routing/earth-distance.js'
import type { PositionRow } from '../../server/core/broker/telemetry-rows.js'

export interface JumpLimits {
  /** Faster than this between two fixes is a jump, not driving. */
  maxImpliedSpeedKmh: number
  /** Shorter displacements are GPS noise, whatever the implied speed. */
  minJumpM: number
  /** Only fixes this close in time are compared, so one bad fix cannot lock out a bus for long. */
  windowS: number
  /** Fixes kept per bus to compare late reports with their neighbours. */
  historyPerBus: number
}

export const defaultJumpLimits: JumpLimits = {
  maxImpliedSpeedKmh: 200,
  minJumpM: 1000,
  windowS: 120,
  historyPerBus: 64,
}

/**
 * Refuses a fix that sits impossibly far from the bus's accepted fixes just before or after it in
 * time (late reports are compared with both neighbours). Accepted fixes join the history.
 */
export function createJumpFilter(limits: JumpLimits = defaultJumpLimits) {
  const history = new Map<string, PositionRow[]>()

  const impliedKmh = (a: PositionRow, b: PositionRow) => {
    const distanceM = haversineM(a.lat, a.lon, b.lat, b.lon)
    const dtS = Math.abs(a.ts.getTime() - b.ts.getTime()) / 1000
    if (distanceM < limits.minJumpM || dtS > limits.windowS) return 0
    return dtS === 0 ? Number.POSITIVE_INFINITY : (distanceM / dtS) * 3.6
  }

  return {
    /** A reason to refuse the fix, or undefined after recording it as accepted. */
    check(row: PositionRow): string | undefined {
      const fixes = history.get(row.busId) ?? []
      let index = fixes.length
      while (index > 0 && fixes[index - 1]!.ts > row.ts) index--
      for (const neighbour of [fixes[index - 1], fixes[index]]) {
        if (!neighbour) continue
        const kmh = impliedKmh(neighbour, row)
        if (kmh > limits.maxImpliedSpeedKmh) {
          const km = (haversineM(neighbour.lat, neighbour.lon, row.lat, row.lon) / 1000).toFixed(1)
          const dtS = Math.abs(neighbour.ts.getTime() - row.ts.getTime()) / 1000
          return `${km} km from the fix at ${neighbour.ts.toISOString()} in ${dtS} s`
        }
      }
      if (fixes[index - 1]?.ts.getTime() !== row.ts.getTime()) fixes.splice(index, 0, row)
      if (fixes.length > limits.historyPerBus) fixes.shift()
      history.set(row.busId, fixes)
      return undefined
    },
  }
}

export type JumpFilter = ReturnType<typeof createJumpFilter>

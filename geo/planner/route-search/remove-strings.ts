import type { SeededRandom } from '../../random/seeded-random.js'
import type { AbsentCustomers } from './absent-customers.js'
import type { NeighbourTable } from './rank-neighbours.js'
import type { RouteState } from './route-state.js'

/** SISR's published ruin settings. */
export interface StringRemovalSettings {
  /** Average number of customers removed (c̄). */
  meanRemoved: number
  /** Longest string removed from one route (L_max). */
  maxStringLength: number
  /** Chance of the split-string variant, which keeps a substring of the removed span. */
  splitRate: number
  /** Chance to stop growing the kept substring at each step. */
  splitDepth: number
}

export const SISR_REMOVAL: StringRemovalSettings = {
  meanRemoved: 10,
  maxStringLength: 10,
  splitRate: 0.5,
  splitDepth: 0.01,
}

export interface RemovalBuffers {
  /** Iteration stamp of each slot last ruined, so that each route loses at most one string. */
  ruinedAt: Int32Array
  stamp: number
}

export function createRemovalBuffers(nodeCount: number): RemovalBuffers {
  return { ruinedAt: new Int32Array(Math.max(nodeCount - 1, 1)), stamp: 0 }
}

function removeSpan(state: RouteState, absent: AbsentCustomers, slot: number, start: number, count: number) {
  const base = slot * state.stride
  for (let k = 0; k < count; k++) {
    const c = state.nodes[base + start]
    state.removeCustomer(c)
    absent.push(c)
  }
}

/**
 * Adjacent string removal: around the `seed` customer, strings containing the seed's nearest
 * customers are cut from up to k_s distinct routes, so that the ruined area is spatially compact.
 */
export function removeStrings(
  state: RouteState,
  absent: AbsentCustomers,
  table: NeighbourTable,
  buffers: RemovalBuffers,
  rng: SeededRandom,
  seed: number,
  settings: StringRemovalSettings,
): void {
  if (state.activeCount === 0) return
  const stamp = ++buffers.stamp
  const customerCount = state.routeOf.length - 1
  const lsMax = Math.min(settings.maxStringLength, customerCount / state.activeCount)
  const ksMax = (4 * settings.meanRemoved) / (1 + lsMax) - 1
  const ks = Math.floor(rng.next() * ksMax) + 1
  let ruined = 0
  const row = seed * table.width
  for (let k = 0; k < table.width && ruined < ks; k++) {
    const c = table.neighbours[row + k]
    const slot = state.routeOf[c]
    if (slot < 0 || buffers.ruinedAt[slot] === stamp) continue
    buffers.ruinedAt[slot] = stamp
    ruined++
    const len = state.length[slot]
    const lMax = Math.min(len, lsMax)
    const l = Math.floor(rng.next() * lMax) + 1
    const position = state.positionOf[c]
    if (len > l && rng.next() < settings.splitRate) {
      let kept = 1
      while (l + kept < len && rng.next() > settings.splitDepth) kept++
      const span = l + kept
      const start = pickStart(position, span, len, rng)
      const keptStart = start + Math.floor(rng.next() * (l + 1))
      removeSpan(state, absent, slot, keptStart + kept, start + span - keptStart - kept)
      removeSpan(state, absent, slot, start, keptStart - start)
    } else {
      removeSpan(state, absent, slot, pickStart(position, l, len, rng), l)
    }
    state.finishRemovals(slot)
    if (state.length[slot] > 0 && !state.isWithinLimits(slot)) {
      removeSpan(state, absent, slot, 0, state.length[slot])
      state.finishRemovals(slot)
    }
  }
}

/** A uniform start for a span of `span` customers that contains `position`. */
function pickStart(position: number, span: number, len: number, rng: SeededRandom): number {
  const first = Math.max(0, position - span + 1)
  const last = Math.min(position, len - span)
  return first + Math.floor(rng.next() * (last - first + 1))
}

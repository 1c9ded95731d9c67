import { MinHeap } from '../routing/min-heap.js'
import type { ReachableStops } from './reachable-stops.js'

export interface StopChoice {
  /** The candidate each home is assigned to; -1 when it has none. */
  stopOf: Int32Array
  /** The kept candidates, in the order they were opened. */
  opened: number[]
}

/**
 * Few stops first, then short walks. A capacitated greedy set cover opens, again and again, the
 * candidate that gathers most unassigned homes (the nearest ones when more than fit), shorter
 * mean walks breaking ties; it stops when no candidate would gather `minStopPupils`. Homes left
 * over join an opened stop with room. One that only full stops reach gets a new stop, filled up to
 * `minStopPupils` with homes that stops with more than that can spare; a home no stop reaches
 * stays alone, as a stop for it would cost a bus detour for one pupil. Then each home moves to
 * the nearest opened stop with room, stops whose homes all fit elsewhere are closed, smallest
 * first, and homes move once more.
 */
export function chooseStops(
  reach: ReachableStops,
  candidateCount: number,
  options: { stopCapacity: number; minStopPupils: number },
): StopChoice {
  const homeCount = reach.start.length - 1
  const members = listHomesByCandidate(reach, candidateCount)
  const state = {
    reach,
    capacity: options.stopCapacity,
    minStop: options.minStopPupils,
    stopOf: new Int32Array(homeCount).fill(-1),
    load: new Int32Array(candidateCount),
    isOpen: new Uint8Array(candidateCount),
  }
  const opened = openGreedily(state, members)
  for (let h = 0; h < homeCount; h++) {
    if (state.stopOf[h] !== -1 || joinNearestWithRoom(state, h, -1)) continue
    if (reachesOpenStop(state, h)) openWithBorrowedHomes(state, members, h, opened)
  }
  moveToNearerStops(state)
  const kept = closeRedundantStops(state, opened)
  moveToNearerStops(state)
  return { stopOf: state.stopOf, opened: kept }
}

interface CoverState {
  reach: ReachableStops
  capacity: number
  minStop: number
  stopOf: Int32Array
  load: Int32Array
  isOpen: Uint8Array
}

interface CandidateMembers {
  start: Int32Array
  home: Int32Array
  walkM: Float64Array
}

/** The homes within reach of each candidate, nearest first (lower home number among equals). */
function listHomesByCandidate(reach: ReachableStops, candidateCount: number): CandidateMembers {
  const start = new Int32Array(candidateCount + 1)
  for (const c of reach.candidate) start[c + 1]++
  for (let c = 0; c < candidateCount; c++) start[c + 1] += start[c]
  const fill = start.slice(0, candidateCount)
  const home = new Int32Array(reach.candidate.length)
  const walkM = new Float64Array(reach.candidate.length)
  for (let h = 0; h + 1 < reach.start.length; h++) {
    for (let k = reach.start[h]; k < reach.start[h + 1]; k++) {
      const slot = fill[reach.candidate[k]]++
      home[slot] = h
      walkM[slot] = reach.walkM[k]
    }
  }
  for (let c = 0; c < candidateCount; c++) {
    if (start[c + 1] - start[c] < 2) continue
    const order = Array.from({ length: start[c + 1] - start[c] }, (_, i) => start[c] + i)
    order.sort((a, b) => walkM[a] - walkM[b] || home[a] - home[b])
    const sortedWalkM = order.map((slot) => walkM[slot])
    home.set(
      order.map((slot) => home[slot]),
      start[c],
    )
    walkM.set(sortedWalkM, start[c])
  }
  return { start, home, walkM }
}

/**
 * Lazy greedy: a candidate's gain only shrinks as homes are assigned, so a stale score is an
 * upper bound and only the top of the heap needs rescoring.
 */
function openGreedily(state: CoverState, members: CandidateMembers): number[] {
  const { reach, capacity, minStop, stopOf } = state
  let longestWalkM = 0
  for (const walkM of reach.walkM) longestWalkM = Math.max(longestWalkM, walkM)
  const chosen: number[] = []
  const score = (c: number): number => {
    chosen.length = 0
    let walkSumM = 0
    for (let k = members.start[c]; k < members.start[c + 1] && chosen.length < capacity; k++) {
      const h = members.home[k]
      if (stopOf[h] !== -1) continue
      chosen.push(h)
      walkSumM += members.walkM[k]
    }
    if (chosen.length < minStop) return -Infinity
    return chosen.length - walkSumM / chosen.length / (longestWalkM + 1)
  }
  const heap = new MinHeap()
  for (let c = 0; c + 1 < members.start.length; c++) {
    const s = score(c)
    if (s > -Infinity) heap.push(-s, c)
  }
  const opened: number[] = []
  while (heap.size > 0) {
    const c = heap.pop()
    const s = score(c)
    if (s === -Infinity) continue
    if (heap.size > 0 && s < -heap.peekKey()) {
      heap.push(-s, c)
      continue
    }
    for (const h of chosen) stopOf[h] = c
    state.load[c] = chosen.length
    state.isOpen[c] = 1
    opened.push(c)
  }
  return opened
}

function reachesOpenStop(state: CoverState, h: number): boolean {
  for (let k = state.reach.start[h]; k < state.reach.start[h + 1]; k++)
    if (state.isOpen[state.reach.candidate[k]]) return true
  return false
}

/**
 * Opens the nearest candidate of home h that gathers `minStopPupils` from h, other unassigned
 * homes and homes whose stops keep `minStopPupils` without them, if any can.
 */
function openWithBorrowedHomes(
  state: CoverState,
  members: CandidateMembers,
  h: number,
  opened: number[],
): void {
  const { reach, stopOf, load } = state
  for (let k = reach.start[h]; k < reach.start[h + 1]; k++) {
    const c = reach.candidate[k]
    if (state.isOpen[c]) continue
    const group = [h]
    const spare = new Map<number, number>()
    for (let m = members.start[c]; m < members.start[c + 1] && group.length < state.capacity; m++) {
      const other = members.home[m]
      const from = stopOf[other]
      if (other === h) continue
      if (from === -1) {
        group.push(other)
        continue
      }
      const left = spare.get(from) ?? load[from]
      if (group.length >= state.minStop || left - 1 < state.minStop) continue
      spare.set(from, left - 1)
      group.push(other)
    }
    if (group.length < state.minStop) continue
    for (const member of group) {
      if (stopOf[member] !== -1) load[stopOf[member]]--
      stopOf[member] = c
    }
    load[c] = group.length
    state.isOpen[c] = 1
    opened.push(c)
    return
  }
}

/** Assigns home h to its nearest open stop with room other than `except`; false when none has. */
function joinNearestWithRoom(state: CoverState, h: number, except: number): boolean {
  const { reach } = state
  for (let k = reach.start[h]; k < reach.start[h + 1]; k++) {
    const c = reach.candidate[k]
    if (c === except || !state.isOpen[c] || state.load[c] >= state.capacity) continue
    state.stopOf[h] = c
    state.load[c]++
    return true
  }
  return false
}

/**
 * Each home moves to a nearer open stop with room, as long as the stop it leaves keeps
 * `minStopPupils`; repeated until nothing moves, as a move frees room for others.
 */
function moveToNearerStops(state: CoverState): void {
  const { reach, stopOf, load } = state
  for (let moved = true; moved;) {
    moved = false
    for (let h = 0; h < stopOf.length; h++) {
      const current = stopOf[h]
      if (current === -1 || load[current] - 1 < state.minStop) continue
      for (let k = reach.start[h]; k < reach.start[h + 1]; k++) {
        const c = reach.candidate[k]
        if (c === current) break
        if (!state.isOpen[c] || load[c] >= state.capacity) continue
        load[current]--
        load[c]++
        stopOf[h] = c
        moved = true
        break
      }
    }
  }
}

/** Closes, smallest first, each stop whose homes all fit into other open stops; returns the rest. */
function closeRedundantStops(state: CoverState, opened: number[]): number[] {
  const bySize = opened
    .map((c, rank) => ({ c, rank }))
    .sort((a, b) => state.load[a.c] - state.load[b.c] || a.rank - b.rank)
  for (const { c } of bySize) {
    const moved: number[] = []
    for (let h = 0; h < state.stopOf.length; h++) {
      if (state.stopOf[h] !== c) continue
      if (!joinNearestWithRoom(state, h, c)) break
      moved.push(h)
    }
    if (moved.length === state.load[c]) {
      state.isOpen[c] = 0
      state.load[c] = 0
      continue
    }
    for (const h of moved) {
      state.load[state.stopOf[h]]--
      state.stopOf[h] = c
    }
  }
  return opened.filter((c) => state.isOpen[c])
}

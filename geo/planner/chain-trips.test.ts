import { describe, expect, it } from 'vitest'
import { GeoError } from '../geo-error.js'
import { chainTrips, chainTripsQuickly, countChainVehicles, type ChainableTrip } from './chain-trips.js'

/** Places on a line, 10 s apart. */
const deadheadS = (from: number, to: number) => Math.abs(from - to) * 10

function randomTrips(seed: number, n: number): ChainableTrip[] {
  let state = seed
  const random = (below: number) => {
    state = (state * 1103515245 + 12345) % 2147483648
    return Math.floor((state / 2147483648) * below)
  }
  return Array.from({ length: n }, () => {
    const startS = random(120)
    return { startS, endS: startS + random(40), startPlace: random(4), endPlace: random(4) }
  })
}

/** Every way of giving each trip at most one successor and each trip at most one predecessor. */
function bruteForce(trips: ChainableTrip[], turnaroundS: number) {
  const n = trips.length
  const may = (i: number, j: number) =>
    i !== j &&
    trips[i].endS + turnaroundS + deadheadS(trips[i].endPlace, trips[j].startPlace) <= trips[j].startS
  let best = { vehicles: Infinity, deadS: Infinity }
  const taken = new Array<boolean>(n).fill(false)
  const visit = (i: number, edges: number, deadS: number) => {
    if (i === n) {
      const vehicles = n - edges
      if (vehicles < best.vehicles || (vehicles === best.vehicles && deadS < best.deadS))
        best = { vehicles, deadS }
      return
    }
    visit(i + 1, edges, deadS)
    for (let j = 0; j < n; j++) {
      if (taken[j] || !may(i, j)) continue
      taken[j] = true
      visit(i + 1, edges + 1, deadS + deadheadS(trips[i].endPlace, trips[j].startPlace))
      taken[j] = false
    }
  }
  visit(0, 0, 0)
  return best
}

function deadOf(trips: ChainableTrip[], chains: number[][]) {
  let deadS = 0
  for (const chain of chains) {
    for (let k = 1; k < chain.length; k++)
      deadS += deadheadS(trips[chain[k - 1]].endPlace, trips[chain[k]].startPlace)
  }
  return deadS
}

describe('chainTrips', () => {
  it('matches a brute force on small random cases in vehicles and deadhead', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const trips = randomTrips(seed, 3 + (seed % 5))
      const turnaroundS = seed % 3 === 0 ? 5 : 0
      const chains = chainTrips(trips, deadheadS, { turnaroundS })
      expect(chains.flat().sort((a, b) => a - b)).toEqual(trips.map((_, i) => i))
      for (const chain of chains) {
        for (let k = 1; k < chain.length; k++) {
          const [from, to] = [trips[chain[k - 1]], trips[chain[k]]]
          expect(from.endS + turnaroundS + deadheadS(from.endPlace, to.startPlace)).toBeLessThanOrEqual(
            to.startS,
          )
        }
      }
      const best = bruteForce(trips, turnaroundS)
      expect(chains.length).toBe(best.vehicles)
      expect(deadOf(trips, chains)).toBe(best.deadS)
      expect(countChainVehicles(trips, deadheadS, { turnaroundS })).toBe(best.vehicles)
    }
  })

  it('chains quickly onto as few vehicles, every trip once and each pair within the turnaround', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const trips = randomTrips(seed, 3 + (seed % 5))
      const turnaroundS = seed % 3 === 0 ? 5 : 0
      const chains = chainTripsQuickly(trips, deadheadS, { turnaroundS })
      expect(chains.flat().sort((a, b) => a - b)).toEqual(trips.map((_, i) => i))
      for (const chain of chains) {
        for (let k = 1; k < chain.length; k++) {
          const [from, to] = [trips[chain[k - 1]], trips[chain[k]]]
          expect(from.endS + turnaroundS + deadheadS(from.endPlace, to.startPlace)).toBeLessThanOrEqual(
            to.startS,
          )
        }
      }
      expect(chains.length).toBe(bruteForce(trips, turnaroundS).vehicles)
    }
  })

  it('prefers the chaining with less deadhead among those with the fewest vehicles', () => {
    // Two morning trips end at places 0 and 3; two later ones start at 3 and 0.
    const trips: ChainableTrip[] = [
      { startS: 0, endS: 10, startPlace: 0, endPlace: 0 },
      { startS: 0, endS: 10, startPlace: 3, endPlace: 3 },
      { startS: 100, endS: 110, startPlace: 3, endPlace: 3 },
      { startS: 100, endS: 110, startPlace: 0, endPlace: 0 },
    ]
    expect(chainTrips(trips, deadheadS)).toEqual([
      [0, 3],
      [1, 2],
    ])
  })

  it('keeps chains within the turnaround and handles no trips', () => {
    const trips: ChainableTrip[] = [
      { startS: 0, endS: 10, startPlace: 0, endPlace: 1 },
      { startS: 30, endS: 40, startPlace: 2, endPlace: 2 },
    ]
    expect(chainTrips(trips, deadheadS, { turnaroundS: 10 })).toEqual([[0, 1]])
    expect(chainTrips(trips, deadheadS, { turnaroundS: 11 })).toEqual([[0], [1]])
    expect(chainTrips([], deadheadS)).toEqual([])
  })

  it('chains trips of no duration at one place once, without a cycle', () => {
    const trips: ChainableTrip[] = [0, 1, 2].map(() => ({ startS: 5, endS: 5, startPlace: 1, endPlace: 1 }))
    expect(chainTrips(trips, deadheadS)).toEqual([[0, 1, 2]])
  })

  it('rejects a trip that ends before it starts', () => {
    expect(() => chainTrips([{ startS: 5, endS: 4, startPlace: 0, endPlace: 0 }], deadheadS)).toThrow(
      GeoError,
    )
  })
})

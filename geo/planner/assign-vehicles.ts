import { chainTrips, countChainVehicles, chainTripsQuickly, type ChainableTrip } from './chain-trips.js'
import type { PlanBusType } from './plan-model.js'
import { readDriveS, type TravelTable } from './build-travel-table.js'
import { shiftTrip, type DraftTrip } from './time-trip.js'

/** Doors, a head count and a check that nobody is left on board before the bus drives on. */
export const TURNAROUND_S = 120

/**
 * A trip as the chaining sees it: starting as late and ending as early as its slack allows, so that
 * two trips chain when some timing within their windows lets one bus drive both.
 */
function toChainable(draft: DraftTrip): ChainableTrip {
  const startS = draft.trip.stops[0]!.arriveS + draft.slack.laterS
  const endS = draft.trip.stops.at(-1)!.departS - draft.slack.earlierS
  return {
    startS,
    endS: Math.max(startS, endS),
    startPlace: draft.places[0]!,
    endPlace: draft.places.at(-1)!,
  }
}

const chainOptions = { turnaroundS: TURNAROUND_S }

function deadheadOn(table: TravelTable): (from: number, to: number) => number {
  return (from, to) => readDriveS(table, from, to)
}

/** Seconds of empty driving from the end of trip `from` to the start of trip `to`. */
function deadheadBetweenS(trips: DraftTrip[], table: TravelTable, from: number, to: number): number {
  return readDriveS(table, trips[from]!.places.at(-1)!, trips[to]!.places[0]!)
}

/** Chains of trip indexes: fewest buses, then least empty driving between trips. */
function chainDayTrips(trips: DraftTrip[], table: TravelTable): number[][] {
  return chainTrips(trips.map(toChainable), deadheadOn(table), chainOptions)
}

/** The cheap fewest-bus chaining, without the least-deadhead choice or timing. */
function chainDayTripsFewest(trips: DraftTrip[], table: TravelTable): number[][] {
  return chainTripsQuickly(trips.map(toChainable), deadheadOn(table), chainOptions)
}

/**
 * Chains of trip indexes timed within the windows (`scheduleChains`) from the cheap fewest-bus
 * chaining: the buses a timetable really needs, quickly enough to compare many timetables.
 */
export function chainDayTripsQuickly(trips: DraftTrip[], table: TravelTable): number[][] {
  return scheduleChains(chainDayTripsFewest(trips, table), trips, table).chains
}

/** Seconds of empty driving between the trips of the least-deadhead fewest-bus chaining. */
export function measureDayDeadheadS(trips: DraftTrip[], table: TravelTable): number {
  let deadheadS = 0
  for (const chain of chainDayTrips(trips, table)) {
    for (let k = 1; k < chain.length; k++) {
      deadheadS += deadheadBetweenS(trips, table, chain[k - 1]!, chain[k]!)
    }
  }
  return deadheadS
}

/** The bus count alone, for comparing many timetables quickly. */
export function countDayBuses(trips: DraftTrip[], table: TravelTable): number {
  return countChainVehicles(trips.map(toChainable), deadheadOn(table), chainOptions)
}

/**
 * The bus count, plus the buses missing for want of large enough types: for each type's seat count,
 * the trips over it need buses of more seats, however they are chained with the others, at least
 * as many as they need on their own; what the fleet lacks of those must be hired or routed again.
 */
export function countFleetBuses(trips: DraftTrip[], table: TravelTable, fleet: PlanBusType[]): number {
  let missing = 0
  for (const seats of new Set(fleet.map((t) => t.seats))) {
    const larger = fleet.filter((t) => t.seats > seats)
    if (larger.length === 0 || larger.some((t) => t.available === null)) continue
    const over = trips.filter((draft) => draft.load > seats)
    const available = larger.reduce((sum, t) => sum + t.available!, 0)
    if (over.length > available) {
      missing = Math.max(missing, chainDayTripsQuickly(over, table).length - available)
    }
  }
  return chainDayTripsQuickly(trips, table).length + missing
}

/**
 * A bus type for each chain, or null where no type with enough seats is left. The chains needing
 * most seats choose first, so that the few large buses go where they are needed; each takes the
 * smallest type that fits, the bureau's own buses before hired ones.
 */
export function assignBusTypes(needs: number[], fleet: PlanBusType[]): (PlanBusType | null)[] {
  const used = new Map<string, number>()
  const preference = [...fleet].sort(
    (a, b) =>
      Number(a.available === null) - Number(b.available === null) ||
      a.seats - b.seats ||
      a.costPerDayYuan - b.costPerDayYuan,
  )
  const assigned: (PlanBusType | null)[] = needs.map(() => null)
  const order = needs.map((_, i) => i).sort((a, b) => needs[b]! - needs[a]! || a - b)
  for (const chain of order) {
    const type = preference.find(
      (t) => t.seats >= needs[chain]! && (t.available === null || (used.get(t.id) ?? 0) < t.available),
    )
    if (!type) continue
    used.set(type.id, (used.get(type.id) ?? 0) + 1)
    assigned[chain] = type
  }
  return assigned
}

/**
 * Times each chain's trips within their slack: first as early as the chain allows, then morning
 * trips as late as the next trip allows, so that pupils wait least at school. Chaining checks
 * pairs only, so three trips may not fit together; the chain is then cut there into two buses.
 */
export function scheduleChains(
  chains: number[][],
  trips: DraftTrip[],
  table: TravelTable,
): { chains: number[][]; trips: DraftTrip[] } {
  const offsetS = new Float64Array(trips.length)
  const startS = (t: number) => trips[t]!.trip.stops[0]!.arriveS
  const endS = (t: number) => trips[t]!.trip.stops.at(-1)!.departS
  const gapS = (from: number, to: number) => TURNAROUND_S + deadheadBetweenS(trips, table, from, to)
  const scheduled: number[][] = []
  for (const chain of chains) {
    let current: number[] = []
    for (const t of chain) {
      const earliest = -trips[t]!.slack.earlierS
      const previous = current.at(-1)
      let offset = earliest
      if (previous !== undefined) {
        offset = Math.max(earliest, endS(previous) + offsetS[previous]! + gapS(previous, t) - startS(t))
        if (offset > trips[t]!.slack.laterS) {
          scheduled.push(current)
          current = []
          offset = earliest
        }
      }
      offsetS[t] = offset
      current.push(t)
    }
    scheduled.push(current)
  }
  for (const chain of scheduled) {
    for (let k = chain.length - 1; k >= 0; k--) {
      const t = chain[k]!
      if (trips[t]!.trip.direction !== 'to_school') continue
      const next = chain[k + 1]
      const latest =
        next === undefined
          ? trips[t]!.slack.laterS
          : Math.min(trips[t]!.slack.laterS, startS(next) + offsetS[next]! - gapS(t, next) - endS(t))
      offsetS[t] = Math.max(offsetS[t]!, latest)
    }
  }
  return {
    chains: scheduled,
    trips: trips.map((draft, t) =>
      offsetS[t] === 0 ? draft : { ...draft, trip: shiftTrip(draft.trip, offsetS[t]!) },
    ),
  }
}

/**
 * Swaps the tails of two buses' days where the trips still follow each other in time (and moves
 * a whole day onto another bus, which saves one), so that the trips needing large buses gather
 * on as few days as the large buses can cover. Chaining counts buses, not seats: without this, the
 * few large buses run out while many days hold one full trip each.
 */
export function exchangeChainTails(
  chains: number[][],
  trips: DraftTrip[],
  table: TravelTable,
  fleet: PlanBusType[],
): number[][] {
  const days = chains.map((chain) => [...chain])
  const hiredSeats = Math.max(0, ...fleet.filter((t) => t.available === null).map((t) => t.seats))
  const score = () => {
    const needs = days.filter((d) => d.length > 0).map((d) => Math.max(...d.map((t) => trips[t]!.load)))
    const missing = assignBusTypes(needs, fleet).filter((t) => t === null).length
    return [needs.length + missing, missing, needs.filter((need) => need > hiredSeats).length]
  }
  const worse = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!
  const follows = (from: number | undefined, to: number | undefined) =>
    from === undefined ||
    to === undefined ||
    trips[from]!.trip.stops.at(-1)!.departS + TURNAROUND_S + deadheadBetweenS(trips, table, from, to) <=
      trips[to]!.trip.stops[0]!.arriveS
  let current = score()
  if (current[1] === 0) return days
  for (let improved = true; improved && current[1]! > 0;) {
    improved = false
    for (let x = 0; x < days.length; x++) {
      for (let y = x + 1; y < days.length; y++) {
        for (let i = 0; i <= days[x]!.length; i++) {
          for (let j = 0; j <= days[y]!.length; j++) {
            const a = days[x]!
            const b = days[y]!
            if ((i === 0 && j === 0) || (i === a.length && j === b.length)) continue
            if (!follows(a[i - 1], b[j]) || !follows(b[j - 1], a[i])) continue
            days[x] = [...a.slice(0, i), ...b.slice(j)]
            days[y] = [...b.slice(0, j), ...a.slice(i)]
            const trial = score()
            if (worse(trial, current) < 0) {
              current = trial
              improved = true
            } else {
              days[x] = a
              days[y] = b
            }
          }
        }
      }
    }
  }
  return days.filter((d) => d.length > 0)
}

/** The day's buses: chained, timed within the windows, large trips gathered, each with a type. */
export function planBusDays(
  trips: DraftTrip[],
  table: TravelTable,
  fleet: PlanBusType[],
): { chains: number[][]; trips: DraftTrip[]; types: (PlanBusType | null)[] } {
  // Least deadhead, unless timing its chains cuts them into more buses than the cheap chaining's.
  const leastDeadhead = scheduleChains(chainDayTrips(trips, table), trips, table)
  const quick = scheduleChains(chainDayTripsFewest(trips, table), trips, table)
  const scheduled = quick.chains.length < leastDeadhead.chains.length ? quick : leastDeadhead
  const chains = exchangeChainTails(scheduled.chains, scheduled.trips, table, fleet)
  const needs = chains.map((chain) => Math.max(...chain.map((t) => trips[t]!.load)))
  return { chains, trips: scheduled.trips, types: assignBusTypes(needs, fleet) }
}

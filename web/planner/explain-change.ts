import type { Metrics, Replanned, ServicePart } from './planner-contract.js'

/** A bus type as both sides of a comparison know it. */
export interface PartPair {
  busTypeId: string
  seats: number
  hired: boolean
  before: ServicePart | null
  after: ServicePart | null
}

/** The bus types of two services side by side: the bureau's own first, larger first. */
export function pairParts(before: Metrics, after: Metrics): PartPair[] {
  const pairs = new Map<string, PartPair>()
  const add = (side: 'before' | 'after', parts: ServicePart[] | undefined) => {
    for (const part of parts ?? []) {
      const pair = pairs.get(part.busTypeId) ?? {
        busTypeId: part.busTypeId,
        seats: part.seats,
        hired: part.hired,
        before: null,
        after: null,
      }
      pair[side] = part
      pairs.set(part.busTypeId, pair)
    }
  }
  add('before', before.parts)
  add('after', after.parts)
  return [...pairs.values()].sort((a, b) => Number(a.hired) - Number(b.hired) || b.seats - a.seats)
}

/** Why the day's cost moved between two services, in the figures the planner counts it by. */
export interface ChangeExplanation {
  costDeltaYuan: number
  /** Buses more (positive) or fewer, by who provides them; `all` when the parts are not known. */
  busDeltas: { who: 'regulation' | 'hired' | 'all'; delta: number }[]
  kmDelta: number
  /** The bus type whose cost moved most, when the cost moved and the parts are known. */
  largest: { seats: number; hired: boolean; costDeltaYuan: number } | null
}

/** Differences smaller than these are noise of rounding, not a change. */
const minYuan = 1
const minKm = 1

export function explainChange(before: Metrics, after: Metrics): ChangeExplanation {
  const costDeltaYuan = after.costPerDayYuan - before.costPerDayYuan
  const known = before.parts !== undefined && after.parts !== undefined
  const pairs = pairParts(before, after)
  const busesOf = (hired: boolean, side: 'before' | 'after') =>
    pairs.filter((p) => p.hired === hired).reduce((sum, p) => sum + (p[side]?.buses ?? 0), 0)
  const busDeltas: ChangeExplanation['busDeltas'] = known
    ? [
        { who: 'regulation' as const, delta: busesOf(false, 'after') - busesOf(false, 'before') },
        { who: 'hired' as const, delta: busesOf(true, 'after') - busesOf(true, 'before') },
      ].filter((d) => d.delta !== 0)
    : after.buses !== before.buses
      ? [{ who: 'all', delta: after.buses - before.buses }]
      : []
  const moves = pairs
    .map((p) => ({
      seats: p.seats,
      hired: p.hired,
      costDeltaYuan: (p.after?.costPerDayYuan ?? 0) - (p.before?.costPerDayYuan ?? 0),
    }))
    .sort((a, b) => Math.abs(b.costDeltaYuan) - Math.abs(a.costDeltaYuan))
  const largest =
    known && Math.abs(costDeltaYuan) >= minYuan && moves[0] && Math.abs(moves[0].costDeltaYuan) >= minYuan
      ? moves[0]
      : null
  const kmDelta = after.busKmPerDay - before.busKmPerDay
  return {
    costDeltaYuan: Math.abs(costDeltaYuan) < minYuan ? 0 : costDeltaYuan,
    busDeltas,
    kmDelta: Math.abs(kmDelta) < minKm ? 0 : kmDelta,
    largest,
  }
}

/** A ride group a what-if planned again, as the page names it: its school and its time. */
export interface ReplannedTime {
  schoolId: string
  direction: 'to_school' | 'from_school'
  /** HH:MM local time of the bell or the release, after the shifts. */
  time: string
}

/** What a what-if planned again and what it kept of its base plan, in the figures it counts. */
export interface ReplanExplanation {
  mode: 'partial' | 'full'
  /** Why everything was planned again (`full`); null otherwise. */
  reason: string | null
  replanned: number
  reused: number
  /** The first few groups planned again, earliest first, and how many more there are. */
  shown: ReplannedTime[]
  more: number
  microRetimed: number
}

/** More groups than this are counted, not listed. */
const maxGroupsShown = 4

export function explainReplan(replanned: Replanned): ReplanExplanation {
  const ordered = [...replanned.groups].sort(
    (a, b) => a.timeS - b.timeS || a.schoolId.localeCompare(b.schoolId),
  )
  return {
    mode: replanned.mode,
    reason: replanned.mode === 'full' ? (replanned.reason ?? 'unknown') : null,
    replanned: replanned.groups.length,
    reused: replanned.reusedGroups,
    shown: ordered.slice(0, maxGroupsShown).map((group) => ({
      schoolId: group.schoolId,
      direction: group.direction,
      time: formatClock(group.timeS),
    })),
    more: Math.max(0, ordered.length - maxGroupsShown),
    microRetimed: replanned.microRuns.retimed,
  }
}

/** Seconds after midnight as HH:MM. */
function formatClock(timeS: number): string {
  const minutes = Math.round(timeS / 60)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(Math.floor(minutes / 60) % 24)}:${pad(minutes % 60)}`
}

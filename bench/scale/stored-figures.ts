import type { Queryable } from '../../server/core/store/database.js'
import {
  eventSpanMs,
  readStoredEvents as readEventsOfKinds,
  type StoredEvent as SharedStoredEvent,
} from '../stored-events.js'
import { eventKey, type DerivedEvent, type DerivedEventKind } from '../../workers/events/derived-event.js'

export interface StoredTelemetry {
  /** Rows in positions and limiter_states of the fleet's buses. */
  rows: number
  /** Distinct (bus, kind of report, ts): the reports that arrived, each once. */
  distinct: number
  /** When the last of them was stored (received_at, set by the ingest when it commits). */
  lastStoredAt: Date | null
}

export async function readStoredTelemetry(
  db: Queryable,
  busIds: readonly string[],
): Promise<StoredTelemetry> {
  const [row] = await db.query<{ rows: number; distinct: number; last: Date | null }>(
    `SELECT count(*)::int AS rows, count(DISTINCT (kind, bus_id, ts))::int AS distinct, max(received_at) AS last
     FROM (SELECT 'gps' AS kind, bus_id, ts, received_at FROM positions WHERE bus_id = ANY($1::text[])
           UNION ALL
           SELECT 'limiter', bus_id, ts, received_at FROM limiter_states WHERE bus_id = ANY($1::text[])) AS t`,
    [busIds],
  )
  return { rows: row?.rows ?? 0, distinct: row?.distinct ?? 0, lastStoredAt: row?.last ?? null }
}

export type StoredEvent = SharedStoredEvent & { kind: DerivedEventKind }

/** The kinds the events part derives; the table also holds alarms (pupils not boarded, child left on bus). */
export const derivedKinds: readonly DerivedEventKind[] = [
  'over_speed',
  'limiter_disabled',
  'terminal_silent',
  'stop_arrival',
  'stop_departure',
]

/** The derived events of these buses in the store. */
export async function readStoredEvents(db: Queryable, busIds: readonly string[]): Promise<StoredEvent[]> {
  return (await readEventsOfKinds(db, { kinds: derivedKinds, busIds })) as StoredEvent[]
}

/** How many alarms of each kind the store holds for these buses: events not derived by the rules. */
export async function countAlarms(db: Queryable, busIds: readonly string[]): Promise<Record<string, number>> {
  const rows = await db.query<{ kind: string; n: number }>(
    `SELECT kind, count(*)::int AS n FROM events
     WHERE bus_id = ANY($1::text[]) AND NOT kind = ANY($2::text[]) GROUP BY kind ORDER BY kind`,
    [busIds, derivedKinds],
  )
  return Object.fromEntries(rows.map((row) => [row.kind, row.n]))
}

/** A fingerprint of the derived events stored: it changes when a row is added or its details change. */
export async function storedEventsVersion(db: Queryable, busIds: readonly string[]): Promise<string> {
  const [row] = await db.query<{ version: string | null; n: number }>(
    `SELECT count(*)::int AS n,
       md5(string_agg(bus_id || kind || ts::text || details::text, ',' ORDER BY bus_id, kind, ts)) AS version
     FROM events WHERE bus_id = ANY($1::text[]) AND kind = ANY($2::text[])`,
    [busIds, derivedKinds],
  )
  return `${row?.n ?? 0}:${row?.version ?? ''}`
}

export interface EventFigures {
  eventsExpected: number
  eventsStored: number
  /** Stored rows the rules did not derive that cover the same episode as another row: the same stop visit, an overlapping span. */
  eventsDuplicated: number
  /** Expected keys (bus, kind, ts) not in the store. */
  eventsMissed: number
  /** Stored rows the rules did not derive that overlap no other row. */
  eventsUnexpected: number
  byKind: Record<string, { expected: number; stored: number; missed: number; duplicated: number }>
}

/** Compares the store with the expected events by key, and tells duplicates from other strays. */
export function compareEvents(expected: ReadonlyMap<string, DerivedEvent>, stored: readonly StoredEvent[]) {
  const storedKeys = new Set(stored.map(eventKey))
  const byKind: EventFigures['byKind'] = {}
  const kindOf = (kind: string) => (byKind[kind] ??= { expected: 0, stored: 0, missed: 0, duplicated: 0 })
  let missed = 0
  for (const [key, event] of expected) {
    kindOf(event.kind).expected++
    if (!storedKeys.has(key)) {
      missed++
      kindOf(event.kind).missed++
    }
  }
  const sameBusAndKind = new Map<string, StoredEvent[]>()
  for (const event of stored) {
    kindOf(event.kind).stored++
    const group = `${event.busId}\u0000${event.kind}`
    sameBusAndKind.set(group, [...(sameBusAndKind.get(group) ?? []), event])
  }
  let duplicated = 0
  let unexpected = 0
  for (const event of stored) {
    if (expected.has(eventKey(event))) continue
    const others = sameBusAndKind.get(`${event.busId}\u0000${event.kind}`) ?? []
    if (others.some((other) => other !== event && sameEpisode(event, other))) {
      duplicated++
      kindOf(event.kind).duplicated++
    } else unexpected++
  }
  const figures: EventFigures = {
    eventsExpected: expected.size,
    eventsStored: stored.length,
    eventsDuplicated: duplicated,
    eventsMissed: missed,
    eventsUnexpected: unexpected,
    byKind,
  }
  return figures
}

/** Two rows of one bus and kind that tell of the same thing: one stop visit, or spans that overlap. */
function sameEpisode(a: StoredEvent, b: StoredEvent): boolean {
  if (a.kind === 'stop_arrival' || a.kind === 'stop_departure')
    return a.tripId === b.tripId && a.details.seq === b.details.seq
  const [aFrom, aTo] = eventSpanMs(a)
  const [bFrom, bTo] = eventSpanMs(b)
  return aFrom <= bTo && bFrom <= aTo
}

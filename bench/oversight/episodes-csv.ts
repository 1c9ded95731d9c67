import fs from 'node:fs/promises'
import { stringify } from 'csv-stringify/sync'
import type { EpisodeMatches } from './match-episodes.js'

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : '')

/**
 * Every injected episode and raised event of the run, one row each, with what it was matched to:
 * `side` injected or raised, `outcome` from match-episodes.ts, and the other side's id and times.
 */
export async function writeEpisodesCsv(
  file: string,
  days: readonly { date: string; matches: EpisodeMatches }[],
): Promise<void> {
  const rows: (string | number | null)[][] = [
    [
      'date',
      'side',
      'id',
      'kind',
      'bus_id',
      'trip_id',
      'stop_id',
      'start',
      'end',
      'expected',
      'cause',
      'outcome',
      'matched_id',
      'matched_start',
      'matched_end',
      'detail',
    ],
  ]
  for (const { date, matches } of days) {
    for (const { episode, outcome, raised } of matches.injected) {
      rows.push([
        date,
        'injected',
        episode.id,
        episode.kind,
        episode.busId,
        episode.tripId,
        episode.stopId,
        iso(episode.startMs),
        iso(episode.endMs),
        episode.expected,
        episode.cause,
        outcome,
        raised?.id ?? null,
        raised ? iso(raised.startMs) : null,
        raised ? iso(raised.endMs) : null,
        episode.detail,
      ])
    }
    for (const { episode, outcome, injected } of matches.raised) {
      rows.push([
        date,
        'raised',
        episode.id,
        episode.kind,
        episode.busId,
        episode.tripId,
        episode.stopId,
        iso(episode.startMs),
        iso(episode.endMs),
        null,
        null,
        outcome,
        injected?.id ?? null,
        injected ? iso(injected.startMs) : null,
        injected ? iso(injected.endMs) : null,
        episode.detail,
      ])
    }
  }
  await fs.writeFile(file, stringify(rows))
}

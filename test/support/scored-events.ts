import type { DerivedEvent } from '../../workers/events/derived-event.js'

/** Where a bus's scored event happened: the score charges its driver and its operator. */
export interface ScoredEventAt {
  busId: string
  tripId: string
  ts: Date
}

/** A 40-second over-speed on a 60 km/h road at `peakKmh`; still going on unless `ended`. */
export function overSpeedEvent(at: ScoredEventAt, peakKmh: number, ended = true): DerivedEvent {
  return {
    busId: at.busId,
    kind: 'over_speed',
    ts: at.ts,
    tripId: at.tripId,
    details: {
      peakKmh,
      limitKmh: 60,
      limitReason: 'other_road',
      roadClass: null,
      roadName: null,
      peakTs: new Date(at.ts.getTime() + 20_000).toISOString(),
      lat: 30.18,
      lon: 121.39,
      durationS: 40,
      fixes: 9,
      endTs: ended ? new Date(at.ts.getTime() + 40_000).toISOString() : null,
    },
  }
}

/** The speed limiter switched off while the bus drove at 42 km/h, not yet back on. */
export function limiterOffEvent(at: ScoredEventAt): DerivedEvent {
  return {
    busId: at.busId,
    kind: 'limiter_disabled',
    ts: at.ts,
    tripId: at.tripId,
    details: {
      state: 'disabled',
      states: ['disabled'],
      limitKmh: 60,
      speedKmh: 42,
      endTs: null,
      durationS: null,
    },
  }
}

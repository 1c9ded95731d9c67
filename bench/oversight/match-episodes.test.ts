import { describe, expect, it } from 'vitest'
import { addScores, emptyScore, matchEpisodes } from './match-episodes.js'
import type { InjectedEpisode, RaisedEpisode } from './oversight-episode.js'

const S = 1000

const injected = (id: string, fields: Partial<InjectedEpisode> = {}): InjectedEpisode => ({
  id,
  kind: 'over_speed',
  busId: 'B1',
  tripId: 'T1',
  stopId: null,
  startMs: 100 * S,
  endMs: 120 * S,
  expected: 'must',
  cause: 'speeding',
  detail: '',
  ...fields,
})

const raised = (id: string, fields: Partial<RaisedEpisode> = {}): RaisedEpisode => ({
  id,
  kind: 'over_speed',
  busId: 'B1',
  tripId: 'T1',
  stopId: null,
  startMs: 104 * S,
  endMs: 118 * S,
  detail: '',
  ...fields,
})

describe('matching raised events to injected faults', () => {
  it('matches one to one by bus, kind and time within the tolerance', () => {
    const matches = matchEpisodes(
      [injected('i1'), injected('i2', { startMs: 500 * S, endMs: 520 * S })],
      [
        raised('r1'),
        // 8 s after the episode ended: within the over-speed tolerance of 10 s.
        raised('r2', { startMs: 528 * S, endMs: 530 * S }),
        raised('r3', { busId: 'B2' }),
        raised('r4', { kind: 'limiter_disabled', startMs: 100 * S, endMs: Infinity }),
      ],
    )
    expect(matches.injected.map((m) => [m.episode.id, m.outcome, m.raised?.id])).toEqual([
      ['i1', 'detected', 'r1'],
      ['i2', 'detected', 'r2'],
    ])
    expect(matches.raised.map((m) => [m.episode.id, m.outcome])).toEqual([
      ['r1', 'true_positive'],
      ['r2', 'true_positive'],
      ['r3', 'false_positive'],
      ['r4', 'false_positive'],
    ])
    expect(matches.byKind.over_speed).toMatchObject({
      must: 2,
      detected: 2,
      raised: 3,
      truePositives: 2,
      falsePositives: 1,
      precision: 0.667,
      recall: 1,
    })
    expect(matches.byKind.limiter_disabled).toMatchObject({
      must: 0,
      falsePositives: 1,
      precision: 0,
      recall: null,
    })
  })

  it('counts a second event for one episode as a duplicate, and a late one as a miss and a false positive', () => {
    const matches = matchEpisodes(
      [injected('i1'), injected('i2', { startMs: 300 * S, endMs: 310 * S })],
      [raised('r1'), raised('r2', { startMs: 119 * S, endMs: 125 * S }), raised('r3', { startMs: 321 * S })],
    )
    expect(matches.raised.map((m) => m.outcome)).toEqual(['true_positive', 'duplicate', 'false_positive'])
    expect(matches.byKind.over_speed).toMatchObject({
      missed: 1,
      duplicates: 1,
      falsePositives: 2,
      recall: 0.5,
    })
  })

  it('neither credits nor faults an episode the platform may raise, and faults one it must not', () => {
    const matches = matchEpisodes(
      [
        injected('may', { expected: 'may' }),
        injected('not', { expected: 'must_not', startMs: 300 * S, endMs: 304 * S }),
        injected('quiet', { expected: 'must_not', startMs: 600 * S, endMs: 604 * S }),
      ],
      [raised('r1'), raised('r2', { startMs: 301 * S, endMs: 306 * S })],
    )
    expect(matches.injected.map((m) => [m.episode.id, m.outcome])).toEqual([
      ['may', 'raised'],
      ['not', 'false_alarm'],
      ['quiet', 'quiet'],
    ])
    expect(matches.raised.map((m) => m.outcome)).toEqual(['excused', 'false_positive'])
    expect(matches.byKind.over_speed).toMatchObject({
      must: 0,
      excused: 1,
      falsePositives: 1,
      precision: 0,
      recall: null,
    })
  })

  it('gives a raised event to the episode the platform must raise before one it may', () => {
    const matches = matchEpisodes(
      [injected('may', { expected: 'may', startMs: 104 * S }), injected('must', { startMs: 110 * S })],
      [raised('r1', { startMs: 105 * S })],
    )
    expect(matches.injected.map((m) => [m.episode.id, m.outcome])).toEqual([
      ['must', 'detected'],
      ['may', 'quiet'],
    ])
  })

  it('matches a skipped call by its trip and stop, and a child left aboard by its trip', () => {
    const matches = matchEpisodes(
      [
        injected('skip', { kind: 'stop_skipped', stopId: 'S2' }),
        injected('left', { kind: 'child_left_on_bus', startMs: 1000 * S, endMs: 1000 * S }),
      ],
      [
        raised('wrong-stop', { kind: 'stop_skipped', stopId: 'S3' }),
        raised('right-stop', { kind: 'stop_skipped', stopId: 'S2', startMs: 150 * S, endMs: 150 * S }),
        raised('other-trip', { kind: 'child_left_on_bus', tripId: 'T2', startMs: 1300 * S, endMs: 1300 * S }),
        raised('alarm', { kind: 'child_left_on_bus', startMs: 1400 * S, endMs: 1400 * S }),
      ],
    )
    expect(matches.raised.map((m) => [m.episode.id, m.outcome])).toEqual([
      ['wrong-stop', 'false_positive'],
      ['right-stop', 'true_positive'],
      ['other-trip', 'false_positive'],
      ['alarm', 'true_positive'],
    ])
  })

  it('adds the scores of several days', () => {
    const day = matchEpisodes(
      [injected('i1'), injected('i2', { startMs: 900 * S, endMs: 910 * S })],
      [raised('r1')],
    )
    const total = addScores(addScores(emptyScore(), day.byKind.over_speed), day.byKind.over_speed)
    expect(total).toMatchObject({ must: 4, detected: 2, truePositives: 2, precision: 1, recall: 0.5 })
  })
})

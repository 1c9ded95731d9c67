import { describe, expect, it } from 'vitest'
import { playbackSpeedOf } from './track-playback.js'

const span = (minutes: number) => [
  { ts: '2026-03-01T23:00:00.000Z' },
  { ts: new Date(Date.parse('2026-03-01T23:00:00.000Z') + minutes * 60_000).toISOString() },
]

describe('the track player’s pace', () => {
  it('plays a track in about 30 seconds, between 10 and 600 times as fast as it was driven', () => {
    expect(playbackSpeedOf(span(60))).toBe(120)
    expect(playbackSpeedOf(span(15))).toBe(30)
    expect(playbackSpeedOf(span(3))).toBe(10)
    expect(playbackSpeedOf(span(600))).toBe(600)
    expect(playbackSpeedOf(span(60 * 24))).toBe(600)
    expect(playbackSpeedOf([])).toBe(10)
  })
})

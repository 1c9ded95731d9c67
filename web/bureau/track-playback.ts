/**
 * The player runs a track in about this long, whatever its length, but never slower than 10 times
 * nor faster than 600 times as it was driven: three minutes take 18 seconds, an hour 30, ten
 * hours a minute.
 */
export const playbackTargetMs = 30_000
export const playbackSpeedRange = { min: 10, max: 600 }

/** How many times faster than it was driven the player runs a track (in time order). */
export function playbackSpeedOf(track: readonly { ts: string }[]): number {
  if (track.length < 2) return playbackSpeedRange.min
  const spanMs = Date.parse(track[track.length - 1]!.ts) - Date.parse(track[0]!.ts)
  return Math.min(playbackSpeedRange.max, Math.max(playbackSpeedRange.min, spanMs / playbackTargetMs))
}

/** Seconds after midnight as "HH:MM:SS"; past 24:00 keeps counting hours, as GTFS does. */
export function formatDayTime(secondOfDay: number): string {
  const seconds = Math.round(secondOfDay)
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`
}

/** China keeps UTC+8 all year, so Cixi's local time is a fixed offset from UTC. */
const cixiOffsetMs = 8 * 3600_000

/** 'HH:MM' in Cixi (Asia/Shanghai) time, whatever the phone's own time zone. */
export function formatCixiTime(instantMs: number): string {
  return new Date(instantMs + cixiOffsetMs).toISOString().slice(11, 16)
}

/** The instant of a local Cixi date ('YYYY-MM-DD') and time ('HH:MM' or 'HH:MM:SS'). */
export function cixiInstantMs(date: string, time: string): number {
  return Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}+08:00`)
}

/**
 * How far the server's clock is ahead of the phone's, from one answer carrying the server's time:
 * the answer was written about half-way through the round trip. Trips, reports and ETAs all run on
 * the server's clock, and a phone's clock may be minutes off.
 */
export function estimateServerOffsetMs(sample: {
  serverNow: string
  sentAtMs: number
  receivedAtMs: number
}) {
  return Date.parse(sample.serverNow) - (sample.sentAtMs + sample.receivedAtMs) / 2
}

/** 'YYYY-MM-DD' in Cixi. */
export function formatCixiDate(instantMs: number): string {
  return new Date(instantMs + cixiOffsetMs).toISOString().slice(0, 10)
}

/** China keeps UTC+8 all year (no daylight saving since 1991), so a fixed offset is exact. */
const offsetMs = 8 * 3600 * 1000

export interface LocalTime {
  /** 'YYYY-MM-DD' in Asia/Shanghai */
  date: string
  /** 'HH:MM:SS' in Asia/Shanghai */
  time: string
  /** 1 = Monday … 7 = Sunday */
  isoWeekday: number
}

export function toShanghaiTime(instant: Date): LocalTime {
  const shifted = new Date(instant.getTime() + offsetMs)
  const iso = shifted.toISOString()
  const day = shifted.getUTCDay()
  return { date: iso.slice(0, 10), time: iso.slice(11, 19), isoWeekday: day === 0 ? 7 : day }
}

/** The instant of a local Asia/Shanghai date and time. */
export function fromShanghaiTime(date: string, time: string): Date {
  return new Date(`${date}T${time}+08:00`)
}

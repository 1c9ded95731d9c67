import { describe, expect, it } from 'vitest'
import { pickPupilBusToday, type PupilBusTrip } from './pupil-bus-today.js'

const schoolDays = [1, 2, 3, 4, 5]
const trip = (busId: string, overrides: Partial<PupilBusTrip> = {}): PupilBusTrip => ({
  busId,
  plate: `浙B·${busId}`,
  direction: 'to_school',
  weekdays: schoolDays,
  startTime: '07:00:00',
  ...overrides,
})
const mondayMorning = { isoWeekday: 1, direction: 'to_school', time: '07:05:00', busId: 'B1' } as const

describe('pickPupilBusToday', () => {
  it('gives the other bus the pupil rides that day in the scanned trip’s direction', () => {
    const home = trip('B3', { direction: 'from_school', startTime: '07:10:00' })
    const morning = trip('B2', { startTime: '06:30:00' })
    expect(pickPupilBusToday([home, morning], mondayMorning)?.plate).toBe('浙B·B2')
  })

  it('takes the trip starting nearest the scan when two run in that direction', () => {
    const early = trip('B2', { startTime: '06:00:00' })
    const near = trip('B4', { startTime: '07:15:00' })
    expect(pickPupilBusToday([early, near], mondayMorning)?.busId).toBe('B4')
  })

  it('falls back to the other direction, and gives none when only this bus or no trip runs that day', () => {
    const home = trip('B3', { direction: 'from_school', startTime: '16:00:00' })
    expect(pickPupilBusToday([home], mondayMorning)?.busId).toBe('B3')
    expect(pickPupilBusToday([trip('B1', { startTime: '16:00:00' })], mondayMorning)).toBeUndefined()
    expect(pickPupilBusToday([trip('B2', { weekdays: [6] })], mondayMorning)).toBeUndefined()
    expect(pickPupilBusToday([], mondayMorning)).toBeUndefined()
  })
})

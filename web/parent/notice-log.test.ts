import { describe, expect, it } from 'vitest'
import {
  addNotice,
  createNoticeLog,
  noticeFromEvent,
  noticesFromRide,
  noticesOfDay,
  type ParentNotice,
} from './notice-log.js'
import type { RideResponse } from './parent-contract.js'
import { sampleRide } from './sample-ride.js'

const boarded = noticeFromEvent({
  kind: 'boarded',
  pupilId: 'pu-00102',
  tripId: 'bus-01-am1',
  ts: '2026-03-01T23:21:00.000Z',
  stopId: 'v04',
  stopName: '龙山村',
})

function memoryStorage() {
  const items = new Map<string, string>()
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  }
}

describe('the notice log', () => {
  it('keeps a re-sent event once', () => {
    const once = addNotice([], boarded)!
    expect(once).toHaveLength(1)
    expect(addNotice(once, noticeFromEvent({ ...boarded, kind: 'boarded', ts: boarded.at }))).toBeNull()
  })

  it('keeps only the newest forty', () => {
    let list: ParentNotice[] = []
    for (let i = 0; i < 45; i++) list = addNotice(list, { ...boarded, key: `k${i}` })!
    expect(list).toHaveLength(40)
    expect(list[0]?.key).toBe('k44')
  })

  it('lists one Cixi day, newest first', () => {
    const evening = { ...boarded, key: 'a', at: '2026-03-01T10:00:00.000Z' }
    const morning = { ...boarded, key: 'b', at: '2026-03-01T23:21:00.000Z' }
    const later = { ...boarded, key: 'c', at: '2026-03-02T00:05:00.000Z' }
    const list = [morning, evening, later]
    expect(noticesOfDay(list, '2026-03-02').map((n) => n.key)).toEqual(['c', 'b'])
    expect(noticesOfDay(list, '2026-03-01').map((n) => n.key)).toEqual(['a'])
  })

  it('survives a reopened page, and starts empty from storage it cannot read', () => {
    const storage = memoryStorage()
    const log = createNoticeLog(storage, 'notices')
    expect(log.add(boarded)).toBe(true)
    expect(log.add(boarded)).toBe(false)
    const reopened = createNoticeLog(storage, 'notices')
    expect(reopened.list()).toEqual([boarded])
    expect(reopened.has(boarded.key)).toBe(true)
    storage.setItem('notices', '{"not": "a list"')
    expect(createNoticeLog(storage, 'notices').list()).toEqual([])
    storage.setItem('notices', '[{"key": 1}]')
    expect(createNoticeLog(storage, 'notices').list()).toEqual([])
  })

  it('shows a notice made on one day for the next on both days', () => {
    const overnight = noticeFromEvent({
      kind: 'bus_changed',
      pupilId: 'pu-00102',
      tripId: 'bus-01-am1',
      ts: '2026-03-02T13:00:00.000Z',
      date: '2026-03-03',
      busId: 'bus-01',
      newBusId: 'bus-09',
    })
    expect(noticesOfDay([overnight], '2026-03-02')).toEqual([overnight])
    expect(noticesOfDay([overnight], '2026-03-03')).toEqual([overnight])
    expect(noticesOfDay([overnight], '2026-03-04')).toEqual([])
  })
})

describe('the notices the server keeps', () => {
  const change = {
    kind: 'bus_changed',
    tripId: 'bus-01-am1',
    date: '2026-03-02',
    ts: '2026-03-01T23:05:00.000Z',
    busId: 'bus-01',
    plate: '浙B·C0001',
    newBusId: 'bus-09',
    newPlate: '浙B·C9999',
  }
  const ride = sampleRide()
  const response: RideResponse = {
    pupil: { id: 'pu-00102', name: '王小明', schoolName: '龙山小学' },
    ride: {
      ...ride,
      boardings: [
        { action: 'boarded', ts: boarded.at, stopId: 'v04', stopName: '龙山村', lat: null, lon: null },
      ],
    },
    nextRide: null,
    notices: [change, { ...change, kind: 'something_newer' }],
  }

  it('are the child’s scans and changes of bus, leaving out kinds the page does not know', () => {
    const notices = noticesFromRide(response)
    expect(notices.map((n) => n.kind)).toEqual(['boarded', 'bus_changed'])
    expect(notices[1]).toMatchObject({
      at: change.ts,
      pupilId: 'pu-00102',
      tripId: change.tripId,
      newBusId: 'bus-09',
      newPlate: '浙B·C9999',
      date: '2026-03-02',
    })
    expect(noticesFromRide({ ...response, ride: null, notices: undefined })).toEqual([])
  })

  it('are shown once when the live push and the ride answer both carry them, in either order', () => {
    const live = noticeFromEvent({ ...change, kind: 'bus_changed', pupilId: 'pu-00102' })
    const [, fromRide] = noticesFromRide(response)
    expect(fromRide!.key).toBe(live.key)

    const heardFirst = createNoticeLog(memoryStorage(), 'notices')
    expect(heardFirst.add(live)).toBe(true)
    for (const notice of noticesFromRide(response)) heardFirst.add(notice)
    expect(heardFirst.list().filter((n) => n.kind === 'bus_changed')).toHaveLength(1)

    const readFirst = createNoticeLog(memoryStorage(), 'notices')
    for (const notice of noticesFromRide(response)) readFirst.add(notice)
    expect(readFirst.add(live)).toBe(false)
    expect(readFirst.list()).toHaveLength(2)
  })
})

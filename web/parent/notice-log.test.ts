import { describe, expect, it } from 'vitest'
import { addNotice, createNoticeLog, noticeFromEvent, noticesOfDay, type ParentNotice } from './notice-log.js'

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
})

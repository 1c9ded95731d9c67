import { describe, expect, it } from 'vitest'
import type { Boarding } from './attendant-contract.js'
import { createBoardingLog, mergeBoardings } from './boarding-log.js'

const boarding = (id: string, date: string, hhmm: string): Boarding => ({
  id,
  tripId: 't1',
  serviceDate: date,
  pupilId: `p-${id}`,
  action: 'boarded',
  stopId: 'A',
  scannedAt: `${date}T${hhmm}:00+08:00`,
  recordedBy: 'att-1',
})

function memoryStorage(): Storage {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  }
}

describe('the scans kept on the phone', () => {
  it('adds what the server says to what is known, each scan once, in the order made', () => {
    const a = boarding('a', '2026-03-02', '07:01')
    const b = boarding('b', '2026-03-02', '07:03')
    const c = boarding('c', '2026-03-02', '07:02')
    expect(mergeBoardings([a, b], [c, a]).map((x) => x.id)).toEqual(['a', 'c', 'b'])
  })

  it('keeps a scan that an older answer leaves out, and forgets earlier days', () => {
    const storage = memoryStorage()
    const log = createBoardingLog(storage)
    log.add('t1', '2026-03-01', [boarding('old', '2026-03-01', '07:00')])
    log.add('t1', '2026-03-02', [boarding('a', '2026-03-02', '07:01'), boarding('b', '2026-03-02', '07:02')])
    const afterStaleAnswer = log.add('t1', '2026-03-02', [boarding('a', '2026-03-02', '07:01')])
    expect(afterStaleAnswer.map((x) => x.id)).toEqual(['a', 'b'])
    expect(
      createBoardingLog(storage)
        .read('t1', '2026-03-02')
        .map((x) => x.id),
    ).toEqual(['a', 'b'])
    expect(log.read('t1', '2026-03-01')).toEqual([])
  })
})

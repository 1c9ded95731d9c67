import { describe, expect, it } from 'vitest'
import { formatPupilCode } from '../../server/core/registers/pupil-code.js'
import type { Boarding, RosterPupil, TripStop } from './attendant-contract.js'
import type { ScanItem } from './scan-queue.js'
import { buildRosterView } from './trip-roster.js'

const stop = (seq: number, stopId: string, arriveTime: string): TripStop => ({
  seq,
  stopId,
  name: `stop ${stopId}`,
  lat: 30,
  lon: 121,
  arriveTime,
  departTime: arriveTime,
})
const stops = [stop(1, 'A', '07:00:00'), stop(2, 'B', '07:06:00'), stop(3, 'S', '07:20:00')]
const pupil = (pupilId: string, name: string, boardSeq: number, serial: number): RosterPupil => ({
  pupilId,
  code: formatPupilCode(serial),
  name,
  grade: 3,
  boardSeq,
  alightSeq: 3,
})
const pupils = [
  pupil('p1', 'Ann', 1, 10_000_001),
  pupil('p2', 'Bo', 1, 10_000_002),
  pupil('p3', 'Cai', 2, 10_000_003),
]
const stored = (id: string, pupilId: string, action: Boarding['action'], stopId: string, hhmm: string) => ({
  id,
  tripId: 't',
  serviceDate: '2026-03-02',
  pupilId,
  action,
  stopId,
  scannedAt: `2026-03-02T${hhmm}:00+08:00`,
  recordedBy: 'phone-1',
})
const queued = (id: string, fields: Partial<ScanItem>, hhmm: string): ScanItem => ({
  kind: 'scan',
  id,
  tripId: 't',
  serviceDate: '2026-03-02',
  action: 'boarded',
  stopId: 'B',
  scannedAt: `2026-03-02T${hhmm}:00+08:00`,
  ...fields,
})
const morning = { direction: 'to_school' as const, stops, pupils }

describe('the roster of a running trip', () => {
  it('lists each pupil under the stop of their next step, in driving order, with the counts', () => {
    const view = buildRosterView({
      ...morning,
      boardings: [stored('s1', 'p1', 'boarded', 'A', '07:01')],
      pending: [],
      currentSeq: 2,
    })
    expect(view.groups.map((g) => [g.stop.stopId, g.isSchool, g.left, g.current])).toEqual([
      ['A', false, true, false],
      ['B', false, false, true],
      ['S', true, false, false],
    ])
    expect(view.groups.map((g) => g.rows.map((r) => r.pupil.pupilId))).toEqual([['p2'], ['p3'], ['p1']])
    // Bo was due at a stop the bus has left: missing. Cai's stop is this one: not yet.
    expect(view.groups[0]!.rows[0]!.flags).toEqual(['missing'])
    expect(view.groups[1]!.rows[0]!.flags).toEqual([])
    expect(view.counts).toEqual({ onBoard: 1, expected: 3, missing: 1, off: 0 })
    expect(view.onBoard.map((r) => [r.pupil.pupilId, r.nextAction])).toEqual([['p1', 'alighted']])
  })

  it('adds what the phone still holds to what the server has, once, and marks it pending', () => {
    const view = buildRosterView({
      ...morning,
      boardings: [stored('s1', 'p1', 'boarded', 'A', '07:01')],
      pending: [
        queued('s1', { pupilId: 'p1' }, '07:01'),
        queued('q2', { pupilCode: pupils[2]!.code }, '07:07'),
        queued('q3', { pupilCode: formatPupilCode(20_000_000) }, '07:07'),
      ],
      currentSeq: 2,
    })
    const rows = view.groups.flatMap((g) => g.rows)
    expect(rows.find((r) => r.pupil.pupilId === 'p1')).toMatchObject({ status: 'on_board', pending: false })
    expect(rows.find((r) => r.pupil.pupilId === 'p3')).toMatchObject({ status: 'on_board', pending: true })
    expect(view.counts.onBoard).toBe(2)
    expect(view.strangers.map((s) => s.id)).toEqual(['q3'])
  })

  it('orders a pupil’s scans by when they were made, whichever phone made them', () => {
    const view = buildRosterView({
      ...morning,
      boardings: [stored('s2', 'p1', 'alighted', 'S', '07:21'), stored('s1', 'p1', 'boarded', 'A', '07:01')],
      pending: [],
      currentSeq: 3,
    })
    const ann = view.groups[2]!.rows.find((r) => r.pupil.pupilId === 'p1')!
    expect(ann).toMatchObject({ status: 'off', nextAction: 'boarded', since: '2026-03-02T07:21:00+08:00' })
    expect(view.counts).toMatchObject({ onBoard: 0, off: 1, missing: 2 })
  })

  it('flags a pupil who got on or off at a stop not their own', () => {
    const view = buildRosterView({
      ...morning,
      boardings: [stored('s1', 'p3', 'boarded', 'A', '07:01'), stored('s2', 'p1', 'boarded', 'A', '07:01')],
      pending: [],
      currentSeq: 1,
    })
    const flagsOf = (id: string) =>
      view.groups.flatMap((g) => g.rows).find((r) => r.pupil.pupilId === id)!.flags
    expect(flagsOf('p3')).toEqual(['wrong_stop'])
    expect(flagsOf('p1')).toEqual([])
  })

  it('starts the afternoon at the school, where everyone gets on', () => {
    const home = [stop(1, 'S', '16:00:00'), stop(2, 'B', '16:10:00'), stop(3, 'A', '16:20:00')]
    const riders = pupils.map((p) => ({ ...p, boardSeq: 1, alightSeq: p.pupilId === 'p3' ? 2 : 3 }))
    const view = buildRosterView({
      direction: 'from_school',
      stops: home,
      pupils: riders,
      boardings: [stored('s1', 'p3', 'boarded', 'S', '16:01')],
      pending: [],
      currentSeq: 1,
    })
    expect(view.groups.map((g) => g.isSchool)).toEqual([true, false, false])
    expect(view.groups.map((g) => g.rows.map((r) => r.pupil.pupilId))).toEqual([['p1', 'p2'], ['p3'], []])
  })
})

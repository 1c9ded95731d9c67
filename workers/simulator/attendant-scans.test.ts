import { describe, expect, it } from 'vitest'
import { createAttendantScans } from './attendant-scans.js'
import type { FleetTrip } from './fleet-from-registers.js'
import type { StopCallEvent } from './simulated-report.js'

/** From school: everyone on at the gate, then off at their villages. */
const home: FleetTrip = {
  id: 'T-home',
  weekdays: [1, 2, 3, 4, 5],
  stops: [
    { stopId: 'gate', arrive: '16:00:00', depart: '16:05:00', board: ['ann', 'bo', 'cai'], alight: [] },
    { stopId: 'v1', arrive: '16:15:00', depart: '16:16:00', board: [], alight: ['ann'] },
    { stopId: 'v2', arrive: '16:25:00', depart: '16:26:00', board: [], alight: ['bo'] },
    { stopId: 'v3', arrive: '16:35:00', depart: '16:36:00', board: [], alight: ['cai'] },
  ],
}

const call = (stopIndex: number, event: StopCallEvent['event'], atMs: number): StopCallEvent => ({
  busId: 'B1',
  tripId: 'T-home',
  stopId: home.stops[stopIndex]!.stopId,
  stopIndex,
  event,
  atMs,
  scheduledMs: null,
})

const scansOf = (scans: ReturnType<typeof createAttendantScans>, events: StopCallEvent[]) =>
  events
    .flatMap((event) => scans.onStopCall(event))
    .map((s) => `${s.action} ${s.pupilId} ${s.stopId} ${s.atMs}`)

describe("the attendant's scans", () => {
  it('scans pupils on as the bus leaves their call and off as it arrives at theirs', () => {
    const scans = createAttendantScans([home])
    expect(
      scansOf(scans, [
        call(0, 'arrive', 1),
        call(0, 'depart', 2),
        call(1, 'arrive', 3),
        call(1, 'depart', 4),
        call(2, 'arrive', 5),
        call(3, 'arrive', 7),
      ]),
    ).toEqual([
      'boarded ann gate 2',
      'boarded bo gate 2',
      'boarded cai gate 2',
      'alighted ann v1 3',
      'alighted bo v2 5',
      'alighted cai v3 7',
    ])
  })

  it('lets a pupil off at the next call when the bus went past their stop', () => {
    const scans = createAttendantScans([home])
    expect(scansOf(scans, [call(0, 'depart', 2), call(2, 'arrive', 5)]).slice(3)).toEqual([
      'alighted ann v2 5',
      'alighted bo v2 5',
    ])
  })

  it('never scans off the pupil left aboard, and everyone else by the last call', () => {
    const scans = createAttendantScans([home], {
      leftAboard: (tripId) => (tripId === 'T-home' ? 'bo' : undefined),
    })
    const made = scansOf(scans, [
      call(0, 'depart', 2),
      call(1, 'arrive', 3),
      call(2, 'arrive', 5),
      call(3, 'arrive', 7),
    ])
    expect(made.filter((scan) => scan.includes(' bo '))).toEqual(['boarded bo gate 2'])
    expect(made.filter((scan) => scan.startsWith('alighted'))).toEqual([
      'alighted ann v1 3',
      'alighted cai v3 7',
    ])
  })

  it('makes no scans for a trip it does not know', () => {
    const scans = createAttendantScans([home])
    expect(scans.onStopCall({ ...call(0, 'depart', 2), tripId: 'T-other' })).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import { describeEta, newerReportTs } from './eta-display.js'
import { sampleEta, sampleRide } from './sample-ride.js'

const at = (time: string) => Date.parse(`2026-03-02T${time}+08:00`)

/** describeEta for a page in contact with the server. */
const judge = (input: Omit<Parameters<typeof describeEta>[0], 'inContact'>) =>
  describeEta({ ...input, inContact: true })

describe('describeEta', () => {
  const ride = sampleRide()
  const lastReportTs = '2026-03-02T07:19:50+08:00'

  it('counts the minutes to the child’s stop down between reports, with the time of the last report', () => {
    const eta = sampleEta()
    expect(judge({ ride, eta, lastReportTs, serverNowMs: at('07:20:00') })).toEqual({
      kind: 'minutes',
      minutes: 4,
      remainingS: 240,
      lastReport: '07:19',
      lateMin: 4,
    })
    expect(judge({ ride, eta, lastReportTs, serverNowMs: at('07:21:00') })).toMatchObject({
      kind: 'minutes',
      minutes: 3,
      remainingS: 180,
    })
    const fresh = { ride, eta, lastReportTs: '2026-03-02T07:23:35+08:00' }
    expect(judge({ ...fresh, serverNowMs: at('07:23:40') })).toMatchObject({ kind: 'arriving' })
  })

  it('says "no signal since" instead of a number once the bus has been silent two minutes', () => {
    const eta = sampleEta()
    expect(judge({ ride, eta, lastReportTs, serverNowMs: at('07:21:45') }).kind).toBe('minutes')
    expect(judge({ ride, eta, lastReportTs, serverNowMs: at('07:21:55') })).toEqual({
      kind: 'no_signal',
      since: '07:19',
    })
  })

  it('trusts the server when it says the bus is silent or off its route', () => {
    const now = at('07:20:00')
    expect(judge({ ride, eta: sampleEta({ status: 'silent' }), lastReportTs, serverNowMs: now })).toEqual({
      kind: 'no_signal',
      since: '07:19',
    })
    expect(judge({ ride, eta: sampleEta({ status: 'off_route' }), lastReportTs, serverNowMs: now })).toEqual({
      kind: 'off_route',
      since: '07:19',
    })
  })

  it('tells a bus not yet started, a stop already passed and a finished trip apart', () => {
    const now = at('07:00:00')
    expect(
      judge({ ride, eta: sampleEta({ status: 'not_started' }), lastReportTs: null, serverNowMs: now }),
    ).toEqual({ kind: 'not_started', due: '07:20' })
    const passed = sampleEta()
    passed.stops[1]!.passed = true
    expect(judge({ ride, eta: passed, lastReportTs, serverNowMs: at('07:20:00') }).kind).toBe('passed')
    expect(judge({ ride, eta: sampleEta({ status: 'finished' }), lastReportTs, serverNowMs: now }).kind).toBe(
      'finished',
    )
  })

  it('waits without an ETA, and says when nothing has been heard for too long', () => {
    expect(judge({ ride, eta: null, lastReportTs: null, serverNowMs: at('07:20:00') })).toEqual({
      kind: 'waiting',
    })
    expect(judge({ ride, eta: null, lastReportTs, serverNowMs: at('07:30:00') })).toEqual({
      kind: 'no_signal',
      since: '07:19',
    })
    expect(
      judge({ ride, eta: sampleEta({ childEtaTs: null }), lastReportTs, serverNowMs: at('07:20:00') }),
    ).toEqual({ kind: 'waiting' })
  })

  it('blames the page, not the bus, while the page is out of contact with the server', () => {
    const eta = sampleEta()
    // Reports two minutes old by the page's clock: without the server, that proves nothing of the bus.
    const lost = { ride, eta, lastReportTs, serverNowMs: at('07:22:30'), inContact: false }
    expect(describeEta(lost)).toEqual({ kind: 'no_contact', lastReport: '07:19' })
    expect(describeEta({ ...lost, serverNowMs: at('07:20:00') }).kind).toBe('no_contact')
    expect(describeEta({ ...lost, inContact: true }).kind).toBe('no_signal')
  })

  it('counts to the drop-off stop on a trip home', () => {
    const home = sampleRide({ direction: 'from_school' })
    const eta = sampleEta()
    eta.stops[2]!.etaTs = '2026-03-02T07:50:00+08:00'
    expect(judge({ ride: home, eta, lastReportTs, serverNowMs: at('07:20:00') })).toMatchObject({
      kind: 'minutes',
      minutes: 30,
      lateMin: 10,
    })
  })
})

describe('newerReportTs', () => {
  it('takes the later of two report times, either possibly unknown', () => {
    const a = '2026-03-02T07:19:50+08:00'
    const b = '2026-03-01T23:20:10.000Z'
    expect(newerReportTs(a, b)).toBe(b)
    expect(newerReportTs(b, a)).toBe(b)
    expect(newerReportTs(null, a)).toBe(a)
    expect(newerReportTs(a, null)).toBe(a)
  })
})

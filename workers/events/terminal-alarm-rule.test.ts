import { describe, expect, it } from 'vitest'
import type { TerminalStatus } from '../../server/core/broker/terminal-status.js'
import type { DerivedEvent } from './derived-event.js'
import { defaultEventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import { createTerminalAlarmRule, type TerminalAlarmRule } from './terminal-alarm-rule.js'

const t0 = Date.parse('2026-03-02T07:30:00+08:00')
const at = (s: number) => new Date(t0 + s * 1000)
const rejoinS = defaultEventRuleOptions.terminalAlarmRejoinS

/** A fix at `s` seconds, a little further north each second, with the terminal status given. */
const fix = (s: number, terminal?: TerminalStatus | null) => ({
  ts: at(s),
  lat: 30.17 + s / 100_000,
  lon: 121.26,
  speedKmh: 30,
  tripId: 'T1',
  terminal,
})

function replay(steps: [number, (TerminalStatus | null)?][], setUp?: (rule: TerminalAlarmRule) => void) {
  const events: DerivedEvent[] = []
  const rule = createTerminalAlarmRule('B1', defaultEventRuleOptions, (event) => events.push(event))
  setUp?.(rule)
  for (const [s, terminal] of steps) rule.observe(fix(s, terminal))
  return events
}

const secondsOf = (ms: number) => (ms - t0) / 1000

const summary = (events: DerivedEvent[]) =>
  events.map((e) => {
    const endTs = 'endTs' in e.details ? e.details.endTs : null
    return `${e.kind} ${secondsOf(e.ts.getTime())}${endTs ? ` ended ${secondsOf(Date.parse(endTs))}` : ''}`
  })

describe('terminal alarm rule', () => {
  it('begins at the first report that sets the alarm and ends at the first that leaves it out', () => {
    const events = replay([
      [0, { alarms: [] }],
      [10, { alarms: ['sos'] }],
      [20, { alarms: ['sos'] }],
      [30, { alarms: ['sos'], satellites: 9 }],
      [40, { satellites: 9 }],
      [50, { alarms: [] }],
    ])
    expect(events).toEqual([
      {
        busId: 'B1',
        kind: 'terminal_sos',
        ts: at(10),
        tripId: 'T1',
        details: { alarm: 'sos', lat: fix(10).lat, lon: 121.26, speedKmh: 30, endTs: null, durationS: null },
      },
      {
        busId: 'B1',
        kind: 'terminal_sos',
        ts: at(10),
        tripId: 'T1',
        details: {
          alarm: 'sos',
          lat: fix(10).lat,
          lon: 121.26,
          speedKmh: 30,
          endTs: at(50).toISOString(),
          durationS: 40,
        },
      },
    ])
  })

  it('takes a report without terminal status, or without an alarm list, as saying nothing of alarms', () => {
    const events = replay([
      [0, { alarms: ['collision'] }],
      [10],
      [20, null],
      [25, { mileageKm: 812 }],
      [30, { alarms: ['collision'] }],
    ])
    expect(summary(events)).toEqual(['terminal_collision 0'])
  })

  it('raises nothing for alarms the bureau is not alerted to', () => {
    expect(
      replay([
        [0, { alarms: ['area', 'over_speed_warning'] }],
        [10, { alarms: [] }],
      ]),
    ).toEqual([])
  })

  it('reopens the same episode when the alarm is set again within the rejoin window', () => {
    const events = replay([
      [0, { alarms: ['power_low'] }],
      [10, { alarms: [] }],
      [10 + rejoinS, { alarms: ['power_low'] }],
      [100, { alarms: ['power_low'] }],
      [110, { alarms: [] }],
    ])
    expect(summary(events)).toEqual([
      'terminal_power_low 0',
      'terminal_power_low 0 ended 10',
      'terminal_power_low 0',
      'terminal_power_low 0 ended 110',
    ])
    expect(events.at(-1)!.details).toMatchObject({ durationS: 110 })
  })

  it('raises a new episode when the alarm is set again after the rejoin window', () => {
    const events = replay([
      [0, { alarms: ['power_low'] }],
      [10, { alarms: [] }],
      [11 + rejoinS, { alarms: ['power_low'] }],
    ])
    expect(summary(events)).toEqual([
      'terminal_power_low 0',
      'terminal_power_low 0 ended 10',
      `terminal_power_low ${11 + rejoinS}`,
    ])
  })

  it('gives two alarms set at once two events, each ended on its own', () => {
    const events = replay([
      [0, { alarms: ['sos', 'collision'] }],
      [10, { alarms: ['sos'] }],
      [20, { alarms: [] }],
    ])
    expect(summary(events)).toEqual([
      'terminal_sos 0',
      'terminal_collision 0',
      'terminal_collision 0 ended 10',
      'terminal_sos 0 ended 20',
    ])
  })

  it('writes an episode again only when the recorder names a camera it had not', () => {
    const lost = (...channels: number[]): TerminalStatus => ({
      alarms: ['video_signal_lost'],
      video: { signalLostChannels: channels, blockedChannels: [7] },
    })
    const events = replay([
      [0, lost(2)],
      [10, lost(2)],
      [20, lost(3, 2)],
      [30, lost(2)],
      [40, { alarms: [] }],
    ])
    expect(events.map((e) => e.details)).toMatchObject([
      { channels: [2], endTs: null },
      { channels: [2, 3], endTs: null },
      { channels: [2, 3], endTs: at(40).toISOString() },
    ])
  })

  it('gathers the faulty storage units, and the behaviours and peak fatigue of abnormal driving', () => {
    const events = replay([
      [
        0,
        {
          alarms: ['video_storage_fault', 'abnormal_driving'],
          video: { faultyMainStorage: [1], driverBehaviours: ['phone_call'], fatigueLevel: 40 },
        },
      ],
      [
        10,
        {
          alarms: ['video_storage_fault', 'abnormal_driving'],
          video: { faultyBackupStorage: [1], driverBehaviours: ['fatigue'], fatigueLevel: 70 },
        },
      ],
      [20, { alarms: ['video_storage_fault', 'abnormal_driving'], video: { fatigueLevel: 50 } }],
      [30, { alarms: [] }],
    ])
    const last = (kind: string) => events.filter((e) => e.kind === kind).at(-1)!.details
    expect(last('terminal_video_storage_fault')).toEqual({
      alarm: 'video_storage_fault',
      lat: fix(0).lat,
      lon: 121.26,
      speedKmh: 30,
      endTs: at(30).toISOString(),
      durationS: 30,
      mainStorageUnits: [1],
      backupStorageUnits: [1],
    })
    expect(last('terminal_abnormal_driving')).toMatchObject({
      driverBehaviours: ['fatigue', 'phone_call'],
      peakFatigueLevel: 70,
    })
    expect(events.filter((e) => e.kind === 'terminal_abnormal_driving')).toHaveLength(3)
  })

  it('takes up an open episode from the store and ends that same event', () => {
    const events = replay(
      [
        [0, { alarms: ['video_blocked'], video: { blockedChannels: [1] } }],
        [10, { alarms: ['video_blocked'], video: { blockedChannels: [4] } }],
        [20, { alarms: [] }],
      ],
      (rule) =>
        rule.resume({
          startMs: at(-3600).getTime(),
          tripId: null,
          details: {
            alarm: 'video_blocked',
            lat: 30.1,
            lon: 121.2,
            speedKmh: 0,
            endTs: null,
            durationS: null,
            channels: [1],
          },
        }),
    )
    expect(events).toMatchObject([
      {
        kind: 'terminal_video_blocked',
        ts: at(-3600),
        tripId: null,
        details: { channels: [1, 4], endTs: null },
      },
      {
        kind: 'terminal_video_blocked',
        ts: at(-3600),
        details: { lat: 30.1, speedKmh: 0, channels: [1, 4], endTs: at(20).toISOString(), durationS: 3620 },
      },
    ])
  })
})

import { describe, expect, it } from 'vitest'
import { defaultDeviceHealthRules, judgeDeviceHealth, type DeviceFacts } from './device-health.js'

const now = new Date('2026-03-02T07:10:00+08:00')
const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000)
const facts = (more: Partial<DeviceFacts> = {}): DeviceFacts => ({
  lastReport: { ts: secondsAgo(3), accuracyM: 6 },
  status: null,
  video: null,
  limiter: { ts: secondsAgo(3600), state: 'active', limitKmh: 60 },
  openAlarms: [],
  ...more,
})

describe('judgeDeviceHealth', () => {
  it('tells a healthy bus, one never heard, and one gone stale', () => {
    const healthy = judgeDeviceHealth(
      facts({
        status: { ts: secondsAgo(3), terminal: { satellites: 11 } },
        video: { ts: secondsAgo(3), health: {} },
      }),
      now,
    )
    expect(healthy).toEqual({
      gps: { state: 'ok', lastReportTs: secondsAgo(3), satellites: 11, accuracyM: 6, faults: [] },
      limiter: { state: 'on', limitKmh: 60, since: secondsAgo(3600) },
      video: { state: 'ok', faults: [], channels: [], lastHealthTs: secondsAgo(3) },
      power: { state: 'ok' },
    })
    const never = judgeDeviceHealth(facts({ lastReport: null, limiter: null }), now)
    expect(never.gps.state).toBe('none')
    expect(never.limiter.state).toBe('unknown')
    expect(never.video.state).toBe('unknown')
    const stale = judgeDeviceHealth(
      facts({ lastReport: { ts: secondsAgo(defaultDeviceHealthRules.silentAfterS + 1), accuracyM: null } }),
      now,
    )
    expect(stale.gps.state).toBe('stale')
  })

  it('names the limiter off or faulty, GNSS and power alarms open or set', () => {
    const off = judgeDeviceHealth(
      facts({ limiter: { ts: secondsAgo(10), state: 'disabled', limitKmh: null } }),
      now,
    )
    expect(off.limiter).toEqual({ state: 'off', limitKmh: null, since: secondsAgo(10) })
    expect(
      judgeDeviceHealth(facts({ limiter: { ts: now, state: 'fault', limitKmh: 60 } }), now).limiter.state,
    ).toBe('fault')
    const alarms = judgeDeviceHealth(
      facts({
        openAlarms: ['gnss_antenna_open', 'power_low'],
        status: { ts: secondsAgo(3), terminal: { alarms: ['power_lost', 'over_speed'] } },
      }),
      now,
    )
    expect(alarms.gps).toMatchObject({ state: 'fault', faults: ['gnss_antenna_open'] })
    expect(alarms.power.state).toBe('lost')
    expect(judgeDeviceHealth(facts({ openAlarms: ['power_low'] }), now).power.state).toBe('low')
  })

  it('tells the video recorder faulty from its health or its alarms, and silent when its health stops coming', () => {
    const cameras = judgeDeviceHealth(
      facts({ video: { ts: secondsAgo(3), health: { signalLostChannels: [3], blockedChannels: [1, 3] } } }),
      now,
    )
    expect(cameras.video).toMatchObject({
      state: 'fault',
      faults: ['video_signal_lost', 'video_blocked'],
      channels: [1, 3],
    })
    const storage = judgeDeviceHealth(
      facts({
        video: { ts: secondsAgo(3), health: { faultyBackupStorage: [1] } },
        openAlarms: ['video_device_fault'],
      }),
      now,
    )
    expect(storage.video.faults).toEqual(['video_storage_fault', 'video_device_fault'])
    const silent = judgeDeviceHealth(
      facts({ video: { ts: secondsAgo(defaultDeviceHealthRules.videoSilentAfterS + 10), health: {} } }),
      now,
    )
    expect(silent.video.state).toBe('silent')
    // A bus that is itself quiet has not lost its recorder: the recorder's health is as old as its reports.
    const quietBus = judgeDeviceHealth(
      facts({
        lastReport: { ts: secondsAgo(900), accuracyM: null },
        video: { ts: secondsAgo(900), health: {} },
      }),
      now,
    )
    expect(quietBus.video.state).toBe('ok')
  })
})

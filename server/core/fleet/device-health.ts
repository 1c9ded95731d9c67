import type { TerminalAlarm, TerminalStatus, VideoRecorderStatus } from '../broker/terminal-status.js'
import { defaultEventRuleOptions } from '../schedule/event-rule-options.js'

/** What the bus's equipment last said, as the console's device health needs it. */
export interface DeviceFacts {
  /** The newest report of any kind. */
  lastReport: { ts: Date; accuracyM: number | null } | null
  /** The newest report that carried the terminal's own status (alarms set, satellites…). */
  status: { ts: Date; terminal: TerminalStatus } | null
  /** The newest report that carried the video recorder's health (JT/T 1078), and that health. */
  video: { ts: Date; health: VideoRecorderStatus } | null
  /** The newest speed-limiter state. */
  limiter: { ts: Date; state: 'active' | 'disabled' | 'fault'; limitKmh: number | null } | null
  /** The terminal alarms whose episode is still open (the events part's `terminal_<alarm>`). */
  openAlarms: readonly string[]
}

export interface DeviceHealthRules {
  /** No report for longer than this: the GPS is stale (the events part's silence rule). */
  silentAfterS: number
  /**
   * A terminal that sends the recorder's health with its reports and then goes on reporting
   * without it for this long has lost its recorder: the recorder is silent.
   */
  videoSilentAfterS: number
}

export const defaultDeviceHealthRules: DeviceHealthRules = {
  silentAfterS: defaultEventRuleOptions.silentAfterS,
  videoSilentAfterS: 300,
}

const gnssAlarms: readonly TerminalAlarm[] = ['gnss_fault', 'gnss_antenna_open', 'gnss_antenna_short']
const videoAlarms: readonly TerminalAlarm[] = [
  'video_signal_lost',
  'video_blocked',
  'video_storage_fault',
  'video_device_fault',
  'video_storage_full',
  'camera_fault',
]

export interface DeviceHealth {
  gps: {
    state: 'ok' | 'stale' | 'fault' | 'none'
    lastReportTs: Date | null
    satellites: number | null
    accuracyM: number | null
    /** The GNSS alarms set or open. */
    faults: TerminalAlarm[]
  }
  limiter: {
    /** on: active; off: disabled; unknown: the bus never reported its limiter. */
    state: 'on' | 'off' | 'fault' | 'unknown'
    limitKmh: number | null
    since: Date | null
  }
  video: {
    state: 'ok' | 'fault' | 'silent' | 'unknown'
    /** The recorder's alarms set or open, and what its last health names. */
    faults: TerminalAlarm[]
    /** Cameras that lost their signal or are blocked. */
    channels: number[]
    lastHealthTs: Date | null
  }
  power: { state: 'ok' | 'low' | 'lost' }
}

/**
 * The bus's equipment at a glance: the GPS (its last report, fix quality and GNSS alarms), the
 * speed limiter (Decree 617 requires it on), the video recorder (faults it reports, or silence when
 * the terminal stops passing on its health) and the terminal's power. An alarm counts while its
 * episode is open or while the terminal's last status still sets it.
 */
export function judgeDeviceHealth(
  facts: DeviceFacts,
  now: Date,
  rules: DeviceHealthRules = defaultDeviceHealthRules,
): DeviceHealth {
  const set = new Set<string>([...facts.openAlarms, ...(facts.status?.terminal.alarms ?? [])])
  const named = (of: readonly TerminalAlarm[]) => of.filter((alarm) => set.has(alarm))

  const gpsFaults = named(gnssAlarms)
  const { lastReport } = facts
  const gpsState = !lastReport
    ? 'none'
    : gpsFaults.length > 0
      ? 'fault'
      : now.getTime() - lastReport.ts.getTime() > rules.silentAfterS * 1000
        ? 'stale'
        : 'ok'

  const health = facts.video?.health
  const videoFaults = new Set(named(videoAlarms))
  if (health?.signalLostChannels?.length) videoFaults.add('video_signal_lost')
  if (health?.blockedChannels?.length) videoFaults.add('video_blocked')
  if (health?.faultyMainStorage?.length || health?.faultyBackupStorage?.length)
    videoFaults.add('video_storage_fault')
  const channels = [...new Set([...(health?.signalLostChannels ?? []), ...(health?.blockedChannels ?? [])])]
  const newestMs = lastReport?.ts.getTime() ?? 0
  const videoState =
    videoFaults.size > 0
      ? 'fault'
      : !facts.video
        ? 'unknown'
        : newestMs - facts.video.ts.getTime() > rules.videoSilentAfterS * 1000
          ? 'silent'
          : 'ok'

  const { limiter } = facts
  return {
    gps: {
      state: gpsState,
      lastReportTs: lastReport?.ts ?? null,
      satellites: facts.status?.terminal.satellites ?? null,
      accuracyM: lastReport?.accuracyM ?? null,
      faults: gpsFaults,
    },
    limiter: {
      state: !limiter
        ? 'unknown'
        : limiter.state === 'active'
          ? 'on'
          : limiter.state === 'disabled'
            ? 'off'
            : 'fault',
      limitKmh: limiter?.limitKmh ?? null,
      since: limiter?.ts ?? null,
    },
    video: {
      state: videoState,
      faults: videoAlarms.filter((alarm) => videoFaults.has(alarm)),
      channels: channels.sort((a, b) => a - b),
      lastHealthTs: facts.video?.ts ?? null,
    },
    power: { state: set.has('power_lost') ? 'lost' : set.has('power_low') ? 'low' : 'ok' },
  }
}

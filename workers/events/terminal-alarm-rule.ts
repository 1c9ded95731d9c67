import {
  alertedTerminalAlarms,
  driverBehaviours,
  terminalAlarmEventKind,
  terminalAlarmEventKinds,
  type AlertedTerminalAlarm,
  type DriverBehaviour,
  type TerminalAlarmEventKind,
  type TerminalStatus,
  type VideoRecorderStatus,
} from '../../server/core/broker/terminal-status.js'
import type { DerivedEvent, EmitEvent, TerminalAlarmDetails } from './derived-event.js'
import type { EventRuleOptions } from '../../server/core/schedule/event-rule-options.js'

export interface TerminalFix {
  ts: Date
  lat: number
  lon: number
  speedKmh: number
  tripId: string | null
  /** null, absent or without `alarms`: the report said nothing about the terminal's alarms. */
  terminal?: TerminalStatus | null
}

interface Episode {
  alarm: AlertedTerminalAlarm
  startMs: number
  tripId: string | null
  lat: number
  lon: number
  speedKmh: number
  /** The report that last left the alarm out; null while it is set. */
  endMs: number | null
  /** Gathered from the recorder's status, only for the alarms that name them (see gather). */
  channels: Set<number>
  mainStorageUnits: Set<number>
  backupStorageUnits: Set<number>
  driverBehaviours: Set<DriverBehaviour>
  peakFatigueLevel: number | null
}

const alerted = new Set<string>(alertedTerminalAlarms)
const isAlerted = (alarm: string): alarm is AlertedTerminalAlarm => alerted.has(alarm)

const alarmEventKinds = new Set<string>(terminalAlarmEventKinds)
export const isTerminalAlarmEvent = (
  event: DerivedEvent,
): event is Extract<DerivedEvent, { kind: TerminalAlarmEventKind }> => alarmEventKinds.has(event.kind)

/** Adds what is new to `into`; whether anything was. */
function addAll<T>(into: Set<T>, items: readonly T[] | undefined): boolean {
  if (!items) return false
  const before = into.size
  for (const item of items) into.add(item)
  return into.size > before
}

/** Gathers what the recorder names for this episode's alarm; whether the details grew. */
function gather(episode: Episode, video: VideoRecorderStatus | undefined): boolean {
  if (!video) return false
  switch (episode.alarm) {
    case 'video_signal_lost':
      return addAll(episode.channels, video.signalLostChannels)
    case 'video_blocked':
      return addAll(episode.channels, video.blockedChannels)
    case 'video_storage_fault': {
      const main = addAll(episode.mainStorageUnits, video.faultyMainStorage)
      return addAll(episode.backupStorageUnits, video.faultyBackupStorage) || main
    }
    case 'abnormal_driving': {
      const behaviours = addAll(episode.driverBehaviours, video.driverBehaviours)
      const level = video.fatigueLevel
      if (level === undefined || (episode.peakFatigueLevel !== null && level <= episode.peakFatigueLevel)) {
        return behaviours
      }
      episode.peakFatigueLevel = level
      return true
    }
    default:
      return false
  }
}

const ascending = (values: Set<number>) => [...values].sort((a, b) => a - b)

function gatheredDetails(episode: Episode): Partial<TerminalAlarmDetails> {
  switch (episode.alarm) {
    case 'video_signal_lost':
    case 'video_blocked':
      return { channels: ascending(episode.channels) }
    case 'video_storage_fault':
      return {
        mainStorageUnits: ascending(episode.mainStorageUnits),
        backupStorageUnits: ascending(episode.backupStorageUnits),
      }
    case 'abnormal_driving':
      return {
        driverBehaviours: driverBehaviours.filter((behaviour) => episode.driverBehaviours.has(behaviour)),
        peakFatigueLevel: episode.peakFatigueLevel,
      }
    default:
      return {}
  }
}

/**
 * The alarms a bus's own terminal reports, for one bus, fed its fixes in time order. Each alerted
 * alarm makes episodes, keyed by the first report that set it, that end at the first later report
 * whose alarm list leaves it out; a report without an alarm list (a terminal that sends only its
 * odometer, say) says nothing of alarms and changes nothing. Set again within `terminalAlarmRejoinS` of
 * its end, the alarm reopens that same episode: terminals drop a flag from one report now and then.
 *
 * An episode is written when it begins, ends or reopens, and when the recorder names something new
 * for it (a camera, a storage unit, a behaviour, a higher fatigue level): not with every report
 * that merely repeats the alarm. Its details hold no count of reports for that reason, and because
 * a partition taken over replays reports its stored version may already have counted.
 */
export function createTerminalAlarmRule(busId: string, options: EventRuleOptions, emit: EmitEvent) {
  /** The latest episode of each alarm; an ended one is kept for as long as it may reopen. */
  const episodes = new Map<AlertedTerminalAlarm, Episode>()
  const rejoinMs = options.terminalAlarmRejoinS * 1000

  const send = (episode: Episode) =>
    emit({
      busId,
      kind: terminalAlarmEventKind(episode.alarm),
      ts: new Date(episode.startMs),
      tripId: episode.tripId,
      details: {
        alarm: episode.alarm,
        lat: episode.lat,
        lon: episode.lon,
        speedKmh: episode.speedKmh,
        endTs: episode.endMs === null ? null : new Date(episode.endMs).toISOString(),
        durationS: episode.endMs === null ? null : (episode.endMs - episode.startMs) / 1000,
        ...gatheredDetails(episode),
      },
    })

  const begin = (alarm: AlertedTerminalAlarm, fix: TerminalFix): Episode => ({
    alarm,
    startMs: fix.ts.getTime(),
    tripId: fix.tripId,
    lat: fix.lat,
    lon: fix.lon,
    speedKmh: fix.speedKmh,
    endMs: null,
    channels: new Set(),
    mainStorageUnits: new Set(),
    backupStorageUnits: new Set(),
    driverBehaviours: new Set(),
    peakFatigueLevel: null,
  })

  return {
    observe(fix: TerminalFix): void {
      const terminal = fix.terminal
      const alarms = terminal?.alarms
      if (!terminal || !alarms) return
      const ms = fix.ts.getTime()
      for (const episode of episodes.values()) {
        if (episode.endMs === null && !alarms.includes(episode.alarm)) {
          episode.endMs = ms
          send(episode)
        }
      }
      for (const alarm of alarms) {
        if (!isAlerted(alarm)) continue
        const episode = episodes.get(alarm)
        if (!episode || (episode.endMs !== null && ms - episode.endMs > rejoinMs)) {
          const fresh = begin(alarm, fix)
          gather(fresh, terminal.video)
          episodes.set(alarm, fresh)
          send(fresh)
        } else if (episode.endMs === null) {
          if (gather(episode, terminal.video)) send(episode)
        } else {
          episode.endMs = null
          gather(episode, terminal.video)
          send(episode)
        }
      }
    },

    /**
     * Takes up an episode the store holds as still open (begun before what this process replays),
     * so that the next report without the alarm ends that same event.
     */
    resume(open: { startMs: number; tripId: string | null; details: TerminalAlarmDetails }): void {
      const { details } = open
      if (episodes.has(details.alarm)) return
      episodes.set(details.alarm, {
        alarm: details.alarm,
        startMs: open.startMs,
        tripId: open.tripId,
        lat: details.lat,
        lon: details.lon,
        speedKmh: details.speedKmh,
        endMs: null,
        channels: new Set(details.channels),
        mainStorageUnits: new Set(details.mainStorageUnits),
        backupStorageUnits: new Set(details.backupStorageUnits),
        driverBehaviours: new Set(details.driverBehaviours),
        peakFatigueLevel: details.peakFatigueLevel ?? null,
      })
    },
  }
}

export type TerminalAlarmRule = ReturnType<typeof createTerminalAlarmRule>

import {
  alertedTerminalAlarms,
  terminalAlarmEventKind,
  type TerminalAlarm,
  type TerminalAlarmEventKind,
} from '../broker/terminal-status.js'
import type { ScoreStep, taskKindOfStep } from '../score/score-thresholds.js'
import type { Label } from './label.js'

/**
 * Every alarm a bus's terminal can report (server/core/broker/terminal-status.ts), in words: the
 * bureau's console names the device faults by them, and the alerted ones name their events.
 */
export const terminalAlarmLabels: Readonly<Record<TerminalAlarm, Label>> = {
  sos: { zh: '紧急报警', en: 'Emergency button' },
  over_speed: { zh: '终端超速报警', en: "Terminal's over-speed" },
  over_speed_warning: { zh: '终端超速预警', en: "Terminal's over-speed warning" },
  fatigue: { zh: '疲劳驾驶', en: 'Driver fatigue' },
  gnss_fault: { zh: '定位模块故障', en: 'GNSS module fault' },
  gnss_antenna_open: { zh: '定位天线未接', en: 'GNSS antenna disconnected' },
  gnss_antenna_short: { zh: '定位天线短路', en: 'GNSS antenna short circuit' },
  power_low: { zh: '主电源欠压', en: 'Power low' },
  power_lost: { zh: '主电源掉电', en: 'Power lost' },
  camera_fault: { zh: '摄像头故障', en: 'Camera fault' },
  driving_time_exceeded: { zh: '当天累计驾驶超时', en: 'Driving time exceeded today' },
  overtime_parking: { zh: '超时停车', en: 'Parked too long' },
  area: { zh: '进出区域', en: 'Entered or left an area' },
  route: { zh: '进出路线', en: 'Entered or left a route' },
  route_deviation: { zh: '终端路线偏离报警', en: "Terminal's route deviation" },
  illegal_ignition: { zh: '车辆非法点火', en: 'Ignition not allowed' },
  illegal_movement: { zh: '车辆非法位移', en: 'Moved without leave' },
  collision: { zh: '碰撞', en: 'Collision' },
  rollover: { zh: '侧翻', en: 'Rollover' },
  door_opened_illegally: { zh: '车门非法开启', en: 'Door opened illegally' },
  video_signal_lost: { zh: '视频信号丢失', en: 'Video signal lost' },
  video_blocked: { zh: '摄像头被遮挡', en: 'Camera blocked' },
  video_storage_fault: { zh: '录像存储故障', en: 'Video storage fault' },
  video_device_fault: { zh: '录像设备故障', en: 'Video recorder fault' },
  passenger_overload: { zh: '超员', en: 'Passenger overload' },
  abnormal_driving: { zh: '异常驾驶行为', en: 'Abnormal driving' },
  video_storage_full: { zh: '录像存储已满', en: 'Video storage full' },
}

/**
 * The kinds of event the platform raises: those the events part derives from the reports, the
 * alarms of the alarms part, the 12-point score's tasks, and one per alerted terminal alarm.
 */
export type EventKind =
  | 'over_speed'
  | 'limiter_disabled'
  | 'terminal_silent'
  | 'stop_arrival'
  | 'stop_departure'
  | 'route_off_corridor'
  | 'stop_skipped'
  | 'stop_unapproved'
  | 'trip_late'
  | 'child_left_on_bus'
  | 'pupils_not_boarded'
  | 'papers_expiring'
  | 'papers_expired'
  | (typeof taskKindOfStep)[ScoreStep]
  | TerminalAlarmEventKind

const terminalAlarmEventLabels = Object.fromEntries(
  alertedTerminalAlarms.map((alarm) => [terminalAlarmEventKind(alarm), terminalAlarmLabels[alarm]]),
) as Record<TerminalAlarmEventKind, Label>

/** Event kinds in words, for the pages (the console's inbox and events, the reports) and the report files. */
export const eventKindLabels: Readonly<Record<EventKind, Label>> = {
  over_speed: { zh: '超速', en: 'Over-speed' },
  limiter_disabled: { zh: '限速器关闭', en: 'Speed limiter off' },
  terminal_silent: { zh: '终端失联', en: 'Terminal silent' },
  stop_arrival: { zh: '到站', en: 'Arrived at a stop' },
  stop_departure: { zh: '离站', en: 'Left a stop' },
  route_off_corridor: { zh: '偏离核定线路', en: 'Off the approved route' },
  stop_skipped: { zh: '漏停站点', en: 'Stop skipped' },
  stop_unapproved: { zh: '在未核定地点停车', en: 'Stopped where not approved' },
  trip_late: { zh: '校车晚点', en: 'Trip late' },
  child_left_on_bus: { zh: '儿童遗留车内', en: 'Child left on bus' },
  pupils_not_boarded: { zh: '学生未上车', en: 'Pupils not boarded' },
  papers_expiring: { zh: '证件即将到期', en: 'Papers expiring' },
  papers_expired: { zh: '证件已过期', en: 'Papers expired' },
  score_interview: { zh: '记分达到约谈', en: 'Points reached an interview' },
  score_warning: { zh: '记分达到警告', en: 'Points reached a warning' },
  score_removal: { zh: '记分达到暂停校车驾驶', en: 'Points reached removal from school-bus duty' },
  ...terminalAlarmEventLabels,
}

/** An event kind in words; a kind the platform does not know (yet) is named by itself. */
export function eventKindLabel(kind: string): Label {
  return Object.hasOwn(eventKindLabels, kind)
    ? eventKindLabels[kind as EventKind]
    : { zh: kind, en: kind.replace(/_/g, ' ') }
}

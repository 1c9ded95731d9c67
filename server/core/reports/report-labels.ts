import { roadClasses } from '../../../geo/roads/road-network.js'
import type { AlertedTerminalAlarm } from '../broker/terminal-status.js'

export interface Label {
  zh: string
  en: string
}

/** Road classes as the report names them, fastest first, then fixes with no road found. */
export const roadClassLabels: Record<string, Label> = {
  motorway: { zh: '高速公路', en: 'motorway' },
  trunk: { zh: '快速路', en: 'trunk road' },
  primary: { zh: '主干道', en: 'primary road' },
  secondary: { zh: '次干道', en: 'secondary road' },
  tertiary: { zh: '支路', en: 'tertiary road' },
  unclassified: { zh: '乡村道路', en: 'rural road' },
  residential: { zh: '居住区道路', en: 'residential road' },
  service: { zh: '服务道路', en: 'service road' },
  unknown: { zh: '未知道路', en: 'unknown road' },
}

/** In the order columns take: the road classes fastest first, unknown last. */
export const roadClassOrder: readonly string[] = [...roadClasses, 'unknown']

const terminalAlarmLabels: Record<AlertedTerminalAlarm, Label> = {
  sos: { zh: '紧急报警', en: 'emergency button' },
  over_speed: { zh: '终端超速报警', en: "terminal's over-speed" },
  fatigue: { zh: '疲劳驾驶', en: 'fatigue driving' },
  gnss_fault: { zh: '定位模块故障', en: 'GNSS fault' },
  gnss_antenna_open: { zh: '定位天线未接', en: 'GNSS antenna disconnected' },
  gnss_antenna_short: { zh: '定位天线短路', en: 'GNSS antenna short circuit' },
  power_low: { zh: '主电源欠压', en: 'power low' },
  power_lost: { zh: '主电源掉电', en: 'power lost' },
  camera_fault: { zh: '摄像头故障', en: 'camera fault' },
  door_opened_illegally: { zh: '车门非法开启', en: 'door opened illegally' },
  collision: { zh: '碰撞', en: 'collision' },
  rollover: { zh: '侧翻', en: 'rollover' },
  video_signal_lost: { zh: '视频信号丢失', en: 'video signal lost' },
  video_blocked: { zh: '视频遮挡', en: 'camera blocked' },
  video_storage_fault: { zh: '录像存储故障', en: 'video storage fault' },
  video_device_fault: { zh: '录像设备故障', en: 'video recorder fault' },
  passenger_overload: { zh: '超员', en: 'passenger overload' },
  abnormal_driving: { zh: '异常驾驶行为', en: 'abnormal driving' },
}

/** Event kinds as the report names them; a kind not listed here is named by itself. */
const eventKindLabels: Record<string, Label> = {
  over_speed: { zh: '超速', en: 'over-speed' },
  limiter_disabled: { zh: '限速器关闭', en: 'limiter off' },
  terminal_silent: { zh: '终端失联', en: 'terminal silent' },
  child_left_on_bus: { zh: '儿童遗留车内', en: 'child left on bus' },
  route_off_corridor: { zh: '偏离核定线路', en: 'off the approved route' },
  stop_skipped: { zh: '漏停站点', en: 'stop skipped' },
  stop_unapproved: { zh: '未核定站点停靠', en: 'stop not approved' },
  papers_expiring: { zh: '证件即将到期', en: 'papers expiring' },
  papers_expired: { zh: '证件已过期', en: 'papers expired' },
  ...Object.fromEntries(
    Object.entries(terminalAlarmLabels).map(([alarm, label]) => [`terminal_${alarm}`, label]),
  ),
}

export function eventKindLabel(kind: string): Label {
  return eventKindLabels[kind] ?? { zh: kind, en: kind.replace(/_/g, ' ') }
}

export function roadClassLabel(roadClass: string): Label {
  return roadClassLabels[roadClass] ?? { zh: roadClass, en: roadClass }
}

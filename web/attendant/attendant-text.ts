import type { AppErrorCode, AppErrorReason } from '../../server/core/errors/app-error.js'
import type { Lang } from '../shared/language.js'
import { detailText, type ReasonWords } from '../shared/refusal-text.js'
import type { Direction, ScanAction } from './attendant-contract.js'
import type { StopSource } from './current-stop.js'

/** Why the page shows an error instead of the trips. */
export type ErrorKind = 'no_token' | 'unauthenticated' | 'forbidden' | 'not_attendant'
export type TripState = 'upcoming' | 'running' | 'ended'

/** The reasons the server gives when it refuses a scan or the end of a trip (boarding-routes.ts). */
export const attendantRefusalReasons = [
  'unknown_pupil_code',
  'pupil_not_on_this_bus',
  'trip_not_running',
  'stop_not_on_trip',
  'scan_of_another_trip',
  'already_on_board',
  'not_on_board',
  'scan_out_of_order',
  'time_in_future',
  'time_too_old',
] as const satisfies readonly AppErrorReason[]
export type AttendantRefusalReason = (typeof attendantRefusalReasons)[number]

/** The codes of the refusals of a scan, the end of a trip or an alarm's acknowledgement (4xx, 401 and 403 aside). */
export const attendantRefusalCodes = [
  'bad_request',
  'not_found',
  'conflict',
  'unprocessable',
  'too_large',
] as const satisfies readonly AppErrorCode[]
export type AttendantRefusalCode = (typeof attendantRefusalCodes)[number]

export interface AttendantText {
  lang: Lang
  htmlLang: string
  title: string
  otherLanguage: string
  direction: Record<Direction, string>
  tripState: Record<TripState, string>
  noTrips: string
  onBoard: string
  expected: string
  missing: string
  atStop: string
  stopSource: Record<StopSource, string>
  previousStop: string
  nextStop: string
  school: string
  stopLeft: string
  busHere: string
  codeLabel: string
  mark: string
  scan: string
  action: Record<ScanAction, string>
  waiting: string
  onBoardSince: (hhmm: string) => string
  gotOffAt: (hhmm: string) => string
  grade: (n: number) => string
  flag: { wrong_stop: string; missing: string; pending: string }
  recorded: (name: string, action: ScanAction) => string
  wrongStop: (name: string, ownStop: string) => string
  notOnBus: (code: string) => string
  invalidCode: string
  savedOffline: string
  /**
   * Why the server refused a scan, the end of a trip or an acknowledgement, by reason and by code;
   * another bus's pupil with the plate of the bus they ride today, where the server gives it.
   */
  refusals: {
    reasons: Record<AttendantRefusalReason, ReasonWords>
    codes: Record<AttendantRefusalCode, string>
  }
  refusedTitle: string
  online: string
  offline: string
  /** The API answers but the live channel (alarms, the other phone's scans, the ETA) is lost. */
  liveLost: string
  waitingToSend: (n: number) => string
  endTrip: string
  endTitle: string
  stillOnBoard: (n: number) => string
  noneOnBoard: string
  confirmEmpty: string
  confirmEnd: string
  endAnyway: (n: number) => string
  cancel: string
  ended: (hhmm: string) => string
  checkedEmpty: string
  endSaved: string
  alarmsTitle: string
  leftOnBus: string
  alarmReason: (reason: string) => string
  acknowledge: string
  acknowledged: (by: string, hhmm: string) => string
  needsConnection: string
  cameraHint: string
  close: string
  cameraUnavailable: string
  errorTitle: Record<ErrorKind, string>
  errorAdvice: Record<ErrorKind, string>
}

export const attendantText: Record<Lang, AttendantText> = {
  zh: {
    lang: 'zh',
    htmlLang: 'zh-CN',
    title: '照管员',
    otherLanguage: 'English',
    direction: { to_school: '上学', from_school: '放学' },
    tripState: { upcoming: '未开始', running: '进行中', ended: '已结束' },
    noTrips: '今天这辆车没有行程',
    onBoard: '车上',
    expected: '应乘',
    missing: '未到',
    atStop: '当前站',
    stopSource: { chosen: '手动选择', gps: '按定位', timetable: '按时刻表' },
    previousStop: '上一站',
    nextStop: '下一站',
    school: '学校',
    stopLeft: '已驶离',
    busHere: '车在此站',
    codeLabel: '学生码',
    mark: '登记',
    scan: '扫码',
    action: { boarded: '上车', alighted: '下车' },
    waiting: '待上车',
    onBoardSince: (hhmm) => `${hhmm} 上车`,
    gotOffAt: (hhmm) => `${hhmm} 已下车`,
    grade: (n) => `${n}年级`,
    flag: { wrong_stop: '站点不对', missing: '未到', pending: '待发送' },
    recorded: (name, action) => `${name} ${action === 'boarded' ? '已上车' : '已下车'}`,
    wrongStop: (name, stop) => `站点不对：${name} 应在「${stop}」`,
    notOnBus: (code) => `${code} 不在本行程名单上，正在向服务器核对`,
    invalidCode: '不是有效的学生码，请核对',
    savedOffline: '已保存在手机上，联网后自动发送',
    refusals: {
      reasons: {
        unknown_pupil_code: '没有这个学生码：请核对卡片或重新输入',
        pupil_not_on_this_bus: (details) => {
          const plate = detailText(details, 'busPlate')
          return plate ? `此学生今天乘坐 ${plate}` : '不是本车的学生：该生乘坐其他校车'
        },
        trip_not_running: '这趟行程今天不运行',
        stop_not_on_trip: '所选站点不在本行程上',
        scan_of_another_trip: '这条登记已记在另一趟行程上',
        already_on_board: '该生已经登记上车',
        not_on_board: '该生还没有登记上车，不能登记下车',
        scan_out_of_order: '比该生上一条登记更早，未记录',
        time_in_future: '手机时间比服务器快，请校准手机时间',
        time_too_old: '登记已超过一天，不再接受',
      },
      codes: {
        bad_request: '登记内容有误，未被接受',
        not_found: '找不到这趟行程或这条报警',
        conflict: '与已有登记冲突，未记录',
        unprocessable: '服务器不能记录这条登记',
        too_large: '提交的内容太多',
      },
    },
    refusedTitle: '未被接受的登记',
    online: '在线 · 已全部发送',
    offline: '离线：登记保存在手机上',
    liveLost: '与服务器的实时连接中断，正在重连：登记保存在手机上',
    waitingToSend: (n) => `${n} 条登记待发送`,
    endTrip: '结束行程',
    endTitle: '结束前检查车厢',
    stillOnBoard: (n) => `名单上还有 ${n} 名学生在车上：`,
    noneOnBoard: '名单上已没有学生在车上。',
    confirmEmpty: '我已检查整个车厢，车上没有学生',
    confirmEnd: '确认结束行程',
    endAnyway: (n) => `仍有 ${n} 人未下车，结束并报警`,
    cancel: '取消',
    ended: (hhmm) => `行程已于 ${hhmm} 结束`,
    checkedEmpty: '已确认车厢无人',
    endSaved: '结束行程已保存，联网后发送',
    alarmsTitle: '警报',
    leftOnBus: '可能有学生被遗留在车上！',
    alarmReason: (reason) =>
      ({
        trip_ended: '行程结束时仍有学生未登记下车',
        engine_off_at_last_stop: '校车在终点站熄火停放，仍有学生未登记下车',
        engine_off_at_depot: '校车在停车场熄火停放，仍有学生未登记下车',
      })[reason] ?? reason,
    acknowledge: '确认已处理',
    acknowledged: (by, hhmm) => `${by} 已于 ${hhmm} 确认`,
    needsConnection: '需要联网才能确认',
    cameraHint: '对准学生卡上的二维码',
    close: '关闭',
    cameraUnavailable: '无法使用摄像头，请输入学生码或点姓名',
    errorTitle: {
      no_token: '请从学校发来的链接打开',
      unauthenticated: '链接无效或已过期',
      forbidden: '无权查看这辆校车',
      not_attendant: '这不是照管员的链接',
    },
    errorAdvice: {
      no_token: '这个页面需要学校发给您的专属链接。',
      unauthenticated: '请向学校索取新的链接。',
      forbidden: '这个链接不能查看这辆校车。',
      not_attendant: '请使用学校发给照管员的链接。',
    },
  },
  en: {
    lang: 'en',
    htmlLang: 'en',
    title: 'Attendant',
    otherLanguage: '中文',
    direction: { to_school: 'To school', from_school: 'Home' },
    tripState: { upcoming: 'Upcoming', running: 'Running', ended: 'Ended' },
    noTrips: 'This bus has no trips today',
    onBoard: 'On board',
    expected: 'Expected',
    missing: 'Missing',
    atStop: 'At stop',
    stopSource: { chosen: 'set by you', gps: 'from GPS', timetable: 'by timetable' },
    previousStop: 'Previous stop',
    nextStop: 'Next stop',
    school: 'School',
    stopLeft: 'Left',
    busHere: 'Bus here',
    codeLabel: 'Pupil code',
    mark: 'Mark',
    scan: 'Scan',
    action: { boarded: 'On board', alighted: 'Got off' },
    waiting: 'Waiting',
    onBoardSince: (hhmm) => `On board since ${hhmm}`,
    gotOffAt: (hhmm) => `Got off at ${hhmm}`,
    grade: (n) => `Grade ${n}`,
    flag: { wrong_stop: 'Wrong stop', missing: 'Missing', pending: 'Queued' },
    recorded: (name, action) => `${name} ${action === 'boarded' ? 'is on board' : 'got off'}`,
    wrongStop: (name, stop) => `Wrong stop: ${name} belongs at ${stop}`,
    notOnBus: (code) => `${code} is not on this trip's roster: checking with the server`,
    invalidCode: 'Not a valid pupil code: check it',
    savedOffline: 'Saved on the phone; sent when online',
    refusals: {
      reasons: {
        unknown_pupil_code: 'No pupil has this code: check the card or type it again',
        pupil_not_on_this_bus: (details) => {
          const plate = detailText(details, 'busPlate')
          return plate
            ? `This pupil rides ${plate} today`
            : 'Not a pupil of this bus: they ride another school bus'
        },
        trip_not_running: 'This trip does not run today',
        stop_not_on_trip: 'The chosen stop is not on this trip',
        scan_of_another_trip: 'This scan is recorded on another trip',
        already_on_board: 'The pupil is already marked on board',
        not_on_board: 'The pupil was never marked on board, so cannot get off',
        scan_out_of_order: "Older than the pupil's last scan: not recorded",
        time_in_future: "The phone's clock is ahead of the server's: set the phone's time",
        time_too_old: 'More than a day old: no longer taken',
      },
      codes: {
        bad_request: 'The scan was malformed and not accepted',
        not_found: 'This trip or alarm was not found',
        conflict: 'It conflicts with the scans already recorded: not recorded',
        unprocessable: 'The server cannot record this scan',
        too_large: 'Too much was sent at once',
      },
    },
    refusedTitle: 'Scans the server refused',
    online: 'Online · all sent',
    offline: 'Offline: scans are kept on the phone',
    liveLost: 'Live link to the server lost, reconnecting: scans are kept on the phone',
    waitingToSend: (n) => `${n} waiting to send`,
    endTrip: 'End trip',
    endTitle: 'Check the bus before ending',
    stillOnBoard: (n) => `${n} still shown on board:`,
    noneOnBoard: 'No pupil is shown on board.',
    confirmEmpty: 'I have checked the whole bus and no child is on it',
    confirmEnd: 'Confirm and end trip',
    endAnyway: (n) => `End anyway with ${n} on board (raises an alarm)`,
    cancel: 'Cancel',
    ended: (hhmm) => `Trip ended at ${hhmm}`,
    checkedEmpty: 'bus checked empty',
    endSaved: 'The end is saved; sent when online',
    alarmsTitle: 'Alarms',
    leftOnBus: 'A child may be left on the bus!',
    alarmReason: (reason) =>
      ({
        trip_ended: 'The trip was ended with pupils not marked off',
        engine_off_at_last_stop: 'The bus stands at its last stop, engine off, with pupils not marked off',
        engine_off_at_depot: 'The bus stands at the depot, engine off, with pupils not marked off',
      })[reason] ?? reason,
    acknowledge: 'Acknowledge',
    acknowledged: (by, hhmm) => `Acknowledged by ${by} at ${hhmm}`,
    needsConnection: 'Acknowledging needs a connection',
    cameraHint: 'Point at the code on the pupil card',
    close: 'Close',
    cameraUnavailable: 'The camera cannot be used: type the code or tap the name',
    errorTitle: {
      no_token: 'Open this page from the school’s link',
      unauthenticated: 'This link is not valid or has expired',
      forbidden: 'You may not see this bus',
      not_attendant: 'This is not an attendant’s link',
    },
    errorAdvice: {
      no_token: 'This page needs the personal link the school sent you.',
      unauthenticated: 'Ask the school for a new link.',
      forbidden: 'This link does not cover this bus.',
      not_attendant: 'Use the link the school sent to attendants.',
    },
  },
}

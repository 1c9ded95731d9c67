import type { Lang } from '../shared/language.js'

/** Why the page shows an error instead of the map. */
export type ErrorKind = 'no_token' | 'unauthenticated' | 'forbidden' | 'not_parent'

export interface ParentText {
  lang: Lang
  htmlLang: string
  title: string
  /** The label of the button that switches to the other language, in that language. */
  otherLanguage: string
  child: string
  etaTo: (stopName: string) => string
  minutes: (n: number) => string
  arriving: string
  lastReport: (hhmm: string) => string
  noSignal: (sinceHhmm: string | null) => string
  /** The page, not the bus, has lost contact: said in the ETA panel instead of a number. */
  noContact: string
  offRoute: string
  notStarted: (hhmm: string) => string
  passed: string
  finished: string
  waiting: string
  lateBy: (minutes: number) => string
  dueAt: (hhmm: string) => string
  online: string
  offline: string
  notices: string
  noNotices: string
  noticeApproach: (minutes: number, place: string) => string
  noticeBoarded: (child: string, place: string | null) => string
  noticeAlighted: (child: string, place: string | null) => string
  noticeDelayed: (minutes: number) => string
  noticeBusChanged: (plate: string) => string
  stopPlace: (stopName: string) => string
  near: (lat: number, lon: number) => string
  notifyWhen: string
  minutesOption: (n: number) => string
  noRide: string
  nextRide: (date: string, hhmm: string) => string
  visibleFrom: (hhmm: string) => string
  busLabel: string
  yourStop: string
  errorTitle: Record<ErrorKind, string>
  errorAdvice: Record<ErrorKind, string>
}

const coordinates = (lat: number, lon: number) => `${lat.toFixed(5)}, ${lon.toFixed(5)}`

export const parentText: Record<Lang, ParentText> = {
  zh: {
    lang: 'zh',
    htmlLang: 'zh-CN',
    title: '校车到哪了',
    otherLanguage: 'English',
    child: '孩子',
    etaTo: (stop) => `到「${stop}」还要`,
    minutes: (n) => `${n} 分钟`,
    arriving: '即将到站',
    lastReport: (hhmm) => `最后定位 ${hhmm}`,
    noSignal: (since) => (since ? `${since} 起没有收到校车的信号` : '还没有收到校车的信号'),
    noContact: '暂时联系不上服务器',
    offRoute: '校车偏离了路线，暂时无法预计到站时间',
    notStarted: (hhmm) => `校车还没出发，计划 ${hhmm} 到站`,
    passed: '校车已驶离您的站点',
    finished: '本次行程已结束',
    waiting: '正在等待校车的位置…',
    lateBy: (n) => `晚点约 ${n} 分钟`,
    dueAt: (hhmm) => `计划 ${hhmm}`,
    online: '实时',
    offline: '本页面与服务器失去联系，正在重试…',
    notices: '通知',
    noNotices: '暂无通知',
    noticeApproach: (n, place) => `校车还有约 ${n} 分钟到${place}`,
    noticeBoarded: (child, place) => `${child} 已${place ? `在${place}` : ''}上车`,
    noticeAlighted: (child, place) => `${child} 已${place ? `在${place}` : ''}下车`,
    noticeDelayed: (n) => `本次行程晚点约 ${n} 分钟`,
    noticeBusChanged: (plate) => `换车了：现在是 ${plate}`,
    stopPlace: (stop) => `「${stop}」`,
    near: (lat, lon) => `(${coordinates(lat, lon)}) 附近`,
    notifyWhen: '校车还有几分钟到站时提醒我',
    minutesOption: (n) => `${n} 分钟`,
    noRide: '现在没有行程',
    nextRide: (date, hhmm) => `下一次：${date} ${hhmm}`,
    visibleFrom: (hhmm) => `${hhmm} 起可以看到校车`,
    busLabel: '校车',
    yourStop: '您的站点',
    errorTitle: {
      no_token: '请从学校发来的链接打开',
      unauthenticated: '链接无效或已过期',
      forbidden: '无权查看这辆校车',
      not_parent: '这不是家长的链接',
    },
    errorAdvice: {
      no_token: '这个页面需要学校发给您的专属链接。',
      unauthenticated: '请向学校索取新的链接。',
      forbidden: '这辆校车现在没有载您的孩子。',
      not_parent: '请使用学校发给家长的链接。',
    },
  },
  en: {
    lang: 'en',
    htmlLang: 'en',
    title: 'Where is the bus',
    otherLanguage: '中文',
    child: 'Child',
    etaTo: (stop) => `To ${stop}`,
    minutes: (n) => `${n} min`,
    arriving: 'Arriving now',
    lastReport: (hhmm) => `Last report ${hhmm}`,
    noSignal: (since) => (since ? `No signal from the bus since ${since}` : 'No signal from the bus yet'),
    noContact: 'No contact with the server',
    offRoute: 'The bus has left its route: no arrival time for now',
    notStarted: (hhmm) => `The bus has not left yet; due at your stop at ${hhmm}`,
    passed: 'The bus has left your stop',
    finished: 'This trip is over',
    waiting: 'Waiting for the bus…',
    lateBy: (n) => `About ${n} min late`,
    dueAt: (hhmm) => `Due ${hhmm}`,
    online: 'Live',
    offline: 'This page lost contact with the server; retrying…',
    notices: 'Notices',
    noNotices: 'No notices yet',
    noticeApproach: (n, place) => `The bus is about ${n} min from ${place}`,
    noticeBoarded: (child, place) => `${child} got on the bus${place ? ` at ${place}` : ''}`,
    noticeAlighted: (child, place) => `${child} got off the bus${place ? ` at ${place}` : ''}`,
    noticeDelayed: (n) => `The trip is running about ${n} min late`,
    noticeBusChanged: (plate) => `The bus has changed: now ${plate}`,
    stopPlace: (stop) => stop,
    near: (lat, lon) => `a place near ${coordinates(lat, lon)}`,
    notifyWhen: 'Tell me when the bus is this many minutes away',
    minutesOption: (n) => `${n} min`,
    noRide: 'No trip right now',
    nextRide: (date, hhmm) => `Next: ${date} at ${hhmm}`,
    visibleFrom: (hhmm) => `The bus shows from ${hhmm}`,
    busLabel: 'Bus',
    yourStop: 'Your stop',
    errorTitle: {
      no_token: 'Open this page from the school’s link',
      unauthenticated: 'This link is not valid or has expired',
      forbidden: 'You may not see this bus',
      not_parent: 'This is not a parent’s link',
    },
    errorAdvice: {
      no_token: 'This page needs the personal link the school sent you.',
      unauthenticated: 'Ask the school for a new link.',
      forbidden: 'This bus is not carrying your child now.',
      not_parent: 'Use the link the school sent to parents.',
    },
  },
}

import type { Lang } from '../shared/language.js'
import type { StaffPageText } from '../shared/staff-page.js'
import type { FrontDoorPage } from './front-door-pages.js'

/** A page as the front door tells it: its name, who it is for, and what it does. */
export interface PageWords {
  name: string
  who: string
  what: string
}

export interface HomeText extends StaffPageText {
  brand: string
  intro: string
  checking: string
  signInTitle: string
  signInAdvice: string
  signIn: string
  pagesTitle: string
  yourPagesTitle: string
  noPages: string
  signOut: string
  openDataTitle: string
  openDataAdvice: string
  feeds: Record<string, string>
  /** Who is signed in on this browser, by role; a staff member's user name follows. */
  roles: Record<string, string>
  admin: string
  pages: Record<FrontDoorPage, PageWords>
}

export const homeText: Record<Lang, HomeText> = {
  zh: {
    lang: 'zh',
    htmlLang: 'zh-CN',
    otherLanguage: 'English',
    brand: '校车服务平台',
    title: '校车服务平台',
    intro: '慈溪校车的实时位置、上下车核对和接驳线路规划：家长、照管员、学校和教育局各用自己的页面。',
    checking: '正在确认登录状态…',
    signInTitle: '工作人员',
    signInAdvice: '教育局和学校的工作人员请用管理员发给你的账号登录。',
    signIn: '登录',
    pagesTitle: '各个页面',
    yourPagesTitle: '你可以打开的页面',
    noPages: '这个浏览器里的会话不能打开任何页面。',
    signOut: '退出登录',
    openDataTitle: '开放数据',
    openDataAdvice: '今天的时刻表和车辆实时位置，以 GTFS 格式向所有人开放，不含任何学生信息。',
    feeds: {
      '/gtfs/today.zip': '今日时刻表（GTFS）',
      '/gtfs-rt/vehicle-positions': '车辆实时位置（GTFS-realtime）',
      '/gtfs-rt/trip-updates': '班次到站预测（GTFS-realtime）',
    },
    roles: {
      bureau: '教育局',
      school: '学校',
      parent: '家长的手机',
      attendant: '照管员的手机',
      device: '车载终端',
      service: '平台服务',
    },
    admin: '管理员',
    pages: {
      signIn: { name: '工作人员登录', who: '教育局和学校的工作人员', what: '用账号和密码登录。' },
      console: {
        name: '校车监控台',
        who: '教育局和学校，登录后',
        what: '地图上的全部校车和它们的状态、车载设备、当天轨迹，以及报警的确认、指派和结案。',
      },
      registers: {
        name: '基础信息',
        who: '教育局和学校，登录后',
        what: '学校、车辆、人员、线路、班次、学生和监护人的登记表，可查找、修改和导入导出。',
      },
      planner: {
        name: '线路规划',
        who: '教育局，登录后',
        what: '按学生住址的分布规划微公交和定制公交线路，并与今天的运营比较。',
      },
      reports: {
        name: '报表与合规',
        who: '教育局和学校，登录后',
        what: '按车辆、驾驶员、学校、乡镇和全县的日报月报，以及车辆证件和人员资质的到期提醒，可下载 Excel 和 CSV。',
      },
      letters: {
        name: '家长通知书',
        who: '教育局和学校，登录后',
        what: '打印给家长的通知书，每位监护人一个一次性登记码和二维码。',
      },
      access: {
        name: '账号与访问',
        who: '教育局，登录后',
        what: '账号、会话、车载终端凭证和访问记录。',
      },
      parent: {
        name: '家长页面',
        who: '已登记的家长手机',
        what: '只显示自己孩子的校车：实时位置、到站时间和上下车提醒。',
      },
      enrol: {
        name: '手机登记',
        who: '家长（用通知书上的码）和照管员（用配对二维码）',
        what: '扫描二维码后确认一次，手机就能打开自己的页面。',
      },
      attendant: {
        name: '照管员页面',
        who: '已配对的照管员手机',
        what: '本车今天的班次：核对上下车，确认没有孩子留在车上。',
      },
    },
  },
  en: {
    lang: 'en',
    htmlLang: 'en',
    otherLanguage: '中文',
    brand: 'School transport',
    title: 'School transport platform',
    intro:
      'Live school-bus tracking, boarding checks and shuttle-line planning for Cixi: parents, attendants, schools and the bureau each have their own page.',
    checking: 'Checking who is signed in…',
    signInTitle: 'Staff',
    signInAdvice: 'Bureau and school staff: sign in with the account your administrator gave you.',
    signIn: 'Sign in',
    pagesTitle: 'The pages',
    yourPagesTitle: 'Your pages',
    noPages: 'The session on this browser opens no page.',
    signOut: 'Sign out',
    openDataTitle: 'Open data',
    openDataAdvice:
      'Today’s timetable and the buses’ live positions, as GTFS, open to everyone and without anything about pupils.',
    feeds: {
      '/gtfs/today.zip': 'Today’s timetable (GTFS)',
      '/gtfs-rt/vehicle-positions': 'Live vehicle positions (GTFS-realtime)',
      '/gtfs-rt/trip-updates': 'Predicted arrivals (GTFS-realtime)',
    },
    roles: {
      bureau: 'Transport bureau',
      school: 'School',
      parent: 'Parent’s phone',
      attendant: 'Attendant’s phone',
      device: 'Bus terminal',
      service: 'Platform service',
    },
    admin: 'administrator',
    pages: {
      signIn: { name: 'Staff sign-in', who: 'Bureau and school staff', what: 'Sign in with your account.' },
      console: {
        name: 'Fleet console',
        who: 'The bureau and schools, signed in',
        what: 'Every school bus on a map with its state, equipment and track of the day, and the alarms to acknowledge, assign and close.',
      },
      registers: {
        name: 'Registers',
        who: 'The bureau and schools, signed in',
        what: 'Schools, buses, staff, lines, trips, pupils and guardians: search, edit, import and export.',
      },
      planner: {
        name: 'Line planner',
        who: 'The bureau, signed in',
        what: 'Plans micro-bus and custom-bus lines from where riders live, against today’s service.',
      },
      reports: {
        name: 'Reports and compliance',
        who: 'The bureau and schools, signed in',
        what: 'Daily and monthly reports by bus, driver, school, town and the county, and the papers and qualifications coming due; downloads as Excel and CSV.',
      },
      letters: {
        name: 'Letters to parents',
        who: 'The bureau and schools, signed in',
        what: 'Prints the enrolment letters: a one-time code and its QR for each guardian.',
      },
      access: {
        name: 'Accounts and access',
        who: 'The bureau, signed in',
        what: 'Accounts, sessions, bus terminals’ credentials and the audit log.',
      },
      parent: {
        name: 'Parent page',
        who: 'A parent’s enrolled phone',
        what: 'Your own child’s bus only: where it is, when it reaches the stop, boarding notices.',
      },
      enrol: {
        name: 'Enrol a phone',
        who: 'Parents (the letter’s code) and attendants (the pairing QR)',
        what: 'Scan the code, confirm once, and the phone opens its own page from then on.',
      },
      attendant: {
        name: 'Attendant page',
        who: 'An attendant’s paired phone',
        what: 'Today’s trips of the bus: check pupils on and off, and that no child is left on board.',
      },
    },
  },
}

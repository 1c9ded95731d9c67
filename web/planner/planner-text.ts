import type { Lang } from '../shared/language.js'
import type { RefusalText, StaffPageText } from '../shared/staff-page.js'
import type { Metrics } from './planner-contract.js'

export type ErrorKind = 'no_token' | 'unauthenticated' | 'forbidden' | 'not_bureau'
export type MetricKey = keyof Metrics

export interface PlannerText extends StaffPageText, RefusalText<ErrorKind> {
  signOut: string
  scope: string
  scopeRiders: string
  scopeLineRiders: string
  scopeSchool: string
  planName: string
  searchS: string
  run: string
  cancel: string
  phase: Record<string, string>
  status: Record<string, string>
  plans: string
  noPlans: string
  map: string
  legendDensity: (cellM: number) => string
  legendCustomBus: string
  legendMicroBus: string
  legendToday: string
  showToday: string
  metrics: string
  today: string
  proposed: string
  metricLabels: Record<MetricKey, string>
  whatIf: string
  school: string
  grade: string
  wave: string
  allGrades: string
  noWave: string
  shiftMin: string
  runWhatIf: string
  basePlan: string
  shiftedPlan: string
  buses: string
  meanRide: string
  maxRide: string
  cost: string
  propose: string
  earliestMin: string
  latestMin: string
  runProposal: string
  proposalNone: string
  proposalShift: (school: string, what: string, shiftMin: number) => string
  proposalSaves: (before: number, after: number) => string
  downloads: string
  geojson: string
  gtfs: string
  needsBasePlan: string
  failed: (reason: string) => string
  errorAdvice: Record<ErrorKind, string>
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n))

export const plannerText: Record<Lang, PlannerText> = {
  zh: {
    lang: 'zh',
    htmlLang: 'zh-CN',
    title: '线路规划',
    otherLanguage: 'English',
    signOut: '退出登录',
    scope: '学生范围',
    scopeRiders: '全部乘车学生',
    scopeLineRiders: '微公交线路学生',
    scopeSchool: '一所学校',
    planName: '方案名称',
    searchS: '每个排线问题的搜索时间（秒）',
    run: '开始规划',
    cancel: '取消',
    phase: {
      queued: '排队中',
      stops: '选站点',
      table: '计算行车时间',
      routes: '排线路',
      chaining: '排车辆',
      geometry: '画线路',
      metrics: '算指标',
    },
    status: { running: '进行中', done: '完成', failed: '失败', cancelled: '已取消' },
    plans: '最近的方案',
    noPlans: '还没有方案',
    map: '地图',
    legendDensity: (cellM) => `学生住处（每格 ${cellM} 米，不足 3 户不显示）`,
    legendCustomBus: '定制公交',
    legendMicroBus: '微公交',
    legendToday: '现有校车',
    showToday: '显示现有线路',
    metrics: '现状与方案对比',
    today: '现状',
    proposed: '方案',
    metricLabels: {
      pupils: '学生数',
      pupilsServed: '服务学生',
      coverageWithinWalk: '步行范围内覆盖',
      meanWalkM: '平均步行（米）',
      maxWalkM: '最长步行（米）',
      meanRideS: '平均乘车（分钟）',
      maxRideS: '最长乘车（分钟）',
      buses: '车辆数',
      busKmPerDay: '每日车公里',
      busHoursPerDay: '每日车小时',
      seatUse: '座位利用率',
      costPerDayYuan: '每日成本（元）',
    },
    whatIf: '调整时间试算',
    school: '学校',
    grade: '年级',
    wave: '放学批次',
    allGrades: '全部年级',
    noWave: '上学时间',
    shiftMin: '调整（分钟）',
    runWhatIf: '试算',
    basePlan: '原方案',
    shiftedPlan: '调整后',
    buses: '车辆',
    meanRide: '平均乘车（分钟）',
    maxRide: '最长乘车（分钟）',
    cost: '每日成本（元）',
    propose: '建议错峰时间',
    earliestMin: '最多提前（分钟）',
    latestMin: '最多推后（分钟）',
    runProposal: '求建议',
    proposalNone: '在允许范围内调整时间省不下车辆。',
    proposalShift: (school, what, shiftMin) => `${school} ${what} ${signed(shiftMin)} 分钟`,
    proposalSaves: (before, after) => `车辆 ${before} → ${after}`,
    downloads: '下载',
    geojson: 'GeoJSON 地图',
    gtfs: 'GTFS 时刻表',
    needsBasePlan: '先做一个方案。',
    failed: (reason) => `规划失败：${reason}`,
    errorTitle: {
      no_token: '链接不完整',
      unauthenticated: '链接已失效',
      forbidden: '没有权限',
      not_bureau: '只供教育局使用',
    },
    errorAdvice: {
      no_token: '请用教育局发来的完整链接打开。',
      unauthenticated: '请向管理员要一个新的链接。',
      forbidden: '这个链接不能做线路规划。',
      not_bureau: '线路规划只对教育局开放。家长请用家长页面。',
    },
  },
  en: {
    lang: 'en',
    htmlLang: 'en',
    title: 'Line planner',
    otherLanguage: '中文',
    signOut: 'Sign out',
    scope: 'Pupils',
    scopeRiders: 'All riders',
    scopeLineRiders: 'Micro-bus line riders',
    scopeSchool: 'One school',
    planName: 'Plan name',
    searchS: 'Search time per routing problem (s)',
    run: 'Plan',
    cancel: 'Cancel',
    phase: {
      queued: 'Waiting',
      stops: 'Placing stops',
      table: 'Travel times',
      routes: 'Routes',
      chaining: 'Buses',
      geometry: 'Drawing lines',
      metrics: 'Metrics',
    },
    status: { running: 'running', done: 'done', failed: 'failed', cancelled: 'cancelled' },
    plans: 'Recent plans',
    noPlans: 'No plans yet',
    map: 'Map',
    legendDensity: (cellM) => `Where riders live (${cellM} m cells, fewer than 3 homes not shown)`,
    legendCustomBus: 'Custom bus',
    legendMicroBus: 'Micro-bus',
    legendToday: 'Today’s school buses',
    showToday: 'Show today’s routes',
    metrics: 'Today vs proposed',
    today: 'Today',
    proposed: 'Proposed',
    metricLabels: {
      pupils: 'Pupils',
      pupilsServed: 'Pupils served',
      coverageWithinWalk: 'Coverage within walk',
      meanWalkM: 'Walk mean (m)',
      maxWalkM: 'Walk max (m)',
      meanRideS: 'Ride mean (min)',
      maxRideS: 'Ride max (min)',
      buses: 'Buses',
      busKmPerDay: 'Bus-km per day',
      busHoursPerDay: 'Bus-hours per day',
      seatUse: 'Seat use',
      costPerDayYuan: 'Cost per day (yuan)',
    },
    whatIf: 'What if times move',
    school: 'School',
    grade: 'Grade',
    wave: 'Dismissal wave',
    allGrades: 'All grades',
    noWave: 'Morning start',
    shiftMin: 'Shift (min)',
    runWhatIf: 'Try it',
    basePlan: 'Base plan',
    shiftedPlan: 'Shifted',
    buses: 'Buses',
    meanRide: 'Ride mean (min)',
    maxRide: 'Ride max (min)',
    cost: 'Cost per day (yuan)',
    propose: 'Propose shifts',
    earliestMin: 'Earliest (min)',
    latestMin: 'Latest (min)',
    runProposal: 'Propose',
    proposalNone: 'No shift within the windows saves a bus.',
    proposalShift: (school, what, shiftMin) => `${school} ${what} ${signed(shiftMin)} min`,
    proposalSaves: (before, after) => `Buses ${before} → ${after}`,
    downloads: 'Downloads',
    geojson: 'GeoJSON map',
    gtfs: 'GTFS timetable',
    needsBasePlan: 'Make a plan first.',
    failed: (reason) => `The plan failed: ${reason}`,
    errorTitle: {
      no_token: 'This link is incomplete',
      unauthenticated: 'This link has expired',
      forbidden: 'Not allowed',
      not_bureau: 'For the transport bureau only',
    },
    errorAdvice: {
      no_token: 'Open the whole link the bureau sent.',
      unauthenticated: 'Ask the administrator for a new link.',
      forbidden: 'This link cannot plan lines.',
      not_bureau: 'Line planning is open to the transport bureau only. Parents: use the parent page.',
    },
  },
}

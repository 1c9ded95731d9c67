import type { ChangeExplanation, ReplanExplanation, ReplannedTime } from './explain-change.js'
import type { PlannerText } from './planner-text.js'
import { numberIn, signed, signedIn } from './planner-text-numbers.js'

const zhNumber = numberIn('zh-CN')

function explainZh(why: ChangeExplanation): string {
  const yuan = signedIn(zhNumber)
  const who = { regulation: '校车', hired: '租用车', all: '车辆' }
  const buses = why.busDeltas.map((d) => `${who[d.who]}${d.delta < 0 ? '少' : '多'} ${Math.abs(d.delta)} 辆`)
  const opposite = why.busDeltas.length === 2 && why.busDeltas[0]!.delta * why.busDeltas[1]!.delta < 0
  const parts = [opposite ? `${buses[0]}，但${buses[1]}` : buses.join('，')]
  if (why.kmDelta !== 0)
    parts.push(`${why.kmDelta < 0 ? '少' : '多'}行驶 ${zhNumber(Math.abs(why.kmDelta))} 公里`)
  const said = parts.filter(Boolean).join('，')
  if (why.costDeltaYuan === 0 && !said) return '每日成本和车辆都不变。'
  const cost = why.costDeltaYuan === 0 ? '每日成本不变' : `每日成本 ${yuan(why.costDeltaYuan)} 元`
  const largest = why.largest
    ? `；变化主要来自${why.largest.hired ? '租用' : '校车'} ${why.largest.seats} 座车（${yuan(why.largest.costDeltaYuan)} 元）`
    : ''
  return `${cost}${said ? `：${said}` : ''}${largest}。`
}

const fullReasonZh: Record<string, string> = {
  base_without_workings: '原方案没有保存可沿用的中间结果',
  input_changed: '学生、学校、车队或设置与原方案不同',
  roads_changed: '道路或路径服务与原方案不同',
  workings_unusable: '原方案保存的中间结果无法使用',
}

function replanZh(why: ReplanExplanation, schoolName: (id: string) => string): string {
  if (why.mode === 'full') return `全部重新规划：${fullReasonZh[why.reason ?? ''] ?? '原因未记录'}。`
  const micro = why.microRetimed > 0 ? `微公交 ${why.microRetimed} 个班次按新时间重排。` : ''
  if (why.replanned === 0 && !micro) return `时间没有变动，${why.reused} 组线路全部沿用原方案。`
  if (why.replanned === 0) return `没有需要重新排的定制公交线路（${why.reused} 组沿用原方案）；${micro}`
  const when = (g: ReplannedTime) =>
    `${schoolName(g.schoolId)}${g.direction === 'to_school' ? '上学' : '放学'} ${g.time}`
  const list = why.shown.map(when).join('、') + (why.more > 0 ? ` 等 ${why.replanned} 组` : '')
  return `只重新排了 ${why.replanned} 组线路（${list}），其余 ${why.reused} 组沿用原方案。${micro}`
}

/** The line planner in Chinese. */
export const plannerTextZh: PlannerText = {
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
  scopeNames: {
    riders: '全部乘车学生',
    line_riders: '微公交和定制公交线路的学生',
    schools: '所选学校的学生',
  },
  otherScope: '本方案的学生',
  legendLines: '每条线路一种颜色，与线路列表一致',
  lines: '线路',
  noLines: '这个方案没有线路。',
  lineKinds: { micro_bus: '微公交', custom_bus: '定制公交', school_bus: '校车' },
  lineFigures: (buses, pupils) => `车辆 ${buses} 辆 · 学生 ${pupils} 人`,
  hub: (id) => `换乘站 ${id}`,
  unserved: '未安排乘车的学生',
  unservedNone: '每个学生都有车坐。',
  unservedReasons: {
    no_bus_road_within_walk_limit: '步行范围内没有可通车的道路',
    lone_home: '附近同路学生太少，设不了站点',
    ride_too_long: '乘车时间会超过上限',
  },
  otherReason: '其他原因',
  unservedCount: (pupils) => `${pupils} 人`,
  pupilsColumn: '人数',
  pupilCodes: '学生编号',
  unknownSchool: '学校未记录',
  gradeOf: (grade) => `${grade} 年级`,
  byBusType: '按车型',
  partLabel: (hired, seats) => `${hired ? '租用车' : '校车'} ${seats} 座`,
  partFigures: (part) =>
    `${part.buses} 辆 · ${zhNumber(part.busKmPerDay)} 公里 · ${zhNumber(part.costPerDayYuan)} 元`,
  whyMoved: '为什么变化',
  explainChange: explainZh,
  replannedLabel: '重新规划了什么',
  explainReplan: replanZh,
  comparePlans: '两个方案对比',
  firstPlan: '方案一',
  secondPlan: '方案二',
  comparePick: '选两个已完成的方案。',
}

import type { ChangeExplanation, ReplanExplanation, ReplannedTime } from './explain-change.js'
import type { PlannerText } from './planner-text.js'
import { numberIn, signed, signedIn } from './planner-text-numbers.js'

const enNumber = numberIn('en-US')
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

function explainEn(why: ChangeExplanation): string {
  const yuan = signedIn(enNumber)
  const who = {
    regulation: ['regulation bus', 'regulation buses'],
    hired: ['hired bus', 'hired buses'],
    all: ['bus', 'buses'],
  }
  const buses = why.busDeltas.map(
    (d) =>
      `${Math.abs(d.delta)} ${d.delta < 0 ? 'fewer' : 'more'} ${who[d.who][Math.abs(d.delta) === 1 ? 0 : 1]}`,
  )
  const opposite = why.busDeltas.length === 2 && why.busDeltas[0]!.delta * why.busDeltas[1]!.delta < 0
  const parts = [buses.join(opposite ? ' but ' : ' and ')]
  if (why.kmDelta !== 0)
    parts.push(`${enNumber(Math.abs(why.kmDelta))} km ${why.kmDelta < 0 ? 'less' : 'more'} driving`)
  const said = parts.filter(Boolean).join(', ')
  if (why.costDeltaYuan === 0 && !said) return 'Same cost per day and the same buses.'
  const cost = why.costDeltaYuan === 0 ? 'Same cost per day' : `Cost per day ${yuan(why.costDeltaYuan)} yuan`
  const largest = why.largest
    ? `; most of the change: ${why.largest.hired ? 'hired' : 'regulation'} ${why.largest.seats}-seat buses (${yuan(why.largest.costDeltaYuan)} yuan)`
    : ''
  return `${cost}${said ? `: ${said}` : ''}${largest}.`
}

const fullReasonEn: Record<string, string> = {
  base_without_workings: 'the base plan kept nothing to re-use (it is older)',
  input_changed: 'the pupils, schools, fleet or settings are not the base plan’s',
  roads_changed: 'the roads or the router are not the base plan’s',
  workings_unusable: 'what the base plan kept could not be used',
}

function replanEn(why: ReplanExplanation, schoolName: (id: string) => string): string {
  if (why.mode === 'full')
    return `Planned in full: ${fullReasonEn[why.reason ?? ''] ?? 'no reason recorded'}.`
  const runs = plural(why.microRetimed, 'micro-bus run', 'micro-bus runs')
  const micro = why.microRetimed > 0 ? ` ${runs} retimed.` : ''
  if (why.replanned === 0 && !micro)
    return `Nothing moved: all ${plural(why.reused, 'ride group', 'ride groups')} kept the base plan’s routes.`
  if (why.replanned === 0)
    return `No ride group planned again (${why.reused} kept the base plan’s routes); ${runs} retimed.`
  const when = (g: ReplannedTime) =>
    `${schoolName(g.schoolId)} ${g.direction === 'to_school' ? 'morning' : 'home'} ${g.time}`
  const list = why.shown.map(when).join(', ') + (why.more > 0 ? ` and ${why.more} more` : '')
  return (
    `Planned again: ${why.replanned} of ${plural(why.replanned + why.reused, 'ride group', 'ride groups')} ` +
    `(${list}); the other ${why.reused} kept the base plan’s routes.${micro}`
  )
}

/** The line planner in English. */
export const plannerTextEn: PlannerText = {
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
  scopeNames: {
    riders: 'All riders',
    line_riders: 'Riders of micro-bus and custom-bus lines',
    schools: 'Pupils of the chosen schools',
  },
  otherScope: 'The pupils of this plan',
  legendLines: 'Each line in its own colour, as in the list of lines',
  lines: 'Lines',
  noLines: 'This plan has no lines.',
  lineKinds: { micro_bus: 'Micro-bus', custom_bus: 'Custom bus', school_bus: 'School bus' },
  lineFigures: (buses, pupils) => `${plural(buses, 'bus', 'buses')} · ${plural(pupils, 'pupil', 'pupils')}`,
  hub: (id) => `Transit hub ${id}`,
  unserved: 'Pupils without a bus',
  unservedNone: 'Every pupil has a bus.',
  unservedReasons: {
    no_bus_road_within_walk_limit: 'No road a bus can use within walking distance',
    lone_home: 'Too few pupils nearby for a stop',
    ride_too_long: 'The ride would be longer than allowed',
  },
  otherReason: 'Other reason',
  unservedCount: (pupils) => plural(pupils, 'pupil', 'pupils'),
  pupilsColumn: 'Pupils',
  pupilCodes: 'Pupil codes',
  unknownSchool: 'School not recorded',
  gradeOf: (grade) => `Grade ${grade}`,
  byBusType: 'By bus type',
  partLabel: (hired, seats) => `${hired ? 'Hired' : 'Regulation'} ${seats}-seat buses`,
  partFigures: (part) =>
    `${plural(part.buses, 'bus', 'buses')} · ${enNumber(part.busKmPerDay)} km · ${enNumber(part.costPerDayYuan)} yuan`,
  whyMoved: 'Why it moved',
  explainChange: explainEn,
  replannedLabel: 'What was planned again',
  explainReplan: replanEn,
  comparePlans: 'Two plans side by side',
  firstPlan: 'First plan',
  secondPlan: 'Second plan',
  comparePick: 'Pick two finished plans.',
}

/** The pages the front door names, each at its own address. */
export const frontDoorPaths = {
  signIn: '/sign-in',
  console: '/bureau',
  registers: '/registers',
  planner: '/planner',
  reports: '/reports',
  letters: '/letters',
  access: '/access',
  parent: '/parent',
  attendant: '/attendant/',
  enrol: '/enrol',
} as const

export type FrontDoorPage = keyof typeof frontDoorPaths

/** The feeds anyone may read, outside the API: today's timetable and the buses' live positions. */
export const openFeedPaths = [
  '/gtfs/today.zip',
  '/gtfs-rt/vehicle-positions',
  '/gtfs-rt/trip-updates',
] as const

/**
 * The pages each role may open, as the pages themselves admit them: the bureau every staff page,
 * a school the fleet console (of its own buses), its registers, reports and letters, a parent's
 * phone the parent page, an attendant's the attendant page. A device's or the platform's own
 * session opens none.
 */
const pagesByRole: Record<string, readonly FrontDoorPage[]> = {
  bureau: ['console', 'registers', 'planner', 'reports', 'letters', 'access'],
  school: ['console', 'registers', 'reports', 'letters'],
  parent: ['parent'],
  attendant: ['attendant'],
}

/** The pages for everyone signed in on this browser, each once, in the order the roles give them. */
export function pagesForRoles(roles: readonly string[]): FrontDoorPage[] {
  return [...new Set(roles.flatMap((role) => pagesByRole[role] ?? []))]
}

/** The pages described to a visitor nobody signed in: every page but the way in, which is offered apart. */
export const describedPages: readonly FrontDoorPage[] = [
  'console',
  'registers',
  'planner',
  'reports',
  'letters',
  'access',
  'parent',
  'enrol',
  'attendant',
]

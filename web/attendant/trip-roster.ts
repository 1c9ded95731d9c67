import type { Boarding, Direction, RosterPupil, ScanAction, TripStop } from './attendant-contract.js'
import type { ScanItem } from './scan-queue.js'

export type PupilStatus = 'waiting' | 'on_board' | 'off'
export type PupilFlag = 'wrong_stop' | 'missing'

export interface PupilRow {
  pupil: RosterPupil
  status: PupilStatus
  /** When the pupil last got on or off. */
  since: string | null
  /** Some of this pupil's scans are still on the phone, waiting to be sent. */
  pending: boolean
  flags: PupilFlag[]
  /** What a tap on the pupil's button records. */
  nextAction: ScanAction
}

export interface StopGroup {
  stop: TripStop
  isSchool: boolean
  /** The bus has moved on from this stop. */
  left: boolean
  current: boolean
  rows: PupilRow[]
}

export interface RosterView {
  groups: StopGroup[]
  counts: { onBoard: number; expected: number; missing: number; off: number }
  onBoard: PupilRow[]
  /** Scans of codes the roster does not know, still waiting for the server's verdict. */
  strangers: ScanItem[]
}

interface Mark {
  id: string
  pupilId: string
  action: ScanAction
  stopId: string | null
  scannedAt: string
  pending: boolean
}

/**
 * Who is where on one trip, from what the server has stored (every phone's scans) and what this
 * phone still holds. A pupil is listed under the stop of what comes next for them: where they get
 * on while waiting, where they get off once on board. Stops are in driving order, so the morning's
 * list ends at the school and the afternoon's begins there.
 */
export function buildRosterView(input: {
  direction: Direction
  stops: readonly TripStop[]
  pupils: readonly RosterPupil[]
  boardings: readonly Boarding[]
  pending: readonly ScanItem[]
  /** The seq of the stop the bus is at (or last reached). */
  currentSeq: number
}): RosterView {
  const byCode = new Map(input.pupils.map((p) => [p.code, p]))
  const stored = new Set(input.boardings.map((b) => b.id))
  const marks = new Map<string, Mark[]>()
  const add = (mark: Mark) => marks.set(mark.pupilId, [...(marks.get(mark.pupilId) ?? []), mark])
  for (const b of input.boardings) add({ ...b, pending: false })
  const strangers: ScanItem[] = []
  for (const scan of input.pending) {
    if (stored.has(scan.id)) continue
    const pupilId = scan.pupilId ?? (scan.pupilCode ? byCode.get(scan.pupilCode)?.pupilId : undefined)
    if (pupilId) add({ ...scan, pupilId, pending: true })
    else strangers.push(scan)
  }

  const seqOf = new Map(input.stops.map((s) => [s.stopId, s.seq]))
  const schoolSeq = input.direction === 'to_school' ? input.stops.at(-1)?.seq : input.stops[0]?.seq
  const rows = input.pupils.map((pupil): PupilRow => {
    const own = (marks.get(pupil.pupilId) ?? []).sort(
      (a, b) => Date.parse(a.scannedAt) - Date.parse(b.scannedAt),
    )
    const last = own.at(-1)
    const status: PupilStatus = !last ? 'waiting' : last.action === 'boarded' ? 'on_board' : 'off'
    const flags: PupilFlag[] = []
    const elsewhere = own.some((m) => {
      const seq = m.stopId ? seqOf.get(m.stopId) : undefined
      return seq !== undefined && seq !== (m.action === 'boarded' ? pupil.boardSeq : pupil.alightSeq)
    })
    if (elsewhere) flags.push('wrong_stop')
    if (status === 'waiting' && pupil.boardSeq < input.currentSeq) flags.push('missing')
    return {
      pupil,
      status,
      since: last?.scannedAt ?? null,
      pending: own.some((m) => m.pending),
      flags,
      nextAction: status === 'on_board' ? 'alighted' : 'boarded',
    }
  })

  const groups = input.stops.map((stop): StopGroup => ({
    stop,
    isSchool: stop.seq === schoolSeq,
    left: stop.seq < input.currentSeq,
    current: stop.seq === input.currentSeq,
    rows: rows
      .filter((row) => (row.status === 'waiting' ? row.pupil.boardSeq : row.pupil.alightSeq) === stop.seq)
      .sort((a, b) => a.pupil.name.localeCompare(b.pupil.name, 'zh-CN')),
  }))
  const onBoard = rows.filter((row) => row.status === 'on_board')
  return {
    groups,
    counts: {
      onBoard: onBoard.length,
      expected: rows.length,
      missing: rows.filter((row) => row.flags.includes('missing')).length,
      off: rows.filter((row) => row.status === 'off').length,
    },
    onBoard,
    strangers,
  }
}

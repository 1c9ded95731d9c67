import { formatCixiTime } from '../shared/cixi-time.js'
import { element, setText } from '../shared/dom.js'
import { showErrorPage } from '../shared/error-page.js'
import { otherLang } from '../shared/language.js'
import type { Alarm, TodayTrip } from './attendant-contract.js'
import { attendantText, type AttendantText, type ErrorKind } from './attendant-text.js'
import type { StopSource } from './current-stop.js'
import type { PupilRow, RosterView } from './trip-roster.js'

export type Tone = 'good' | 'warn' | 'bad'
export type ConnectionState = 'online' | 'offline' | 'waiting'

const hhmm = (iso: string) => formatCixiTime(Date.parse(iso))

function node<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; data?: Record<string, string> } = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag)
  if (props.className) made.className = props.className
  if (props.text !== undefined) made.textContent = props.text
  for (const [key, value] of Object.entries(props.data ?? {})) made.dataset[key] = value
  made.append(...children)
  return made
}

/** The page's elements, filled in from what the app has worked out. Taps come back by callbacks. */
export function createAttendantView() {
  const connection = element('connection')
  const roster = element('roster')
  const result = element('result')
  const endDialog = element<HTMLDialogElement>('end-dialog')
  const confirmEmpty = element<HTMLInputElement>('confirm-empty')
  const endConfirm = element<HTMLButtonElement>('end-confirm')
  const camera = element('camera')
  let resultTimer: ReturnType<typeof setTimeout> | undefined

  return {
    language: element<HTMLButtonElement>('language'),
    trips: element('trips'),
    roster,
    entry: element<HTMLFormElement>('entry'),
    codeInput: element<HTMLInputElement>('code-input'),
    scanButton: element<HTMLButtonElement>('scan'),
    stopBack: element<HTMLButtonElement>('stop-back'),
    stopForward: element<HTMLButtonElement>('stop-forward'),
    endTrip: element<HTMLButtonElement>('end-trip'),
    endCancel: element<HTMLButtonElement>('end-cancel'),
    endConfirm,
    endOnBoard: element('end-on-board'),
    confirmEmpty,
    alarmList: element('alarm-list'),
    cameraVideo: element<HTMLVideoElement>('camera-video'),
    cameraClose: element<HTMLButtonElement>('camera-close'),

    showLanguage(text: AttendantText) {
      document.documentElement.lang = text.htmlLang
      document.title = text.title
      setText(element('title'), text.title)
      setText(this.language, text.otherLanguage)
      setText(element('label-on-board'), text.onBoard)
      setText(element('label-expected'), text.expected)
      setText(element('label-missing'), text.missing)
      setText(element('at-stop-label'), text.atStop)
      this.stopBack.ariaLabel = text.previousStop
      this.stopForward.ariaLabel = text.nextStop
      setText(element('code-label'), text.codeLabel)
      this.codeInput.placeholder = text.codeLabel
      setText(element('mark'), text.mark)
      setText(this.scanButton, text.scan)
      setText(this.endTrip, text.endTrip)
      setText(element('alarms-title'), text.alarmsTitle)
      setText(element('refused-title'), text.refusedTitle)
      setText(element('end-title'), text.endTitle)
      setText(element('confirm-empty-label'), text.confirmEmpty)
      setText(this.endCancel, text.cancel)
      setText(element('camera-hint'), text.cameraHint)
      setText(this.cameraClose, text.close)
    },

    showBus(parts: string[]) {
      setText(element('bus-line'), parts.filter(Boolean).join(' · '))
    },

    showConnection(state: ConnectionState, message: string, waiting: number) {
      connection.dataset.state = state
      connection.dataset.queued = String(waiting)
      setText(connection, message)
    },

    showTrips(trips: readonly TodayTrip[], selectedId: string | null, text: AttendantText) {
      element('no-trips').hidden = trips.length > 0
      setText(element('no-trips'), text.noTrips)
      element('trip').hidden = selectedId === null
      this.trips.replaceChildren(
        ...trips.map((trip) => {
          const tab = node(
            'button',
            { className: 'trip-tab', data: { tripId: trip.tripId, state: trip.state } },
            node('strong', { text: `${text.direction[trip.direction]} ${trip.startTime}–${trip.endTime}` }),
            node('span', { text: trip.schoolName }),
            node('span', { className: 'state', text: text.tripState[trip.state] }),
          )
          tab.type = 'button'
          tab.setAttribute('aria-pressed', String(trip.tripId === selectedId))
          return tab
        }),
      )
    },

    showStop(name: string, source: StopSource, text: AttendantText, ends: { first: boolean; last: boolean }) {
      setText(element('at-stop-name'), name)
      setText(element('at-stop-source'), text.stopSource[source])
      this.stopBack.disabled = ends.first
      this.stopForward.disabled = ends.last
    },

    showRoster(view: RosterView, text: AttendantText) {
      setText(element('count-on-board'), String(view.counts.onBoard))
      setText(element('count-expected'), String(view.counts.expected))
      setText(element('count-missing'), String(view.counts.missing))
      element('count-missing').parentElement!.dataset.some = String(view.counts.missing > 0)
      roster.replaceChildren(
        ...view.groups.map((group) => {
          const tag = group.current ? text.busHere : group.left ? text.stopLeft : ''
          const heading = node(
            'h3',
            {},
            node('span', { text: group.isSchool ? `${group.stop.name} · ${text.school}` : group.stop.name }),
            node('span', { className: 'time', text: group.stop.arriveTime.slice(0, 5) }),
            node('span', { className: 'tag', text: tag }),
          )
          return node(
            'section',
            {
              className: 'stop-group',
              data: { seq: String(group.stop.seq), current: String(group.current), left: String(group.left) },
            },
            heading,
            node('ol', { className: 'pupils' }, ...group.rows.map((row) => pupilItem(row, text))),
          )
        }),
      )
    },

    /** The answer to the last scan, big and coloured, until the next one or a few seconds pass. */
    showResult(message: string, tone: Tone) {
      clearTimeout(resultTimer)
      result.hidden = false
      result.dataset.tone = tone
      setText(result, message)
      setText(element('camera-result'), message)
      resultTimer = setTimeout(() => (result.hidden = true), tone === 'good' ? 4000 : 12_000)
    },

    showRefused(messages: readonly string[]) {
      element('refused').hidden = messages.length === 0
      element('refused-list').replaceChildren(...messages.map((m) => node('li', { text: m })))
    },

    showEnd(trip: TodayTrip | null, endQueued: boolean, text: AttendantText) {
      const ended = element('ended')
      const done = trip?.state === 'ended' || endQueued
      this.endTrip.hidden = !trip || done
      ended.hidden = !done
      if (trip?.ended) {
        const empty = trip.ended.confirmedEmpty ? ` · ${text.checkedEmpty}` : ''
        setText(ended, `${text.ended(hhmm(trip.ended.endedAt))} (${trip.ended.endedBy})${empty}`)
      } else if (endQueued) setText(ended, text.endSaved)
    },

    openEndDialog() {
      confirmEmpty.checked = false
      if (!endDialog.open) endDialog.showModal()
    },

    closeEndDialog() {
      endDialog.close()
    },

    isEndDialogOpen: () => endDialog.open,

    /** Who is still on board, each with a button to mark them off, and what ending will do. */
    showEndDialog(onBoard: readonly PupilRow[], text: AttendantText) {
      setText(
        element('end-on-board-line'),
        onBoard.length ? text.stillOnBoard(onBoard.length) : text.noneOnBoard,
      )
      this.endOnBoard.replaceChildren(
        ...onBoard.map((row) => {
          const off = node('button', {
            className: 'act',
            text: text.action.alighted,
            data: { pupilId: row.pupil.pupilId, action: 'alighted' },
          })
          off.type = 'button'
          return node(
            'li',
            { data: { pupilId: row.pupil.pupilId } },
            node('span', { text: row.pupil.name }),
            off,
          )
        }),
      )
      endConfirm.disabled = !confirmEmpty.checked
      endConfirm.dataset.onBoard = String(onBoard.length)
      setText(endConfirm, onBoard.length ? text.endAnyway(onBoard.length) : text.confirmEnd)
    },

    showAlarms(alarms: readonly Alarm[], text: AttendantText, keyOf: (alarm: Alarm) => string) {
      element('alarms').hidden = alarms.length === 0
      this.alarmList.replaceChildren(
        ...alarms.map((alarm) => {
          const acknowledged = Boolean(alarm.acknowledgedAt)
          const names = alarm.details?.pupils?.map((p) => p.name).join('、') ?? ''
          const item = node(
            'li',
            { className: 'alarm', data: { key: keyOf(alarm), acknowledged: String(acknowledged) } },
            node('strong', { text: `${hhmm(alarm.ts)} ${text.leftOnBus}` }),
            node('p', { text: text.alarmReason(alarm.details?.reason ?? '') }),
            node('p', { className: 'alarm-pupils', text: names }),
          )
          if (acknowledged) {
            item.append(
              node('p', {
                className: 'acknowledged',
                text: text.acknowledged(alarm.acknowledgedBy ?? '', hhmm(alarm.acknowledgedAt!)),
              }),
            )
          } else {
            const button = node('button', { className: 'acknowledge', text: text.acknowledge })
            button.type = 'button'
            item.append(button)
          }
          return item
        }),
      )
    },

    showCamera(open: boolean) {
      camera.hidden = !open
      if (!open) setText(element('camera-result'), '')
    },

    showError(kind: ErrorKind, first: AttendantText) {
      const words = (text: AttendantText) => ({
        htmlLang: text.htmlLang,
        title: text.errorTitle[kind],
        advice: text.errorAdvice[kind],
      })
      showErrorPage(kind, words(first), words(attendantText[otherLang(first.lang)]))
    },
  }
}

function pupilItem(row: PupilRow, text: AttendantText): HTMLLIElement {
  const { pupil } = row
  const state =
    row.status === 'waiting'
      ? text.waiting
      : row.status === 'on_board'
        ? text.onBoardSince(hhmm(row.since!))
        : text.gotOffAt(hhmm(row.since!))
  const badges = [
    ...row.flags.map((flag) => node('span', { className: 'badge', text: text.flag[flag] })),
    ...(row.pending ? [node('span', { className: 'badge pending', text: text.flag.pending })] : []),
  ]
  const act = node('button', {
    className: 'act',
    text: text.action[row.nextAction],
    data: { pupilId: pupil.pupilId, action: row.nextAction },
  })
  act.type = 'button'
  return node(
    'li',
    {
      className: 'pupil',
      data: {
        pupilId: pupil.pupilId,
        status: row.status,
        flags: row.flags.join(' '),
        pending: String(row.pending),
      },
    },
    node(
      'span',
      { className: 'pupil-text' },
      node('span', { className: 'pupil-name', text: pupil.name }),
      node('span', {
        className: 'pupil-detail',
        text: `${text.grade(pupil.grade)} · ${pupil.code} · ${state}`,
      }),
      ...badges,
    ),
    act,
  )
}

export type AttendantView = ReturnType<typeof createAttendantView>

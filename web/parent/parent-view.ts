import { formatCixiTime } from '../shared/cixi-time.js'
import type { ParentNotice } from './notice-log.js'
import { approachChoicesMin } from './notice-rules.js'
import type { EtaMessage } from './parent-messages.js'
import { element, setText } from '../shared/dom.js'
import { showErrorPage } from '../shared/error-page.js'
import { otherLang } from '../shared/language.js'
import { parentText, type ErrorKind, type ParentText } from './parent-text.js'

/** The page's elements outside the map, filled in from what the app has worked out. */
export function createParentView() {
  const title = element('title')
  const childLine = element('child-line')
  const childSelect = element<HTMLSelectElement>('child-select')
  const language = element<HTMLButtonElement>('language')
  const eta = element('eta')
  const etaLabel = element('eta-label')
  const etaValue = element('eta-value')
  const etaDetail = element('eta-detail')
  const connection = element('connection')
  const noticesTitle = element('notices-title')
  const noticeList = element('notice-list')
  const notifyLabel = element('notify-label')
  const notifyMinutes = element<HTMLSelectElement>('notify-minutes')

  return {
    map: element('map'),
    language,
    childSelect,
    notifyMinutes,

    showLanguage(text: ParentText, approachMin: number) {
      document.documentElement.lang = text.htmlLang
      document.title = text.title
      setText(title, text.title)
      setText(language, text.otherLanguage)
      setText(noticesTitle, text.notices)
      setText(notifyLabel, text.notifyWhen)
      notifyMinutes.replaceChildren(
        ...approachChoicesMin.map(
          (n) => new Option(text.minutesOption(n), String(n), false, n === approachMin),
        ),
      )
    },

    showChildren(children: { id: string; name: string }[], selectedId: string) {
      childSelect.hidden = children.length < 2
      childSelect.replaceChildren(
        ...children.map((c) => new Option(c.name, c.id, false, c.id === selectedId)),
      )
    },

    showChildLine(parts: string[]) {
      setText(childLine, parts.filter(Boolean).join(' · '))
    },

    /** `state` is also left on the element, for tools that read the page rather than look at it. */
    showEta(message: EtaMessage, state: { kind: string; minutes?: number; remainingS?: number }) {
      eta.dataset.kind = state.kind
      eta.classList.toggle('warn', message.warn)
      for (const key of ['minutes', 'remainingS'] as const) {
        const value = state[key]
        if (value === undefined) delete etaValue.dataset[key]
        else etaValue.dataset[key] = String(value)
      }
      setText(etaLabel, message.label)
      setText(etaValue, message.value)
      setText(etaDetail, message.detail)
    },

    showConnection(message: string | null) {
      connection.hidden = message === null
      setText(connection, message ?? '')
    },

    showNotices(notices: readonly ParentNotice[], text: ParentText, describe: (n: ParentNotice) => string) {
      if (notices.length === 0) {
        const empty = document.createElement('li')
        empty.className = 'notice-empty'
        empty.textContent = text.noNotices
        noticeList.replaceChildren(empty)
        return
      }
      noticeList.replaceChildren(
        ...notices.map((notice) => {
          const item = document.createElement('li')
          item.className = 'notice'
          item.dataset.kind = notice.kind
          const time = document.createElement('time')
          time.dateTime = notice.at
          time.textContent = formatCixiTime(Date.parse(notice.at))
          const words = document.createElement('span')
          words.textContent = describe(notice)
          item.append(time, words)
          return item
        }),
      )
    },

    /** Instead of the map: why this link shows nothing, in both languages, the parent's first. */
    showError(kind: ErrorKind, first: ParentText) {
      const second = parentText[otherLang(first.lang)]
      const words = (text: ParentText) => ({
        htmlLang: text.htmlLang,
        title: text.errorTitle[kind],
        advice: text.errorAdvice[kind],
      })
      showErrorPage(kind, words(first), words(second))
    },
  }
}

export type ParentView = ReturnType<typeof createParentView>

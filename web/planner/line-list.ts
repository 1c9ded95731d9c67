import { formatDayTime } from '../../geo/planner/format-day-time.js'
import { svg } from '../shared/svg-element.js'
import { styleLine } from './line-palette.js'
import { summarizeLines } from './line-summaries.js'
import type { PlanResult } from './planner-contract.js'
import type { PlannerText } from './planner-text.js'

/** A short stroke in the line's style, as on the map. */
function swatch(index: number) {
  const style = styleLine(index)
  const drawn = svg('svg', { class: 'swatch', width: 28, height: 10, 'aria-hidden': 'true' })
  drawn.append(
    svg('line', {
      x1: 1,
      y1: 5,
      x2: 27,
      y2: 5,
      stroke: style.colour,
      'stroke-width': 4,
      'stroke-dasharray': style.dash || 'none',
    }),
  )
  return drawn
}

/**
 * The plan's lines, each with its kind, buses and pupils and its calls in order with the times of
 * its runs; a line's button picks it on the map (and a second press lets it go).
 */
export function renderLineList(
  list: HTMLElement,
  result: PlanResult | null,
  words: {
    t: PlannerText
    stopName: (id: string) => string
    picked: string | null
    onPick: (lineId: string | null) => void
  },
) {
  const { t } = words
  const item = (text: string) => Object.assign(document.createElement('li'), { textContent: text })
  if (!result) return list.replaceChildren()
  const lines = summarizeLines(result)
  if (lines.length === 0) return list.replaceChildren(item(t.noLines))
  list.replaceChildren(
    ...lines.map((line, index) => {
      const entry = document.createElement('li')
      entry.dataset.lineId = line.id
      entry.dataset.kind = line.kind
      entry.dataset.colour = styleLine(index).colour
      const button = document.createElement('button')
      button.type = 'button'
      button.className = 'line-pick'
      button.setAttribute('aria-pressed', String(line.id === words.picked))
      const name = Object.assign(document.createElement('strong'), { textContent: line.name })
      const kind = Object.assign(document.createElement('span'), {
        className: 'line-kind',
        textContent: t.lineKinds[line.kind],
      })
      const figures = Object.assign(document.createElement('span'), {
        className: 'line-figures',
        textContent: t.lineFigures(line.buses, line.pupils),
      })
      button.append(swatch(index), name, kind, figures)
      button.addEventListener('click', () => words.onPick(line.id === words.picked ? null : line.id))
      const calls = document.createElement('ol')
      calls.className = 'calls'
      calls.append(
        ...line.stops.map((stop) => {
          const times = stop.timesS.map((s) => formatDayTime(s).slice(0, 5)).join(' ')
          const call = item(`${words.stopName(stop.stopId)}  ${times}`)
          call.dataset.stopId = stop.stopId
          return call
        }),
      )
      entry.append(button, calls)
      return entry
    }),
  )
}

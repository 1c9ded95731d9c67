import type { BusState } from '../../server/core/fleet/bus-state.js'

/**
 * How each state looks on the map and in the list: a colour of the Okabe–Ito palette, which
 * people with every common kind of colour blindness tell apart, and besides the colour a shape
 * and a sign, so that the colour is never the only cue (and a grey print still reads).
 */
export const stateMarks: Record<
  BusState,
  { colour: string; shape: 'circle' | 'square' | 'diamond'; sign: string }
> = {
  on_time: { colour: '#009e73', shape: 'circle', sign: '✓' },
  late: { colour: '#e69f00', shape: 'square', sign: '!' },
  off_route: { colour: '#d55e00', shape: 'diamond', sign: '×' },
  deadhead: { colour: '#56b4e9', shape: 'circle', sign: '→' },
  parked: { colour: '#0072b2', shape: 'square', sign: 'P' },
  silent: { colour: '#7f7f7f', shape: 'diamond', sign: '?' },
}

/** A state's mark as an element: a shape of the state's class holding its sign. */
export function stateMarkElement(state: BusState): HTMLElement {
  const mark = document.createElement('span')
  mark.className = `state-mark state-${state} shape-${stateMarks[state].shape}`
  // Through the style object, which the page's content security policy allows.
  mark.style.setProperty('--state', stateMarks[state].colour)
  const sign = document.createElement('span')
  sign.className = 'state-sign'
  sign.textContent = stateMarks[state].sign
  mark.append(sign)
  mark.setAttribute('aria-hidden', 'true')
  return mark
}

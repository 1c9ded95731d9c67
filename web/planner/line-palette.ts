/**
 * Paul Tol's "muted" qualitative scheme: nine colours that stay apart for readers with the common
 * colour-vision deficiencies. Past nine lines the colours come round again with a dash pattern, so
 * that 27 lines are drawn each in its own style.
 */
const colours = [
  '#332288',
  '#88ccee',
  '#44aa99',
  '#117733',
  '#999933',
  '#ddcc77',
  '#cc6677',
  '#882255',
  '#aa4499',
]
const dashes = ['', '7 4', '2 3']

export interface LineStyle {
  colour: string
  /** An SVG stroke-dasharray; empty for a solid line. */
  dash: string
}

/** The style of the plan's line at `index`, the same on the map and in the list. */
export function styleLine(index: number): LineStyle {
  const round = Math.floor(index / colours.length)
  return { colour: colours[index % colours.length]!, dash: dashes[round % dashes.length]! }
}

/**
 * Takes the code out of a letter's link `/enrol#code=K7QM-3XPA-9TRD` and out of the address bar at
 * once, so the history, a bookmark or a screenshot does not keep a working code. The fragment never
 * reaches a server.
 */
export function takeCodeFromLink(page: {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>
  history: Pick<History, 'replaceState'>
}): string | null {
  const params = new URLSearchParams(page.location.hash.replace(/^#/, ''))
  if (!params.has('code')) return null
  const code = params.get('code')?.trim() || null
  params.delete('code')
  const rest = params.toString()
  page.history.replaceState(
    null,
    '',
    `${page.location.pathname}${page.location.search}${rest ? `#${rest}` : ''}`,
  )
  return code
}

/** Which page this is: a guardian's enrolment or an attendant's pairing, by the path it was opened at. */
export const modeOfPath = (pathname: string): 'enrol' | 'pair' =>
  pathname.replace(/\/+$/, '').endsWith('/pair') ? 'pair' : 'enrol'

const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'

/** A code as typed, read the way the server reads it; null when it cannot be one. */
export function normaliseTypedCode(typed: string): string | null {
  const text = typed.toUpperCase().replace(/[\s-]/g, '')
  if (text.length !== 12 || [...text].some((symbol) => !alphabet.includes(symbol))) return null
  return text.replace(/(.{4})(?=.)/g, '$1-')
}

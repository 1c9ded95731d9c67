export const tokenStorageKey = 'parent.accessToken'

/**
 * The parts of a parent's link `/parent#token=…&pupil=…`. The token rides in the fragment, which
 * the browser never sends to a server, and leaves the address bar as soon as the page has read it.
 */
export function parseLinkFragment(fragment: string): {
  token: string | null
  pupilId: string | null
  /** The fragment without the token ('' when nothing else was in it). */
  withoutToken: string
} {
  const params = new URLSearchParams(fragment.replace(/^#/, ''))
  const token = params.get('token')?.trim() || null
  const pupilId = params.get('pupil')?.trim() || null
  params.delete('token')
  const rest = params.toString()
  return { token, pupilId, withoutToken: rest ? `#${rest}` : '' }
}

/**
 * Moves a token from the link into the phone's storage and out of the address bar (and so out of
 * the history, bookmarks and screenshots), then answers the token to use.
 */
export function takeAccessToken(page: {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>
  history: Pick<History, 'replaceState'>
  storage: Pick<Storage, 'getItem' | 'setItem'>
}): { token: string | null; pupilId: string | null } {
  const link = parseLinkFragment(page.location.hash)
  if (link.token) {
    page.storage.setItem(tokenStorageKey, link.token)
    page.history.replaceState(
      null,
      '',
      `${page.location.pathname}${page.location.search}${link.withoutToken}`,
    )
  }
  return { token: link.token ?? page.storage.getItem(tokenStorageKey), pupilId: link.pupilId }
}

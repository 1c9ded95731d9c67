/**
 * The parts of a page's link `/page#token=…&more=…`. The token rides in the fragment, which the
 * browser never sends to a server, and leaves the address bar as soon as the page has read it.
 */
export function parseLinkFragment(fragment: string): {
  token: string | null
  /** The fragment's other parameters. */
  params: URLSearchParams
  /** The fragment without the token ('' when nothing else was in it). */
  withoutToken: string
} {
  const params = new URLSearchParams(fragment.replace(/^#/, ''))
  const token = params.get('token')?.trim() || null
  params.delete('token')
  const rest = params.toString()
  return { token, params, withoutToken: rest ? `#${rest}` : '' }
}

/**
 * Moves a token from the link into the phone's storage under `storageKey` and out of the address
 * bar (and so out of the history, bookmarks and screenshots), then answers the token to use.
 */
export function takeAccessToken(
  page: {
    location: Pick<Location, 'hash' | 'pathname' | 'search'>
    history: Pick<History, 'replaceState'>
    storage: Pick<Storage, 'getItem' | 'setItem'>
  },
  options: { storageKey: string },
): { token: string | null; params: URLSearchParams } {
  const link = parseLinkFragment(page.location.hash)
  if (link.token) {
    page.storage.setItem(options.storageKey, link.token)
    page.history.replaceState(
      null,
      '',
      `${page.location.pathname}${page.location.search}${link.withoutToken}`,
    )
  }
  return { token: link.token ?? page.storage.getItem(options.storageKey), params: link.params }
}

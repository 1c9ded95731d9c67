import { describe, expect, it } from 'vitest'
import { parseLinkFragment, takeAccessToken } from './access-link.js'

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJnLTEifQ.sig_-x'
const storageKey = 'parent.accessToken'

function fakePage(hash: string, stored: string | null = null) {
  const items = new Map<string, string>(stored ? [[storageKey, stored]] : [])
  const addresses: string[] = []
  return {
    addresses,
    items,
    page: {
      location: { hash, pathname: '/parent', search: '' },
      history: {
        replaceState: (_state: unknown, _title: string, url?: string | URL | null) =>
          void addresses.push(String(url)),
      },
      storage: {
        getItem: (key: string) => items.get(key) ?? null,
        setItem: (key: string, value: string) => void items.set(key, value),
      },
    },
  }
}

describe('a page’s link', () => {
  it('carries the token and optionally more in its fragment', () => {
    const link = parseLinkFragment(`#token=${jwt}&pupil=pu-00102`)
    expect(link.token).toBe(jwt)
    expect(link.params.get('pupil')).toBe('pu-00102')
    expect(link.withoutToken).toBe('#pupil=pu-00102')
    expect(parseLinkFragment(`#token=${jwt}`)).toMatchObject({ token: jwt, withoutToken: '' })
    expect(parseLinkFragment('')).toMatchObject({ token: null, withoutToken: '' })
  })

  it('moves the token into storage and out of the address bar', () => {
    const { page, items, addresses } = fakePage(`#token=${jwt}&pupil=pu-00102`, 'older-token')
    const taken = takeAccessToken(page, { storageKey })
    expect(taken.token).toBe(jwt)
    expect(taken.params.get('pupil')).toBe('pu-00102')
    expect(items.get(storageKey)).toBe(jwt)
    expect(addresses).toEqual(['/parent#pupil=pu-00102'])
  })

  it('uses the stored token when the page is opened again without one', () => {
    const { page, addresses } = fakePage('', jwt)
    expect(takeAccessToken(page, { storageKey }).token).toBe(jwt)
    expect(addresses).toEqual([])
    expect(takeAccessToken(fakePage('').page, { storageKey }).token).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { parseLinkFragment, takeAccessToken, tokenStorageKey } from './access-link.js'

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJnLTEifQ.sig_-x'

function fakePage(hash: string, stored: string | null = null) {
  const items = new Map<string, string>(stored ? [[tokenStorageKey, stored]] : [])
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

describe('the parent’s link', () => {
  it('carries the token and optionally the child in its fragment', () => {
    expect(parseLinkFragment(`#token=${jwt}&pupil=pu-00102`)).toEqual({
      token: jwt,
      pupilId: 'pu-00102',
      withoutToken: '#pupil=pu-00102',
    })
    expect(parseLinkFragment(`#token=${jwt}`)).toEqual({ token: jwt, pupilId: null, withoutToken: '' })
    expect(parseLinkFragment('')).toEqual({ token: null, pupilId: null, withoutToken: '' })
  })

  it('moves the token into storage and out of the address bar', () => {
    const { page, items, addresses } = fakePage(`#token=${jwt}&pupil=pu-00102`, 'older-token')
    expect(takeAccessToken(page)).toEqual({ token: jwt, pupilId: 'pu-00102' })
    expect(items.get(tokenStorageKey)).toBe(jwt)
    expect(addresses).toEqual(['/parent#pupil=pu-00102'])
  })

  it('uses the stored token when the page is opened again without one', () => {
    const { page, addresses } = fakePage('', jwt)
    expect(takeAccessToken(page)).toEqual({ token: jwt, pupilId: null })
    expect(addresses).toEqual([])
    expect(takeAccessToken(fakePage('').page)).toEqual({ token: null, pupilId: null })
  })
})

import { describe, expect, it } from 'vitest'
import { safeNextPath, signInAddress } from './staff-session.js'

const origin = 'https://bus.example.cn'

describe('the page after sign-in', () => {
  it('keeps a path of this site with its query and fragment', () => {
    expect(safeNextPath('/registers', origin)).toBe('/registers')
    expect(safeNextPath('/access?tab=audit#top', origin)).toBe('/access?tab=audit#top')
  })

  it('refuses other sites, odd schemes and the sign-in page itself', () => {
    for (const next of [
      null,
      '',
      'registers',
      '//evil.example/registers',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/sign-in?next=/registers',
    ])
      expect(safeNextPath(next, origin), String(next)).toBe(null)
  })

  it('travels in the sign-in address encoded', () => {
    expect(signInAddress('/access?tab=audit')).toBe('/sign-in?next=%2Faccess%3Ftab%3Daudit')
  })
})

import { describe, expect, it } from 'vitest'
import { describedPages, frontDoorPaths, pagesForRoles } from './front-door-pages.js'

describe('the pages the front door offers', () => {
  it('follows each role', () => {
    expect(pagesForRoles(['bureau'])).toEqual([
      'console',
      'registers',
      'planner',
      'reports',
      'letters',
      'access',
    ])
    expect(pagesForRoles(['school'])).toEqual(['console', 'registers', 'reports', 'letters'])
    expect(pagesForRoles(['parent'])).toEqual(['parent'])
    expect(pagesForRoles(['attendant'])).toEqual(['attendant'])
  })

  it('offers nothing to a terminal’s session, and each page once to several sessions', () => {
    expect(pagesForRoles(['device', 'service'])).toEqual([])
    expect(pagesForRoles([])).toEqual([])
    expect(pagesForRoles(['school', 'bureau', 'parent'])).toEqual([
      'console',
      'registers',
      'reports',
      'letters',
      'planner',
      'access',
      'parent',
    ])
  })

  it('describes every page but sign-in to a visitor nobody signed in', () => {
    expect([...describedPages, 'signIn'].sort()).toEqual(Object.keys(frontDoorPaths).sort())
  })
})

import { describe, expect, it } from 'vitest'
import { orderChildren, type ChildRide } from './child-order.js'

const live = (pupilId: string, visibleFrom = '06:50'): ChildRide => ({
  pupilId,
  ride: { live: true, visibleFrom: `2026-03-02T${visibleFrom}:00+08:00` },
})
const later = (pupilId: string, visibleFrom: string): ChildRide => ({
  pupilId,
  ride: { live: false, visibleFrom: `2026-03-02T${visibleFrom}:00+08:00` },
})
const none = (pupilId: string): ChildRide => ({ pupilId, ride: null })

describe('the order of a parent’s children', () => {
  it('puts the child on a bus running now first, whoever was chosen last time', () => {
    expect(orderChildren([none('P1'), live('P2')], 'P1')).toEqual(['P2', 'P1'])
    expect(orderChildren([later('P1', '15:30'), live('P2')], null)).toEqual(['P2', 'P1'])
  })

  it('of two buses watchable now, puts first the one whose trip began first', () => {
    expect(orderChildren([live('P1', '07:05'), live('P2', '06:50')], 'P1')).toEqual(['P2', 'P1'])
  })

  it('then the child whose trip comes soonest today, then those with none', () => {
    expect(orderChildren([none('P1'), later('P2', '16:10'), later('P3', '15:30')], null)).toEqual([
      'P3',
      'P2',
      'P1',
    ])
  })

  it('keeps the last choice, then the registers’ order, among children alike', () => {
    expect(orderChildren([none('P1'), none('P2'), none('P3')], 'P3')).toEqual(['P3', 'P1', 'P2'])
    expect(orderChildren([live('P1'), live('P2')], 'P2')).toEqual(['P2', 'P1'])
    expect(orderChildren([live('P1'), live('P2')], null)).toEqual(['P1', 'P2'])
  })
})

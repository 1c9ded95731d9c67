import { expect, it } from 'vitest'
import { createDemoClock } from './demo-clock.js'
import { toShanghaiTime } from './shanghai-time.js'

const at = (iso: string) => ({ now: () => new Date(iso) })

it.each([
  ['2026-11-24T03:57:30+08:00', '07:00', '2026-11-24', '07:00:00'],
  ['2026-11-24T20:30:00+08:00', '07:00', '2026-11-25', '07:00:00'],
  ['2026-11-24T09:00:00+08:00', '07:00', '2026-11-24', '07:00:00'],
  ['2026-11-24T07:00:00+08:00', '16:30', '2026-11-24', '16:30:00'],
  // Friday night: the nearest 07:10 is Saturday's, so the Friday's it is.
  ['2026-11-27T22:00:00+08:00', '07:10', '2026-11-27', '07:10:00'],
  // Saturday afternoon: Friday's.
  ['2026-11-28T15:00:00+08:00', '16:30', '2026-11-27', '16:30:00'],
  // Sunday: the Monday's.
  ['2026-11-29T10:00:00+08:00', '07:00', '2026-11-30', '07:00:00'],
])(
  'at %s, DEMO_TIME=%s reads %s %s in Cixi, at the nearest occurrence on a school day',
  (real, demo, date, time) => {
    const clock = createDemoClock(demo, at(real))
    expect(toShanghaiTime(clock.now())).toMatchObject({ date, time })
  },
)

it('runs at the real pace', () => {
  let real = new Date('2026-11-24T03:00:00+08:00').getTime()
  const clock = createDemoClock('07:00', { now: () => new Date(real) })
  const first = clock.now().getTime()
  real += 90_000
  expect(clock.now().getTime() - first).toBe(90_000)
})

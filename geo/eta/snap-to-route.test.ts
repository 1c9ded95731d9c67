import { describe, expect, it } from 'vitest'
import { placeAt, stopAt, testTownRouter } from './eta-test-town.js'
import { snapToRoute } from './snap-to-route.js'
import { buildTripRoute } from './trip-route.js'

// Up the dead-end lane and back down it: every place on the lane lies on the route twice.
const route = await buildTripRoute([stopAt(1, 200), stopAt(2, 1000, 700), stopAt(3, 2500)], testTownRouter())
const onLane = placeAt(1003, 300)

describe('snap to route', () => {
  it('puts a place on a twice-driven street on the pass the bus has reached', () => {
    const goingUp = snapToRoute(route, onLane, { fromAlongM: 1050, backM: 40, aheadM: 1000 })
    expect(goingUp!.alongM).toBeCloseTo(800 + 300, -1)
    expect(goingUp!.offRouteM).toBeCloseTo(3, 0)
    const comingDown = snapToRoute(route, onLane, { fromAlongM: 1600, backM: 40, aheadM: 1000 })
    expect(comingDown!.alongM).toBeCloseTo(1500 + 400, -1)
  })

  it('prefers the pass nearest where the bus is expected when both lie in the window', () => {
    const window = { fromAlongM: 1000, backM: 40, aheadM: 2000 }
    expect(snapToRoute(route, onLane, { ...window, expectedAlongM: 1120 })!.alongM).toBeCloseTo(1100, -1)
    expect(snapToRoute(route, onLane, { ...window, expectedAlongM: 1880 })!.alongM).toBeCloseTo(1900, -1)
  })

  it('never lands behind the window, and says how far off the route a fix is', () => {
    const behind = snapToRoute(route, placeAt(300), { fromAlongM: 600, backM: 40, aheadM: 500 })
    expect(behind!.alongM).toBeCloseTo(560, 0)
    expect(behind!.offRouteM).toBeCloseTo(460, -1)
    const away = snapToRoute(route, placeAt(2000, 250), { fromAlongM: 3000, backM: 40, aheadM: 500 })
    expect(away!.alongM).toBeCloseTo(3200, -1)
    expect(away!.offRouteM).toBeCloseTo(250, -1)
  })

  it('finds nothing in a window past the end of the route', () => {
    expect(snapToRoute(route, placeAt(2500), { fromAlongM: 5000, backM: 40, aheadM: 500 })).toBeNull()
  })
})

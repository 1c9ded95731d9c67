import { createClient } from 'redis'
import type { Logger } from '../core/log/logger.js'

/** What the live channel sends about a bus's position. */
export interface LivePosition {
  busId: string
  ts: string
  lat: number
  lon: number
  speedKmh: number
  headingDeg: number | null
}

/** The newest of what was sent about a bus, for a client that joins or reconnects. */
export interface BusSnapshot<Eta> {
  busId: string
  position: LivePosition | null
  tripId: string | null
  eta: Eta | null
}

export interface BusLiveState<Eta> {
  savePosition(position: LivePosition): Promise<void>
  saveEta(busId: string, tripId: string | null, eta: Eta | null): Promise<void>
  load(busId: string): Promise<BusSnapshot<Eta>>
  close(): Promise<void>
}

/** Kept a day, so a bus that stopped reporting yesterday does not show yesterday's trip for ever. */
const keepS = 86_400

/**
 * One process keeps the latest state in memory. With Redis, every server process reads the same
 * state, whichever one took the bus's reports: a parent connected to another process still gets
 * the bus's position at once.
 */
export async function openBusLiveState<Eta>(options: {
  redisUrl?: string
  log: Logger
}): Promise<BusLiveState<Eta>> {
  if (!options.redisUrl) return createMemoryLiveState()
  const redis = createClient({ url: options.redisUrl })
  redis.on('error', (error: Error) => options.log.warn('redis', { error: error.message }))
  await redis.connect()
  const key = (busId: string) => `live:bus:${busId}`
  const write = async (busId: string, fields: Record<string, string>) => {
    await redis.multi().hSet(key(busId), fields).expire(key(busId), keepS).exec()
  }
  return {
    savePosition: (position) => write(position.busId, { position: JSON.stringify(position) }),
    saveEta: (busId, tripId, eta) => write(busId, { eta: JSON.stringify({ tripId, eta }) }),
    async load(busId) {
      const stored = await redis.hGetAll(key(busId))
      const eta = stored.eta ? (JSON.parse(stored.eta) as { tripId: string | null; eta: Eta | null }) : null
      return {
        busId,
        position: stored.position ? (JSON.parse(stored.position) as LivePosition) : null,
        tripId: eta?.tripId ?? null,
        eta: eta?.eta ?? null,
      }
    },
    async close() {
      await redis.quit().catch(() => undefined)
    },
  }
}

function createMemoryLiveState<Eta>(): BusLiveState<Eta> {
  const states = new Map<string, BusSnapshot<Eta>>()
  const stateOf = (busId: string) => {
    let state = states.get(busId)
    if (!state) states.set(busId, (state = { busId, position: null, tripId: null, eta: null }))
    return state
  }
  return {
    async savePosition(position) {
      stateOf(position.busId).position = position
    },
    async saveEta(busId, tripId, eta) {
      Object.assign(stateOf(busId), { tripId, eta })
    },
    async load(busId) {
      return { ...stateOf(busId) }
    },
    async close() {},
  }
}

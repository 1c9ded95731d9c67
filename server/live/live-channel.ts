import type { Server as HttpServer } from 'node:http'
import { createAdapter } from '@socket.io/redis-adapter'
import { createClient } from 'redis'
import { Server, type Socket } from 'socket.io'
import { z } from 'zod'
import type { AccessPolicy } from '../auth/access-policy.js'
import type { AccessTokens } from '../auth/access-tokens.js'
import type { Principal } from '../auth/principal.js'
import { AppError } from '../errors/app-error.js'
import type { Logger } from '../log/logger.js'

export interface LiveChannel {
  readonly io: Server
  /** Sends an event to every socket watching this bus, on every server process. */
  publishToBus(busId: string, event: string, payload: unknown): void
  /** Sends an event to the parents of this pupil only, wherever they are connected. */
  publishToPupil(pupilId: string, event: string, payload: unknown): void
  /**
   * Sends an alarm to everyone responsible for the bus, watching it or not: the bus's room, its
   * attendant, its school and the bureau; each socket gets it once.
   */
  publishAlarm(alarm: { busId: string; details: { schoolId: string } }): void
  /** Sends an event to the attendants' phones of this bus (pupils' names may be in it: never parents). */
  publishToAttendants(busId: string, event: string, payload: unknown): void
  isUp(): boolean
  /**
   * Checks every socket of this process again: one whose token has expired is disconnected, and one
   * whose scope no longer covers a bus (a parent once the child's trip is over) leaves its room.
   * Returns how many sockets lost a room or their connection.
   */
  rescope(): Promise<number>
  close(): Promise<void>
}

type Ack = (
  answer: { ok: true } | { ok: false; error: { code: string; message: string; field?: string } },
) => void

const subscribeRequest = z.object({ busId: z.string().min(1) })

export const busRoom = (busId: string) => `bus:${busId}`
const pupilRoom = (pupilId: string) => `pupil:${pupilId}`
/** The rooms a socket is in from the moment it connects, by its role: where alarms reach it. */
function homeRooms(principal: Principal): string[] {
  switch (principal.role) {
    case 'bureau':
      return ['bureau']
    case 'school':
      return [`school:${principal.schoolId}`]
    case 'attendant':
      return [`attendant:${principal.busId}`]
    case 'parent':
      return principal.pupilIds.map(pupilRoom)
    case 'device':
    case 'service':
      return []
  }
}

/**
 * socket.io on the HTTP server. The handshake carries the access token (`auth.token`); a socket
 * joins a bus's room only if its token's scope covers that bus now (DESIGN §4), and is then sent the
 * bus's latest state at once, so a client that reconnects never waits for the next report. A
 * parent's socket is also in a room per child, for the notices about that child alone.
 */
export async function attachLiveChannel(
  httpServer: HttpServer,
  options: {
    tokens: AccessTokens
    access: AccessPolicy
    log: Logger
    redisUrl?: string
    /** How often sockets are checked again (rescope); 0 leaves it to the caller. */
    rescopeIntervalMs?: number
    /** The bus's latest state, sent as 'state' to a socket that has just joined its room. */
    snapshotOf?(busId: string): Promise<unknown>
  },
): Promise<LiveChannel> {
  const io = new Server(httpServer, { serveClient: false, cors: { origin: false } })
  const redis = options.redisUrl ? await connectRedisAdapter(io, options.redisUrl, options.log) : undefined

  io.use((socket, next) => {
    const token: unknown = socket.handshake.auth?.token
    options.tokens.verify(typeof token === 'string' ? token : undefined).then(
      (principal) => {
        socket.data.principal = principal
        next()
      },
      (error: unknown) =>
        next(
          Object.assign(new Error(error instanceof Error ? error.message : 'unauthenticated'), {
            data: { code: 'unauthenticated' },
          }),
        ),
    )
  })

  io.on('connection', (socket: Socket) => {
    const principal = socket.data.principal as Principal
    void socket.join(homeRooms(principal))
    socket.on('subscribe', async (request: unknown, ack?: Ack) => {
      const reply: Ack = typeof ack === 'function' ? ack : () => {}
      try {
        const parsed = subscribeRequest.safeParse(request)
        if (!parsed.success) throw new AppError('bad_request', 'busId: expected a bus id', { field: 'busId' })
        const { busId } = parsed.data
        if (!(await options.access.canSeeBus(principal, busId))) {
          throw new AppError('forbidden', `bus ${busId} is outside this token's scope`)
        }
        await socket.join(busRoom(busId))
        reply({ ok: true })
        options.snapshotOf?.(busId).then(
          (state) => socket.emit('state', state),
          (error: unknown) => options.log.warn('no state to send', { busId, error: String(error) }),
        )
      } catch (error) {
        if (!(error instanceof AppError)) options.log.error('subscribe failed', { error: String(error) })
        const known = error instanceof AppError ? error : new AppError('unavailable', 'try again later')
        reply({ ok: false, error: { code: known.code, message: known.message, field: known.field } })
      }
    })
    socket.on('unsubscribe', async (request: unknown) => {
      const parsed = subscribeRequest.safeParse(request)
      if (parsed.success) await socket.leave(busRoom(parsed.data.busId))
    })
  })

  const rescope = async () => {
    let changed = 0
    for (const socket of io.of('/').sockets.values()) {
      const token: unknown = socket.handshake.auth?.token
      const principal = await options.tokens
        .verify(typeof token === 'string' ? token : undefined)
        .catch(() => undefined)
      if (!principal) {
        socket.emit('unsubscribed', { reason: 'the access token has expired' })
        socket.disconnect(true)
        changed++
        continue
      }
      for (const room of socket.rooms) {
        if (!room.startsWith('bus:')) continue
        const busId = room.slice('bus:'.length)
        if (await options.access.canSeeBus(principal, busId)) continue
        await socket.leave(room)
        socket.emit('unsubscribed', { busId, reason: `bus ${busId} is outside this token's scope now` })
        changed++
      }
    }
    return changed
  }
  const rescopeIntervalMs = options.rescopeIntervalMs ?? 30_000
  const rescopeTimer =
    rescopeIntervalMs > 0
      ? setInterval(() => {
          rescope().catch((error: unknown) => options.log.warn('rescope failed', { error: String(error) }))
        }, rescopeIntervalMs)
      : undefined
  rescopeTimer?.unref()

  let up = true
  return {
    io,
    rescope,
    publishToBus: (busId, event, payload) => {
      io.to(busRoom(busId)).emit(event, payload)
    },
    publishToPupil: (pupilId, event, payload) => {
      io.to(pupilRoom(pupilId)).emit(event, payload)
    },
    publishToAttendants: (busId, event, payload) => {
      io.to(`attendant:${busId}`).emit(event, payload)
    },
    publishAlarm: (alarm) => {
      io.to([
        busRoom(alarm.busId),
        `attendant:${alarm.busId}`,
        `school:${alarm.details.schoolId}`,
        'bureau',
      ]).emit('event', alarm)
    },
    isUp: () => up && (redis ? redis.isReady() : true),
    async close() {
      up = false
      clearInterval(rescopeTimer)
      io.disconnectSockets(true)
      await new Promise<void>((resolve) => io.close(() => resolve()))
      await redis?.close()
    },
  }
}

async function connectRedisAdapter(io: Server, url: string, log: Logger) {
  const pub = createClient({ url })
  const sub = pub.duplicate()
  for (const client of [pub, sub])
    client.on('error', (error: Error) => log.warn('redis', { error: error.message }))
  await Promise.all([pub.connect(), sub.connect()])
  io.adapter(createAdapter(pub, sub))
  return {
    isReady: () => pub.isReady && sub.isReady,
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()])
    },
  }
}

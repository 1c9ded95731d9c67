import type { Server as HttpServer } from 'node:http'
import { Server, type Socket } from 'socket.io'
import { z } from 'zod'
import type { AccessPolicy } from '../core/auth/access-policy.js'
import type { AccessTokens } from '../core/auth/access-tokens.js'
import { sessionIdOf } from '../core/auth/sessions.js'
import type { SessionHolder } from '../core/auth/watch-ended-sessions.js'
import type { Principal } from '../core/auth/principal.js'
import { systemClock, type Clock } from '../core/clock/clock.js'
import type { PublishAlarmCase } from '../core/alarms/alarm-case.js'
import { AppError } from '../core/errors/app-error.js'
import type { Logger } from '../core/log/logger.js'
import { busIdOfRoom, busRoomsFor, homeRooms, liveRooms, type LiveEventFor } from './live-audiences.js'
import { connectRedisAdapter, createRoomPublishing } from './room-publishing.js'
import { createSubscribeLimiter, type SocketAdmission, type SubscribeLimits } from './subscribe-limits.js'

export interface LiveChannel extends SessionHolder {
  /** Sends to every socket watching this bus, parents included, on every server process. */
  publishToBusWatchers(busId: string, event: LiveEventFor<'bus_watchers'>, payload: unknown): void
  /** Sends to the staff watching this bus (never its parents), on every server process. */
  publishToBusStaff(busId: string, event: LiveEventFor<'bus_staff'>, payload: unknown): void
  /** Sends to the parents of this pupil only, wherever they are connected. */
  publishToPupil(pupilId: string, event: LiveEventFor<'guardians'>, payload: unknown): void
  /**
   * Sends an alarm (or its acknowledgement) as an `event` to the staff responsible for the bus,
   * watching it or not: the bus's staff room, its attendant, its school where the alarm names one,
   * and the bureau; each socket gets it once. Never to parents: alarms name other pupils.
   */
  publishAlarm(alarm: { busId: string; details?: { schoolId?: unknown } | null }): void
  /** Sends to the attendants' phones of this bus (pupils' names may be in it: never parents). */
  publishToAttendants(busId: string, event: LiveEventFor<'bus_attendants'>, payload: unknown): void
  publishToBureau(event: LiveEventFor<'bureau'>, payload: unknown): void
  /**
   * Sends a case of the alarm inbox, as it opened or changed, to the bureau and to the schools the
   * case concerns (the rooms every bureau and school socket joins on connecting): never to
   * attendants or parents, whose sockets are in neither.
   */
  publishAlarmCase: PublishAlarmCase
  isUp(): boolean
  /**
   * Checks every socket of this process again: one whose token has expired is disconnected, and one
   * whose scope no longer covers a bus (a parent once the child's trip is over) leaves its rooms.
   * Returns how many sockets lost a bus or their connection.
   */
  rescope(): Promise<number>
  /**
   * Closes the sockets' transports and the HTTP server under them, within the grace period: the
   * pages see their connection drop, not a dismissal, and come back once a server listens again.
   */
  close(): Promise<void>
}

type AckError = { code: string; message: string; field?: string }
type Ack = (answer: { ok: true } | { ok: false; error: AckError }) => void

const subscribeRequest = z.object({ busId: z.string().min(1) })

const tokenOf = (socket: Socket): string | undefined => {
  const token: unknown = socket.handshake.auth?.token
  return typeof token === 'string' ? token : undefined
}

/**
 * socket.io on the HTTP server. The handshake carries the access token (`auth.token`); a socket
 * joins a bus's rooms only if its token's scope covers that bus now (DESIGN §4), and is then sent the
 * bus's latest state at once, so a client that reconnects never waits for the next report. Each bus
 * has a watchers' room (position, ETA: what a parent may see) and a staff room (alarms, stop events);
 * a parent joins only the first, and is also in a room per child, for the notices about that child
 * alone. Subscribes are limited per socket and per token before any work is done for them.
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
    /** What the subscribe limits refill by; the system clock unless a test sets it. */
    clock?: Clock
    subscribeLimits?: Partial<SubscribeLimits>
    /** How long `close` lets HTTP requests under way finish before it cuts their connections. */
    closeGraceMs?: number
  },
): Promise<LiveChannel> {
  const io = new Server(httpServer, { serveClient: false, cors: { origin: false } })
  const redis = options.redisUrl ? await connectRedisAdapter(io, options.redisUrl, options.log) : undefined
  const limiter = createSubscribeLimiter({
    clock: options.clock ?? systemClock,
    limits: options.subscribeLimits,
  })
  const handshakeError = (message: string, code: string) =>
    Object.assign(new Error(message), { data: { code } })

  io.use((socket, next) => {
    const token = tokenOf(socket)
    options.tokens.verify(token).then(
      (principal) => {
        const admission = limiter.admitSocket(token!)
        if (!admission)
          return next(handshakeError('too many connections with this access token', 'rate_limited'))
        socket.data.principal = principal
        socket.data.admission = admission
        socket.once('disconnect', () => admission.release())
        next()
      },
      (error: unknown) => {
        // Only a token found wanting is final for the page; a store that could not answer is not.
        const refused = error instanceof AppError && error.code === 'unauthenticated'
        if (!refused) options.log.warn('could not check a handshake token', { error: String(error) })
        next(
          refused
            ? handshakeError(error.message, 'unauthenticated')
            : handshakeError('cannot check the access token now: try again', 'unavailable'),
        )
      },
    )
  })

  io.on('connection', (socket: Socket) => {
    const principal = socket.data.principal as Principal
    const admission = socket.data.admission as SocketAdmission
    void socket.join(homeRooms(principal))
    const watchedBusCount = () =>
      [...socket.rooms].filter((room) => room.startsWith(liveRooms.busWatchers(''))).length

    socket.on('subscribe', async (request: unknown, ack?: Ack) => {
      const reply: Ack = typeof ack === 'function' ? ack : () => {}
      const refuse = (error: AckError) => reply({ ok: false, error })
      // Packets already read may still arrive after a disconnect for flooding: they get nothing.
      if (!socket.connected) return
      // Judged before any work, so a flood costs no scope query and no snapshot.
      const verdict = admission.judgeSubscribe()
      if (verdict === 'disconnect') {
        options.log.warn('disconnected a socket flooding subscribes', {
          role: principal.role,
          sub: principal.sub,
        })
        socket.emit('unsubscribed', { reason: 'too many subscribes' })
        socket.disconnect(true)
        return
      }
      if (verdict === 'rate_limited')
        return refuse({ code: 'rate_limited', message: 'too many subscribes: slow down' })
      try {
        const parsed = subscribeRequest.safeParse(request)
        if (!parsed.success) throw new AppError('bad_request', 'busId: expected a bus id', { field: 'busId' })
        const { busId } = parsed.data
        const { busesPerSocket } = limiter.limits
        if (!socket.rooms.has(liveRooms.busWatchers(busId)) && watchedBusCount() >= busesPerSocket)
          return refuse({
            code: 'too_many_buses',
            message: `a socket watches at most ${busesPerSocket} buses`,
          })
        if (!(await options.access.canSeeBus(principal, busId))) {
          throw new AppError('forbidden', `bus ${busId} is outside this token's scope`)
        }
        await socket.join(busRoomsFor(principal, busId))
        reply({ ok: true })
        options.snapshotOf?.(busId).then(
          (state) => socket.emit('state', state),
          (error: unknown) => options.log.warn('no state to send', { busId, error: String(error) }),
        )
      } catch (error) {
        if (!(error instanceof AppError)) options.log.error('subscribe failed', { error: String(error) })
        const known = error instanceof AppError ? error : new AppError('unavailable', 'try again later')
        refuse({ code: known.code, message: known.message, field: known.field })
      }
    })
    socket.on('unsubscribe', async (request: unknown) => {
      const parsed = subscribeRequest.safeParse(request)
      if (parsed.success) await leaveBus(socket, parsed.data.busId)
    })
  })

  const rescope = async () => {
    limiter.forgetIdleTokens()
    let changed = 0
    for (const socket of io.of('/').sockets.values()) {
      const principal = await options.tokens.verify(tokenOf(socket)).catch(() => undefined)
      if (!principal) {
        socket.emit('unsubscribed', { reason: 'the access token has expired' })
        socket.disconnect(true)
        changed++
        continue
      }
      const busIds = new Set([...socket.rooms].map(busIdOfRoom).filter((id) => id !== undefined))
      for (const busId of busIds) {
        if (await options.access.canSeeBus(principal, busId)) continue
        await leaveBus(socket, busId)
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
  const socketsOfSessions = (ids: ReadonlySet<string>) =>
    [...io.of('/').sockets.values()].filter((socket) => ids.has(sessionIdOf(tokenOf(socket)) ?? ''))
  return {
    rescope,
    openSessionIds: () =>
      [...io.of('/').sockets.values()].flatMap((socket) => sessionIdOf(tokenOf(socket)) ?? []),
    endSessions(ids) {
      for (const socket of socketsOfSessions(new Set(ids))) {
        socket.emit('unsubscribed', { reason: 'this session has been ended', code: 'session_ended' })
        socket.disconnect(true)
      }
    },
    ...createRoomPublishing((rooms, event, payload) => io.to(rooms).emit(event, payload)),
    isUp: () => up && (redis ? redis.isReady() : true),
    async close() {
      up = false
      clearInterval(rescopeTimer)
      // The transports are closed, not the sockets: a client that sees its transport close reconnects
      // by itself (to this server once it is back), while the namespace's disconnect packet
      // ("io server disconnect") would tell it never to. Requests still under way get a grace period.
      const closing = new Promise<void>((resolve) => io.close(() => resolve()))
      const grace = setTimeout(() => httpServer.closeAllConnections(), options.closeGraceMs ?? 5_000)
      await closing.finally(() => clearTimeout(grace))
      await redis?.close()
    },
  }
}

async function leaveBus(socket: Socket, busId: string) {
  await Promise.all([socket.leave(liveRooms.busWatchers(busId)), socket.leave(liveRooms.busStaff(busId))])
}

import { jt808MessageIds } from '../../server/core/jt808/message-ids.js'

/** Who is at the other end of one TCP connection. */
export type ConnectionPhase =
  | { kind: 'unauthenticated' }
  | {
      kind: 'authenticated'
      busId: string
      /** As the terminal's frames carry it: replies go back with the same digits. */
      terminalNumber: string
      /** The device session whose token was the authentication code: ending it closes the connection. */
      sessionId: string
    }

export interface ConnectionState {
  phase: ConnectionPhase
  /** Refused registrations and authentications on this connection. */
  failedAttempts: number
  /** Frames taken in (decoded or not), and of those refused before authentication. */
  frames: number
  refusedFrames: number
  /** Commands sent on this connection and not answered yet, oldest first. */
  awaitingAnswers: AwaitingAnswer[]
}

/** A command the terminal has been sent: its answer names the serial and message id. */
export interface AwaitingAnswer {
  commandId: string
  serial: number
  messageId: number
  /** The first send: the answer timeout counts from it, whatever copies followed. */
  sentAtMs: number
  /** The frame as it went out: a copy repeats it byte for byte, so an answer to any copy matches. */
  frame: Buffer
  /** Copies sent so far, the first included. */
  sends: number
  /** When the next copy is due; null when no more go out before the answer timeout. */
  nextSendAtMs: number | null
}

/** When an unanswered command goes out again (the gateway's command limits). */
export interface ResendSchedule {
  /** T1: the wait after the first send. */
  resendAfterMs: number
  /** Copies after the first, at most. */
  resends: number
  answerTimeoutMs: number
}

export interface ConnectionLimits {
  /** After this many refused registrations or authentications the connection is closed. */
  maxFailedAttempts: number
}

export const defaultConnectionLimits: ConnectionLimits = { maxFailedAttempts: 3 }

/** What one decoded frame asks of the gateway, given who the connection is. */
export type FrameRoute =
  | { kind: 'register' }
  | { kind: 'authenticate' }
  | { kind: 'heartbeat' }
  | { kind: 'unregister' }
  | { kind: 'location' }
  | { kind: 'location_batch' }
  /** 0x0001, the terminal's answer to a command: recorded, nothing sent back. */
  | { kind: 'command_reply' }
  /** 0x0201, the answer to a position query: recorded, its location stored, nothing sent back. */
  | { kind: 'location_query_reply' }
  /** Another answer of the terminal to the platform: nothing to send back. */
  | { kind: 'terminal_reply' }
  /** A message id the gateway does not handle: answered 0x8001 result 3 and dead-lettered. */
  | { kind: 'unsupported' }
  /** Refused with 0x8001 result 1: not authenticated, or a frame in another terminal's name. */
  | { kind: 'refuse'; reason: 'unauthenticated' | 'terminal_mismatch' }

const ids = jt808MessageIds

export function createConnectionState(): ConnectionState {
  return {
    phase: { kind: 'unauthenticated' },
    failedAttempts: 0,
    frames: 0,
    refusedFrames: 0,
    awaitingAnswers: [],
  }
}

/**
 * Routes a frame and counts it. Before authentication only registration and authentication are
 * taken; afterwards the frames must carry the number the connection authenticated with, so a
 * terminal cannot report for another bus over its own connection.
 */
export function routeFrame(
  state: ConnectionState,
  frame: { messageId: number; terminalNumber: string },
): { state: ConnectionState; route: FrameRoute } {
  const counted = { ...state, frames: state.frames + 1 }
  const refuse = (reason: 'unauthenticated' | 'terminal_mismatch') => ({
    state: { ...counted, refusedFrames: counted.refusedFrames + 1 },
    route: { kind: 'refuse', reason } as const,
  })
  if (frame.messageId === ids.register) return { state: counted, route: { kind: 'register' } }
  if (frame.messageId === ids.authenticate) return { state: counted, route: { kind: 'authenticate' } }
  const { phase } = state
  if (phase.kind !== 'authenticated') return refuse('unauthenticated')
  if (!sameTerminalNumber(phase.terminalNumber, frame.terminalNumber)) return refuse('terminal_mismatch')
  return { state: counted, route: routeAuthenticated(frame.messageId) }
}

function routeAuthenticated(messageId: number): FrameRoute {
  switch (messageId) {
    case ids.heartbeat:
      return { kind: 'heartbeat' }
    case ids.unregister:
      return { kind: 'unregister' }
    case ids.location:
      return { kind: 'location' }
    case ids.locationBatch:
      return { kind: 'location_batch' }
    case ids.terminalGeneralReply:
      return { kind: 'command_reply' }
    case ids.locationQueryReply:
      return { kind: 'location_query_reply' }
    case ids.parametersReply:
      return { kind: 'terminal_reply' }
    default:
      return { kind: 'unsupported' }
  }
}

/** The terminal proved itself with its bus's credential. */
export function authenticate(
  state: ConnectionState,
  identity: { busId: string; terminalNumber: string; sessionId: string },
): ConnectionState {
  return { ...state, phase: { kind: 'authenticated', ...identity }, failedAttempts: 0 }
}

/**
 * A registration or authentication was refused; `close` once there were too many, so nobody tries
 * codes or terminal numbers one after another on one connection.
 */
export function failAttempt(
  state: ConnectionState,
  limits: ConnectionLimits = defaultConnectionLimits,
): { state: ConnectionState; close: boolean } {
  const failedAttempts = state.failedAttempts + 1
  return {
    state: { ...state, failedAttempts },
    close: failedAttempts >= limits.maxFailedAttempts,
  }
}

/** A command went out on this connection: its answer is awaited, and a copy is due after T1. */
export function awaitAnswer(
  state: ConnectionState,
  sent: Pick<AwaitingAnswer, 'commandId' | 'serial' | 'messageId' | 'sentAtMs' | 'frame'>,
  schedule: ResendSchedule,
): ConnectionState {
  const awaiting = { ...sent, sends: 1, nextSendAtMs: nextSendAt(sent.sentAtMs, 1, schedule) }
  return { ...state, awaitingAnswers: [...state.awaitingAnswers, awaiting] }
}

/**
 * The awaited commands due to go out again at `nowMs`, each counted as sent once more. None is due once
 * its answer timeout has passed (the clock may jump past it between two checks): it is timed out.
 */
export function takeDueResends(
  state: ConnectionState,
  nowMs: number,
  schedule: ResendSchedule,
): { state: ConnectionState; due: AwaitingAnswer[] } {
  const isDue = (a: AwaitingAnswer) =>
    a.nextSendAtMs !== null && nowMs >= a.nextSendAtMs && nowMs - a.sentAtMs < schedule.answerTimeoutMs
  const due: AwaitingAnswer[] = []
  const awaitingAnswers = state.awaitingAnswers.map((a) => {
    if (!isDue(a)) return a
    const sends = a.sends + 1
    const resent = { ...a, sends, nextSendAtMs: nextSendAt(a.sentAtMs, sends, schedule) }
    due.push(resent)
    return resent
  })
  if (due.length === 0) return { state, due }
  return { state: { ...state, awaitingAnswers }, due }
}

/**
 * When the copy after `sends` sends is due, counted from the first: JT/T 808 waits T1 after the
 * first send and T(N+1) = T(N) × (N+1) after each next one, so 8 s, then 16 s more. Null past the
 * number of copies, or when the copy would go out no sooner than the answer timeout.
 */
function nextSendAt(firstSentAtMs: number, sends: number, schedule: ResendSchedule): number | null {
  if (sends > schedule.resends || schedule.resendAfterMs <= 0) return null
  let waitMs = schedule.resendAfterMs
  let afterMs = 0
  for (let n = 1; n <= sends; n++) {
    afterMs += waitMs
    waitMs *= n + 1
  }
  return afterMs < schedule.answerTimeoutMs ? firstSentAtMs + afterMs : null
}

/**
 * The command a terminal's answer is for, by the serial it names and the message id (0x0001 names
 * both; a 0x0201 answers a 0x8201). An answer to nothing awaited (sent before a reconnection, or
 * after the timeout) finds none.
 */
export function takeAnswered(
  state: ConnectionState,
  answer: { replySerial: number; replyId: number },
): { state: ConnectionState; commandId: string | null } {
  const index = state.awaitingAnswers.findIndex(
    (a) => a.serial === answer.replySerial && a.messageId === answer.replyId,
  )
  if (index < 0) return { state, commandId: null }
  const awaitingAnswers = state.awaitingAnswers.filter((_, i) => i !== index)
  return { state: { ...state, awaitingAnswers }, commandId: state.awaitingAnswers[index]!.commandId }
}

/** Forgets the commands unanswered for `answerTimeoutMs`: the store records them as timed out. */
export function dropUnanswered(
  state: ConnectionState,
  nowMs: number,
  answerTimeoutMs: number,
): { state: ConnectionState; timedOut: string[] } {
  const late = (a: AwaitingAnswer) => nowMs - a.sentAtMs >= answerTimeoutMs
  const timedOut = state.awaitingAnswers.filter(late).map((a) => a.commandId)
  if (timedOut.length === 0) return { state, timedOut }
  return { state: { ...state, awaitingAnswers: state.awaitingAnswers.filter((a) => !late(a)) }, timedOut }
}

/**
 * Terminal numbers compared as numbers: a 2013 header pads a phone number to 12 digits, a 2019
 * header to 20, and the registers may hold it with or without the leading zeros.
 */
export function sameTerminalNumber(a: string, b: string): boolean {
  return normaliseTerminalNumber(a) === normaliseTerminalNumber(b)
}

export function normaliseTerminalNumber(terminalNumber: string): string {
  const trimmed = terminalNumber.trim().replace(/^0+/, '')
  return trimmed === '' ? '0' : trimmed
}

import type { Logger } from '../log/logger.js'

export type LetterChannel = 'sms' | 'wechat'

export interface Letter {
  toPhone: string
  channel: LetterChannel
  /** The whole message: the guardian's code and link are in it. */
  text: string
}

export type LetterSent =
  { sent: true; channel: LetterChannel } | { sent: false; channel: LetterChannel; reason: string }

/**
 * How an enrolment letter reaches a guardian's phone: an SMS gateway or a WeChat service account,
 * whichever the bureau contracts. Without one the letter is printed and handed out instead.
 */
export interface LetterSender {
  send(letter: Letter): Promise<LetterSent>
}

/** `13800138000` → `138****8000`: enough for staff to tell phones apart, not to call one. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  if (digits.length < 7) return '*'.repeat(Math.max(digits.length - 2, 0)) + digits.slice(-2)
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`
}

/**
 * The sender where no gateway is configured: it says in the log that a letter would have gone out
 * (never the text, which holds a working code, nor the whole number) and answers that it was not sent.
 */
export function createLoggingLetterSender(log: Logger): LetterSender {
  return {
    async send(letter) {
      log.info('an enrolment letter would be sent, but no gateway is configured', {
        toPhone: maskPhone(letter.toPhone),
        channel: letter.channel,
        chars: letter.text.length,
      })
      return { sent: false, channel: letter.channel, reason: 'no gateway configured' }
    },
  }
}

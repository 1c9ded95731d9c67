import { randomInt } from 'node:crypto'
import { hashSecret } from './sessions.js'

/**
 * Codes people type: no 0/O, 1/I/L, so a code read off paper or said on the phone is typed right.
 * 31 symbols to the power of 12 is about 2^59: guessing one is hopeless within the per-address
 * limit, and five wrong confirmations void an enrolment code anyway.
 */
export const codeAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
export const codeLength = 12
const groupLength = 4

/** A random code, grouped for reading. */
export function generateCode(): string {
  let text = ''
  for (let i = 0; i < codeLength; i += 1) text += codeAlphabet[randomInt(codeAlphabet.length)]
  return formatCode(text)
}

/** `k7qm 3xpa-9trd` as typed → `K7QM3XPA9TRD`, or null when it cannot be a code. */
export function normaliseCode(typed: string): string | null {
  const text = typed.toUpperCase().replace(/[\s-]/g, '')
  if (text.length !== codeLength) return null
  for (const symbol of text) if (!codeAlphabet.includes(symbol)) return null
  return text
}

export function formatCode(normalised: string): string {
  const groups: string[] = []
  for (let i = 0; i < normalised.length; i += groupLength) groups.push(normalised.slice(i, i + groupLength))
  return groups.join('-')
}

/** What the store keeps of a code: its hash, so a copy of the store redeems nothing. */
export const hashCode = (normalised: string) => hashSecret(normalised)

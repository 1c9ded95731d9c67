import { randomInt } from 'node:crypto'
import argon2 from 'argon2'
import { AppError } from '../errors/app-error.js'

/**
 * OWASP's argon2id setting for a server: 19 MiB, two passes, one lane. A sign-in costs tens of
 * milliseconds, and a burst of them cannot eat the memory of a small machine. Each hash names its own
 * parameters, so stronger ones can come later without touching the hashes already stored.
 */
const hashOptions = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export const passwordMinLength = 10
/** Longer than anyone types; a bound on what one sign-in makes the server hash. */
export const passwordMaxLength = 256

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, hashOptions)
}

/** False for a wrong password and for a hash that is not one (never throws for either). */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password)
  } catch {
    return false
  }
}

let dummyHash: Promise<string> | undefined
/**
 * A hash of nothing anyone knows, to verify against when the username is unknown: the answer then
 * takes as long as for a real account, so its timing does not tell which usernames exist.
 */
export function hashOfNobody(): Promise<string> {
  return (dummyHash ??= hashPassword(generatePassword(24)))
}

/**
 * The least a password must be: long enough, and not the username. Refused as a bad request naming
 * `field`, so a page can say what to change beside the field.
 */
export function assertPasswordPolicy(password: string, username: string, field: string): void {
  if (password.length < passwordMinLength) {
    throw new AppError('bad_request', `${field}: a password has at least ${passwordMinLength} characters`, {
      field,
      reason: 'password_too_short',
    })
  }
  if (password.length > passwordMaxLength) {
    throw new AppError('bad_request', `${field}: a password has at most ${passwordMaxLength} characters`, {
      field,
      reason: 'password_too_long',
    })
  }
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) {
    throw new AppError('bad_request', `${field}: the password must not be the username`, {
      field,
      reason: 'password_is_username',
    })
  }
}

/** Letters and digits that cannot be taken for one another when read aloud or copied from paper. */
const readableAlphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/**
 * A one-time password, given to a person once to sign in and choose their own. 14 characters of 57
 * carry about 81 bits, far beyond what the lockout lets anyone try.
 */
export function generatePassword(length = 14): string {
  let password = ''
  for (let i = 0; i < length; i++) password += readableAlphabet[randomInt(readableAlphabet.length)]
  return password
}

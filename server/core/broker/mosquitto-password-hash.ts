import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'

/** What `mosquitto_passwd` of Mosquitto 2 uses by default. */
export const mosquittoHashIterations = 101
const saltBytes = 12
const hashBytes = 64

/**
 * A password as Mosquitto 2's password file keeps it: `$7$<iterations>$<salt>$<hash>`, the hash
 * being PBKDF2-HMAC-SHA512 of the password over the salt's bytes, both in standard base64. No npm
 * package writes this file, and the platform must write it for every terminal without
 * `mosquitto_passwd` on the machine that holds the store.
 */
export function hashMosquittoPassword(
  password: string,
  options: { salt?: Buffer; iterations?: number } = {},
): string {
  const salt = options.salt ?? randomBytes(saltBytes)
  const iterations = options.iterations ?? mosquittoHashIterations
  const hash = pbkdf2Sync(password, salt, iterations, hashBytes, 'sha512')
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`
}

/** Whether `password` matches a `$7$` entry, as the broker checks it; false for any other form. */
export function matchesMosquittoHash(password: string, stored: string): boolean {
  const match = /^\$7\$(\d{1,7})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/.exec(stored)
  if (!match) return false
  const expected = Buffer.from(match[3]!, 'base64')
  const iterations = Number(match[1])
  if (iterations < 1 || expected.length === 0) return false
  const given = pbkdf2Sync(password, Buffer.from(match[2]!, 'base64'), iterations, expected.length, 'sha512')
  return timingSafeEqual(given, expected)
}

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, it } from 'vitest'
import { hashMosquittoPassword, matchesMosquittoHash } from './mosquitto-password-hash.js'

// Written by Mosquitto 2.0.11's `mosquitto_passwd -b pw u1 secret1`.
const fromMosquittoPasswd =
  '$7$101$2+axSZnwsHcjQtYx$cmbnaFlbmDieNnnHbzcjCL2YOHBHvkQWxWLX1SM+vt2orSjLRvuonfAsOn1XYp+39oQKs302hl5j3uDRg59sew=='

it('hashes as mosquitto_passwd does for the same salt', () => {
  const salt = Buffer.from('2+axSZnwsHcjQtYx', 'base64')
  expect(hashMosquittoPassword('secret1', { salt })).toBe(fromMosquittoPasswd)
  expect(matchesMosquittoHash('secret1', fromMosquittoPasswd)).toBe(true)
  expect(matchesMosquittoHash('secret2', fromMosquittoPasswd)).toBe(false)
})

it('takes a fresh 12-byte salt each time, with 101 iterations and a 64-byte hash', () => {
  const token = 's1.abc.def-_xyz'
  const [first, second] = [hashMosquittoPassword(token), hashMosquittoPassword(token)]
  expect(first).not.toBe(second)
  for (const hash of [first, second]) {
    const [, kind, iterations, salt, digest] = hash.split('$')
    expect([kind, iterations]).toEqual(['7', '101'])
    expect(Buffer.from(salt!, 'base64')).toHaveLength(12)
    expect(Buffer.from(digest!, 'base64')).toHaveLength(64)
    expect(matchesMosquittoHash(token, hash)).toBe(true)
  }
})

it('matches nothing against an entry of another form', () => {
  expect(matchesMosquittoHash('secret1', '$6$abc$def')).toBe(false)
  expect(matchesMosquittoHash('secret1', 'secret1')).toBe(false)
  expect(matchesMosquittoHash('secret1', '$7$0$AAAA$AAAA')).toBe(false)
})

it('reads what mosquitto_passwd writes, where it is installed', (context) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mosquitto-passwd-'))
  try {
    const file = path.join(dir, 'passwd')
    try {
      execFileSync('mosquitto_passwd', ['-c', '-b', file, 'B1', 's1.id.secret'], { stdio: 'pipe' })
    } catch (error) {
      // CI installs Mosquitto, whose package brings mosquitto_passwd: there a missing one fails.
      const ci = process.env.CI
      if (ci && ci !== 'false' && ci !== '0') throw error
      context.skip('mosquitto_passwd is not installed')
    }
    const stored = readFileSync(file, 'utf8').trim().split(':')[1]!
    expect(stored).toMatch(/^\$7\$101\$/)
    expect(matchesMosquittoHash('s1.id.secret', stored)).toBe(true)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

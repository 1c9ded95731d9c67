import { expect, it } from 'vitest'
import type { Queryable } from '../../server/core/store/database.js'
import { isStoreOutage } from './is-store-outage.js'

const answering: Queryable = { query: async () => [], exec: async () => {}, copyFrom: async () => 0 }
const refusing: Queryable = { ...answering, query: () => Promise.reject(new Error('ECONNREFUSED')) }
const silent: Queryable = { ...answering, query: () => new Promise(() => {}) }
const sqlError = (code: string) => Object.assign(new Error('refused'), { code })

it('takes a store that answers SELECT 1 as refusing the data', async () => {
  expect(await isStoreOutage(answering, sqlError('22021'), 100)).toBe(false)
  expect(await isStoreOutage(answering, new RangeError('Invalid time value'), 100)).toBe(false)
})

it('takes a store that does not answer, or answers late, as down', async () => {
  expect(await isStoreOutage(refusing, sqlError('22021'), 100)).toBe(true)
  expect(await isStoreOutage(silent, sqlError('22021'), 20)).toBe(true)
})

it('takes connection, deadlock and disk-full errors as passing, even while SELECT 1 works', async () => {
  for (const code of ['08006', '40P01', '53100', '57P01']) {
    expect(await isStoreOutage(answering, sqlError(code), 100)).toBe(true)
  }
})

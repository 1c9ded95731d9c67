import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeCopyText } from '../server/core/store/copy-text.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'

describe.each(storeBackends())('COPY on $name', (backend) => {
  let store: TestDatabase
  beforeAll(async () => {
    store = await backend.open()
    await store.db.exec(
      `CREATE TABLE copied (t text, n double precision, b boolean, at timestamptz, raw bytea)`,
    )
  })
  afterAll(() => store?.dispose())

  it('loads every kind of value exactly, inside and outside a transaction', async () => {
    const awkward = 'tab\there, new\nline, back\\slash, 慈溪, \r'
    const rows = [
      [awkward, 30.172, true, new Date('2026-03-02T07:15:02.123Z'), Buffer.from([0, 1, 0x5c, 0xff])],
      [null, -0.5, false, null, Buffer.from('{"bad json', 'utf8')],
    ] as const
    expect(await store.db.copyFrom('COPY copied (t, n, b, at, raw) FROM STDIN', encodeCopyText(rows))).toBe(2)
    const inTx = await store.db.transaction((tx) =>
      tx.copyFrom('COPY copied (t, n, b, at, raw) FROM STDIN', encodeCopyText([rows[0]])),
    )
    expect(inTx).toBe(1)

    const back = await store.db.query<{
      t: string | null
      n: number
      b: boolean
      at: Date | null
      raw: Buffer
    }>(`SELECT t, n, b, at, raw FROM copied ORDER BY n DESC, t`)
    expect(
      back.map((r) => [r.t, r.n, r.b, r.at?.toISOString() ?? null, Buffer.from(r.raw).toString('hex')]),
    ).toEqual([
      [awkward, 30.172, true, '2026-03-02T07:15:02.123Z', '00015cff'],
      [awkward, 30.172, true, '2026-03-02T07:15:02.123Z', '00015cff'],
      [null, -0.5, false, null, Buffer.from('{"bad json').toString('hex')],
    ])
  })

  it('refuses a number COPY cannot carry', () => {
    expect(() => encodeCopyText([[Number.NaN]])).toThrow(/NaN/)
  })
})

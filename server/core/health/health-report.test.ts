import { expect, it } from 'vitest'
import { createHealthReport } from './health-report.js'

it('is ok only when every part is ok', async () => {
  const report = createHealthReport({
    database: async () => ({ ok: true, detail: 'pglite' }),
    broker: async () => ({ ok: true }),
  })
  expect(await report()).toMatchObject({
    status: 'ok',
    parts: { database: { ok: true, detail: 'pglite' }, broker: { ok: true } },
  })
})

it('reports a failing part and a part that does not answer in time as down', async () => {
  const report = createHealthReport(
    {
      database: async () => {
        throw new Error('connection refused')
      },
      broker: () => new Promise(() => {}),
      router: async () => ({ ok: true }),
    },
    { timeoutMs: 50 },
  )
  const result = await report()
  expect(result.status).toBe('down')
  expect(result.parts.database).toMatchObject({ ok: false, detail: 'connection refused' })
  expect(result.parts.broker).toMatchObject({ ok: false, detail: 'no answer within 50 ms' })
  expect(result.parts.router?.ok).toBe(true)
})

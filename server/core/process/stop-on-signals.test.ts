import { EventEmitter } from 'node:events'
import { expect, it } from 'vitest'
import { createLogger } from '../log/logger.js'
import { stopOnSignals, type SignalledProcess } from './stop-on-signals.js'

function fakeProcess() {
  const emitter = new EventEmitter()
  const exits: number[] = []
  const target = {
    on: (signal: string, listener: () => void) => emitter.on(signal, listener),
    exit: (code?: number) => void exits.push(code ?? 0),
  } as unknown as SignalledProcess
  return { target, exits, send: (signal: NodeJS.Signals) => emitter.emit(signal) }
}

const log = createLogger({ level: 'silent' })

it('stops once on the first signal and exits 0 when stopping is done', async () => {
  const { target, exits, send } = fakeProcess()
  let stops = 0
  stopOnSignals(async () => void stops++, log, target)
  send('SIGTERM')
  await expect.poll(() => exits).toEqual([0])
  expect(stops).toBe(1)
})

it('exits at once on a second signal while stopping hangs', async () => {
  const { target, exits, send } = fakeProcess()
  let stops = 0
  stopOnSignals(() => (stops++, new Promise<void>(() => {})), log, target)
  send('SIGTERM')
  send('SIGINT')
  expect(exits).toEqual([130])
  expect(stops).toBe(1)
})

import { describe, expect, it } from 'vitest'
import { parseSimulatorCli } from './simulator-cli-options.js'

describe('the simulator’s command line', () => {
  it('defaults to the Cixi fleet in real time at 1 Hz', () => {
    expect(parseSimulatorCli([])).toEqual({ rate: 1, speed: 1, clean: false })
  })

  it('reads load mode, a replay as fast as possible and the other options', () => {
    expect(
      parseSimulatorCli([
        '--buses=5000',
        '--rate=0.2',
        '--speed=max',
        '--date=2026-03-02',
        '--from=06:30:00',
        '--until=09:00:00',
        '--seed=7',
        '--clean',
        '--connection=shared',
        '--out=-',
      ]),
    ).toEqual({
      buses: 5000,
      rate: 0.2,
      speed: 'max',
      date: '2026-03-02',
      from: '06:30:00',
      until: '09:00:00',
      seed: 7,
      clean: true,
      connection: 'shared',
      out: '-',
    })
    expect(parseSimulatorCli(['--speed', '60']).speed).toBe(60)
  })

  it('names the option that is wrong', () => {
    expect(() => parseSimulatorCli(['--buses', '0'])).toThrow(/^--buses: expected a whole number of buses/)
    expect(() => parseSimulatorCli(['--date', '2026-02-30'])).toThrow(/^--date/)
    expect(() => parseSimulatorCli(['--from', '7:00'])).toThrow(/^--from: expected a time HH:MM:SS/)
    expect(() => parseSimulatorCli(['--speed', 'fast'])).toThrow(/^--speed: expected a factor above 0 or max/)
    expect(() => parseSimulatorCli(['--connection', 'many'])).toThrow(/^--connection/)
    expect(() => parseSimulatorCli(['--bogus'])).toThrow(/bogus/)
  })
})

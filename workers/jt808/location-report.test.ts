import { describe, expect, it } from 'vitest'
import type { Jt808Location } from '../../server/core/jt808/decode-location.js'
import { gpsPayload } from '../../server/core/broker/telemetry-payloads.js'
import { toLocationReport } from './location-report.js'

const location: Jt808Location = {
  at: new Date('2026-03-02T07:10:05+08:00'),
  lat: 30.184,
  lon: 121.394,
  altitudeM: 12,
  speedKmh: 25.5,
  headingDeg: 90,
  alarmBits: 0,
  statusBits: 0b11,
  alarms: [],
  acc: true,
  fixed: true,
  doorsOpen: [],
  extras: { unknown: [] },
}

const payloadOf = (report: { payload: Buffer }) => JSON.parse(report.payload.toString()) as unknown

describe('a JT/T 808 location as a gps report', () => {
  it('follows the telemetry contract, on the bus’s gps topic', () => {
    const report = toLocationReport('B1', location)
    expect(report.topic).toBe('bus/B1/gps')
    expect(report.rejected).toBeUndefined()
    expect(payloadOf(report)).toEqual({
      ts: '2026-03-01T23:10:05.000Z',
      lat: 30.184,
      lon: 121.394,
      speedKmh: 25.5,
      headingDeg: 90,
      altM: 12,
      ignition: true,
      terminal: { alarms: [], doorsOpen: [] },
    })
  })

  it('carries the terminal’s alarms, doors, odometer, satellites, signal and video recorder health', () => {
    const report = toLocationReport('B1', {
      ...location,
      alarms: ['sos', 'door_opened_illegally'],
      doorsOpen: [1, 3],
      extras: {
        mileageKm: 12345.6,
        satellites: 9,
        signalStrength: 24,
        videoAlarms: {
          alarmBits: 0b10101,
          signalLossChannels: 0b1001,
          blockedChannels: 0b10,
          storageFaults: (1 << 1) | (1 << 12),
          abnormalDriving: { bits: 0b101, fatigueLevel: 180 },
        },
        unknown: [],
      },
    })
    const terminal = {
      alarms: [
        'sos',
        'door_opened_illegally',
        'video_signal_lost',
        'video_storage_fault',
        'passenger_overload',
      ],
      doorsOpen: [1, 3],
      mileageKm: 12345.6,
      satellites: 9,
      signalStrength: 24,
      video: {
        signalLostChannels: [1, 4],
        blockedChannels: [2],
        faultyMainStorage: [2],
        faultyBackupStorage: [1],
        driverBehaviours: ['fatigue', 'smoking'],
        fatigueLevel: 100,
      },
    }
    expect(payloadOf(report)).toMatchObject({ terminal })
    // What the gateway writes is what the contract takes, whole.
    const parsed = gpsPayload.safeParse(payloadOf(report))
    expect(parsed.success && parsed.data.terminal).toEqual(terminal)
  })

  it('leaves out an odometer the contract would refuse, keeping the position', () => {
    const payload = payloadOf(
      toLocationReport('B1', { ...location, extras: { mileageKm: 400_000_000, unknown: [] } }),
    )
    expect(payload).toMatchObject({ lat: 30.184, terminal: { alarms: [] } })
    expect((payload as { terminal: object }).terminal).not.toHaveProperty('mileageKm')
  })

  it('leaves out an altitude the contract would refuse, keeping the position', () => {
    const payload = payloadOf(toLocationReport('B1', { ...location, altitudeM: 20_000 }))
    expect(payload).not.toHaveProperty('altM')
    expect(payload).toMatchObject({ lat: 30.184, lon: 121.394 })
  })

  it('takes heading 360 as north', () => {
    expect(payloadOf(toLocationReport('B1', { ...location, headingDeg: 360 }))).toMatchObject({
      headingDeg: 0,
    })
  })

  it('hands a location without a fix over as a dead letter, and 0,0 to the ingest to name', () => {
    expect(toLocationReport('B1', { ...location, fixed: false }).rejected).toMatchObject({ reason: 'no_fix' })
    expect(toLocationReport('B1', { ...location, fixed: false, lat: 0, lon: 0 }).rejected).toBeUndefined()
  })
})

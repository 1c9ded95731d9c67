import { z } from 'zod'
import { driverBehaviours, terminalAlarms } from './terminal-status.js'

/** `ts` is ISO-8601 with an offset, or epoch milliseconds (DESIGN §4). */
const reportTime = z.union([
  z.iso.datetime({ offset: true, message: 'expected an ISO-8601 time with offset or epoch milliseconds' }),
  z
    .number({ message: 'expected an ISO-8601 time with offset or epoch milliseconds' })
    .int('expected whole epoch milliseconds'),
])

/** The ranges the contract takes, for producers that clamp or leave out a value rather than lose a report. */
export const telemetryBounds = {
  altitudeM: { min: -500, max: 9000 },
  maxMileageKm: 100_000_000,
  maxFatigueLevel: 100,
}

const finite = (message: string) => z.number({ message }).refine(Number.isFinite, { message })

const numbersFrom1 = (max: number, what: string) =>
  z
    .array(
      z
        .number({ message: `expected ${what} numbered from 1` })
        .int(`expected ${what} numbered from 1`)
        .min(1, `expected ${what} numbered from 1`)
        .max(max, `expected at most ${max} ${what}`),
    )
    .max(max, `expected at most ${max} ${what}`)

const wholeNumber = (max: number) =>
  z
    .number({ message: 'expected a whole number' })
    .int('expected a whole number')
    .min(0, 'cannot be negative')
    .max(max, `expected at most ${max}`)

/** The terminal's own status (server/core/broker/terminal-status.ts); unknown keys are dropped. */
const terminalStatusPayload = z.object({
  alarms: z
    .array(z.enum(terminalAlarms, { message: `expected alarm names: ${terminalAlarms.join(', ')}` }))
    .max(terminalAlarms.length)
    .optional(),
  doorsOpen: numbersFrom1(16, 'doors').optional(),
  mileageKm: finite('expected a distance in km')
    .pipe(
      z
        .number()
        .min(0, 'cannot be negative')
        .max(telemetryBounds.maxMileageKm, 'expected at most 100,000,000 km'),
    )
    .optional(),
  satellites: wholeNumber(255).optional(),
  signalStrength: wholeNumber(255).optional(),
  video: z
    .object({
      signalLostChannels: numbersFrom1(32, 'cameras').optional(),
      blockedChannels: numbersFrom1(32, 'cameras').optional(),
      faultyMainStorage: numbersFrom1(12, 'main storage units').optional(),
      faultyBackupStorage: numbersFrom1(4, 'backup storage units').optional(),
      driverBehaviours: z
        .array(z.enum(driverBehaviours, { message: `expected ${driverBehaviours.join(', ')}` }))
        .max(driverBehaviours.length)
        .optional(),
      fatigueLevel: wholeNumber(telemetryBounds.maxFatigueLevel).optional(),
    })
    .optional(),
})

export const gpsPayload = z.object({
  busId: z.string().optional(),
  ts: reportTime,
  lat: finite('expected a latitude in degrees'),
  lon: finite('expected a longitude in degrees'),
  speedKmh: finite('expected a speed in km/h').pipe(z.number().min(0, 'a speed cannot be negative')),
  headingDeg: finite('expected a heading in degrees')
    .pipe(z.number().min(0, 'expected 0 to 360').max(360, 'expected 0 to 360'))
    .optional(),
  altM: finite('expected an altitude in metres')
    .pipe(
      z
        .number()
        .min(telemetryBounds.altitudeM.min, 'expected -500 to 9000 m')
        .max(telemetryBounds.altitudeM.max, 'expected -500 to 9000 m'),
    )
    .optional(),
  // The store keeps it as a real: beyond 3.4e38 it refuses the batch; a fix 100 km off is none.
  accuracyM: finite('expected an accuracy in metres')
    .pipe(z.number().min(0, 'accuracy cannot be negative').max(100_000, 'expected at most 100 km'))
    .optional(),
  ignition: z.boolean({ message: 'expected true or false' }).optional(),
  seq: z.number({ message: 'expected a whole number' }).int('expected a whole number').min(0).optional(),
  terminal: terminalStatusPayload.optional(),
})

export const limiterPayload = z.object({
  busId: z.string().optional(),
  ts: reportTime,
  limitKmh: finite('expected a limit in km/h')
    .pipe(z.number().positive('expected a positive limit').max(150, 'expected at most 150 km/h'))
    .optional(),
  state: z.enum(['active', 'disabled', 'fault'], { message: 'expected active, disabled or fault' }),
})

export type GpsPayload = z.infer<typeof gpsPayload>
export type LimiterPayload = z.infer<typeof limiterPayload>

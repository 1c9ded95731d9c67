import { parseArgs } from 'node:util'
import { z } from 'zod'
import { isClockTime } from '../../geo/clock-time.js'

export const simulatorUsage = `Usage: npm run simulate -- [options]

  --buses N           load mode: N buses (sim-0001 …) on random tours of the road network;
                      without it, the school buses of the registers in the store
                      (DATABASE_URL, or the embedded store in DATA_DIR when no
                      platform holds it) drive their timetable
  --rate HZ           fixes per second per moving bus (default 1)
  --loops N           load mode: distinct random tours the buses share (default min(N, 64))
  --date YYYY-MM-DD   the service date (default today in Asia/Shanghai)
  --from HH:MM:SS     simulated start time on that date (default: now; 00:00:00 with --speed max)
  --until HH:MM:SS    simulated end time (default: run until stopped; end of day with --speed max)
  --speed X|max       simulated seconds per real second (default 1), or max: as fast as possible
  --seed N            random seed (default SIMULATOR_SEED)
  --clean             no faults: no speeding, limiter always on, full coverage, no repeats or delays
  --connection per-bus|shared
                      one MQTT connection per bus (default for the school buses) or one for all
                      (default in load mode)
  --out FILE|-        write the reports as NDJSON to FILE or stdout instead of publishing

  SIMULATOR_PROTOCOL=jt808 sends the school buses' reports as JT/T 808 terminals to the gateway on
  HOST:JT808_PORT instead of MQTT: buses with a credential get a new one (installed, as a bureau
  does), the others register. Limiter reports have no JT/T 808 message and are not sent.
`

const positiveInt = (what: string) =>
  z.coerce
    .number({ message: `expected ${what}` })
    .int(`expected ${what}`)
    .positive(`expected ${what}`)

const cliSchema = z.object({
  buses: positiveInt('a whole number of buses').max(200_000, 'at most 200000 buses').optional(),
  rate: z.coerce
    .number({ message: 'expected a rate in Hz' })
    .positive('expected a rate above 0')
    .max(10, 'at most 10 Hz')
    .default(1),
  loops: positiveInt('a whole number of loops').optional(),
  date: z.iso.date({ message: 'expected a date YYYY-MM-DD' }).optional(),
  from: z.string().refine(isClockTime, 'expected a time HH:MM:SS').optional(),
  until: z.string().refine(isClockTime, 'expected a time HH:MM:SS').optional(),
  speed: z
    .union([z.literal('max'), z.coerce.number().positive()], { message: 'expected a factor above 0 or max' })
    .default(1),
  seed: z.coerce.number({ message: 'expected a whole number' }).int('expected a whole number').optional(),
  clean: z.boolean().default(false),
  connection: z.enum(['per-bus', 'shared']).optional(),
  out: z.string().min(1).optional(),
})

export type SimulatorCliOptions = z.infer<typeof cliSchema>

/** Reads the command line; throws an Error saying what is wrong, for the usage text to follow. */
export function parseSimulatorCli(args: string[]): SimulatorCliOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      buses: { type: 'string' },
      rate: { type: 'string' },
      loops: { type: 'string' },
      date: { type: 'string' },
      from: { type: 'string' },
      until: { type: 'string' },
      speed: { type: 'string' },
      seed: { type: 'string' },
      clean: { type: 'boolean' },
      connection: { type: 'string' },
      out: { type: 'string' },
    },
  })
  const parsed = cliSchema.safeParse(values)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new Error(`--${String(issue.path[0])}: ${issue.message}`)
  }
  return parsed.data
}

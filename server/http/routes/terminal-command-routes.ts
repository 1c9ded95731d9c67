import { Hono } from 'hono'
import { z } from 'zod'
import { assertAllowed, assertRole } from '../../core/auth/access-policy.js'
import { AppError } from '../../core/errors/app-error.js'
import {
  confirmableAlarms,
  createTerminalCommandQueries,
  decreeTerminalParameters,
  maxDriverTextChars,
  terminalParameterBounds,
  type TerminalCommandRequest,
} from '../../core/jt808/terminal-commands.js'
import { createFleetQueries } from '../../core/store/fleet-queries.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { describeOperations } from '../openapi/api-operation.js'
import { readJsonBody, readPathId, smallBodyMaxBytes } from '../read-request.js'
import { requestOrigin } from '../request-origin.js'

const bounded = ({ min, max }: { min: number; max: number }) => z.number().int().min(min).max(max).optional()

const commandBody = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('parameters'),
      reportIntervalS: bounded(terminalParameterBounds.reportIntervalS),
      topSpeedKmh: bounded(terminalParameterBounds.topSpeedKmh),
      overSpeedS: bounded(terminalParameterBounds.overSpeedS),
    })
    .strict(),
  z
    .object({
      kind: z.literal('text'),
      text: z.string().trim().min(1).max(maxDriverTextChars),
      ttsRead: z.boolean().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('position_query') }).strict(),
  z
    .object({
      kind: z.literal('alarm_confirm'),
      alarms: z.array(z.enum(confirmableAlarms)).min(1).default(['sos']),
    })
    .strict(),
])

export const terminalCommandOperations = describeOperations([
  {
    method: 'post',
    path: '/api/buses/:busId/commands',
    summary: "Sends a command to a bus's JT/T 808 terminal",
    description:
      "Its parameters (those left out as the school-bus regulation asks), a text on the driver's " +
      'display, a position query, or the confirmation of alarms the terminal keeps set until confirmed ' +
      '(the SOS button; sent by itself when the SOS event is acknowledged). Accepted and kept; the ' +
      'process holding the terminal sends it and records the answer, which the list shows.',
    callers: ['bureau'],
    body: commandBody,
    responses: { 202: '`{command}` as accepted' },
    errors: ['not_found'],
  },
  {
    method: 'get',
    path: '/api/buses/:busId/commands',
    summary: "The commands sent to a bus's terminal, with their answers",
    callers: ['bureau', 'school'],
    responses: { 200: '`{commands}`' },
    errors: ['not_found'],
  },
])

/** Parameters left out are set as the school-bus regulation asks. */
function toRequest(body: z.infer<typeof commandBody>): TerminalCommandRequest {
  switch (body.kind) {
    case 'parameters':
      return {
        kind: 'parameters',
        params: {
          reportIntervalS: body.reportIntervalS ?? decreeTerminalParameters.reportIntervalS,
          topSpeedKmh: body.topSpeedKmh ?? decreeTerminalParameters.topSpeedKmh,
          overSpeedS: body.overSpeedS ?? decreeTerminalParameters.overSpeedS,
        },
      }
    case 'text':
      return { kind: 'text', params: { text: body.text, ttsRead: body.ttsRead ?? false } }
    case 'position_query':
      return { kind: 'position_query', params: {} }
    case 'alarm_confirm':
      return { kind: 'alarm_confirm', params: { alarms: body.alarms } }
  }
}

/**
 * The bureau's commands to a bus's JT/T 808 terminal: its parameters, a text on the driver's
 * display, a position query. Accepted here (202) and kept in the store; the process holding the
 * terminal's connection sends them and records the answer, which the list shows. The bureau and
 * the school a bus serves see its commands; only the bureau sends them.
 */
export function terminalCommandRoutes({ db, access, clock, audit, trustProxy }: ApiDeps) {
  const commands = createTerminalCommandQueries(db, clock)
  const fleet = createFleetQueries(db)
  const requireBus = async (busId: string) => {
    if (!(await fleet.getBus(busId))) throw new AppError('not_found', `no bus ${busId}`)
  }
  return new Hono<AuthenticatedEnv>()
    .post('/buses/:busId/commands', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau'])
      const busId = readPathId(c, 'busId')
      const body = await readJsonBody(c, commandBody, smallBodyMaxBytes)
      await requireBus(busId)
      const request = toRequest(body)
      const command = await commands.create({ busId, request, createdBy: principal.sub })
      const origin = requestOrigin(c, { trustProxy })
      await audit.record({
        actor: principal.sub,
        actorRole: principal.role,
        action: 'terminal_command',
        target: busId,
        detail: { commandId: command.id, kind: request.kind, params: request.params },
        ip: origin.ip,
        userAgent: origin.userAgent,
      })
      return c.json({ command }, 202)
    })
    .get('/buses/:busId/commands', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const busId = readPathId(c, 'busId')
      await assertAllowed(access.canSeeBus(principal, busId), `bus ${busId}`)
      await requireBus(busId)
      // Given up here too, so the list is right while no gateway runs.
      await commands.expire()
      return c.json({ commands: await commands.listForBus(busId) })
    })
}

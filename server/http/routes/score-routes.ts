import { Hono } from 'hono'
import { z } from 'zod'
import { assertRole } from '../../core/auth/access-policy.js'
import { toShanghaiTime } from '../../core/clock/shanghai-time.js'
import { AppError } from '../../core/errors/app-error.js'
import { createDriverReinstatement } from '../../core/score/reinstate-driver.js'
import { createScoreBoard } from '../../core/score/score-board.js'
import {
  bandedKind,
  scoreMeasures,
  scoreSubjects,
  voidingOutcomes,
  type ScoreRule,
} from '../../core/score/score-rule.js'
import { scoreSteps } from '../../core/score/score-thresholds.js'
import {
  createScoreQueries,
  type ScoreSettings,
  type StoredScoreRule,
} from '../../core/store/score-queries.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { idSchema, serviceDateSchema } from '../input-schemas.js'
import { describeOperations } from '../openapi/api-operation.js'
import { parseInput } from '../parse-input.js'
import { readJsonBody, smallBodyMaxBytes } from '../read-request.js'
import { actingOf } from './alarm-case-routes.js'

const cycleDay = serviceDateSchema
  .optional()
  .describe("a day of the cycle to read (the subject's cycle holding it); today in Cixi when absent")

const scoresQuery = z.object({
  subject: z.enum(scoreSubjects).optional().describe('drivers or companies only; both when absent'),
  cycle: cycleDay,
})
const historyQuery = z.object({ cycle: cycleDay })
const driverParams = z.object({ key: idSchema.describe("the driver's staff code") })
const reinstateBody = z
  .object({
    note: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .describe('why the driver may drive again: the retraining done, the decision that reinstates them'),
  })
  .strict()
const subjectParams = z.object({
  subject: z.enum(scoreSubjects),
  key: idSchema.describe("a driver's staff code, or a company's name as the bus register gives its operator"),
})

const points = z.number().int().min(1).max(12)
const bandsSchema = z
  .object({
    measure: z.enum(scoreMeasures),
    steps: z
      .array(z.object({ from: z.number().min(0).max(1000), points }).strict())
      .min(1)
      .max(10),
  })
  .strict()
  .refine((bands) => bands.steps.every((step, i) => i === 0 || step.from > bands.steps[i - 1]!.from), {
    message: 'steps go up: each from is above the one before',
    path: ['steps'],
  })
const ruleSchema = z
  .object({
    kind: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,63}$/, {
        message: 'expected an event kind: lower-case letters, digits and _',
      })
      .refine((kind) => !kind.startsWith('score_'), { message: "the score's own tasks cost no points" }),
    points: points.optional(),
    bands: bandsSchema.optional(),
    subjects: z
      .array(z.enum(scoreSubjects))
      .min(1)
      .max(2)
      .refine((list) => new Set(list).size === list.length, { message: 'each subject once' })
      .default(['driver', 'company']),
    basis: z.string().trim().max(500).nullable().optional(),
  })
  .strict()
  .refine((rule) => (rule.points === undefined) !== (rule.bands === undefined), {
    message: 'a rule gives either points or bands',
    path: ['points'],
  })
  .refine((rule) => rule.bands === undefined || rule.kind === bandedKind, {
    message: `bands read a speed over its limit: ${bandedKind} only`,
    path: ['bands'],
  })
const thresholdsSchema = z
  .object({
    interview: z.number().int().min(1).max(100),
    warning: z.number().int().min(1).max(100),
    removal: z.number().int().min(1).max(100),
  })
  .strict()
  .refine((t) => t.interview < t.warning && t.warning < t.removal, {
    message: 'interview < warning < removal',
  })
const scoreRulesBody = z
  .object({
    rules: z.array(ruleSchema).max(100),
    cycleStartMonth: z
      .number()
      .int()
      .min(1)
      .max(12)
      .describe('1: cycles are calendar years; 9: school years'),
    thresholds: thresholdsSchema,
  })
  .strict()
  .refine((body) => new Set(body.rules.map((rule) => rule.kind)).size === body.rules.length, {
    message: 'each kind once',
    path: ['rules'],
  })

const rulesAnswer =
  '`{rules, cycleStartMonth, thresholds, updatedBy, updatedAt, voidingOutcomes}`: each rule its kind, `points` ' +
  'or `bands` `{measure, steps: [{from, points}]}`, `subjects` and `basis`'

export const scoreOperations = describeOperations([
  {
    method: 'get',
    path: '/api/scores',
    summary: 'The 12-point score: every driver and operating company with its total in the cycle',
    description:
      'Each subject starts a cycle (a calendar year unless the bureau sets another start month) at 0; alarm ' +
      'events of a kind in `GET /api/score-rules` add points to the driver of the bus and to its operator. ' +
      `Steps (${scoreSteps.join(', ')}) reached at the thresholds open a task in the alarm inbox; ` +
      '`reached` lists them with their case, and whether the total still stands at them after points were ' +
      'voided. Highest total first. The bureau sees every driver and company; a school the drivers of the ' +
      'buses serving it.',
    callers: ['bureau', 'school'],
    query: scoresQuery,
    responses: {
      200:
        '`{cycle, thresholds, scores}`: each score `{subject, key, name, busIds, cycle, total, voidedPoints, ' +
        'deductions, reached, removed}`',
    },
  },
  {
    method: 'get',
    path: '/api/scores/:subject/:key',
    summary: "One driver's or company's score: every point with its event and its alarm case",
    description:
      'The cycle holding `cycle` (today when absent): each deduction with the rule as applied (points, and ' +
      'for over-speed the margin and step), its event (without pupils’ names: the case names them, and ' +
      'reading it is audited) and its case (state, outcome); a point whose case closed as ' +
      `${voidingOutcomes.join(', ')} is kept and marked voided, by whom and when. With the steps reached, a ` +
      "driver's removals from school-bus duty (each with its cycle, and who lifted it, when and why), and " +
      "every cycle's total. `removed`: the removal of the cycle shown stands. A school reads the drivers " +
      'of its buses.',
    callers: ['bureau', 'school'],
    params: subjectParams,
    query: historyQuery,
    responses: {
      200:
        '`{subject, key, name, busIds, cycle, total, voidedPoints, deductions, thresholds, reached, removed, ' +
        'removals, points, cycles}`',
    },
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/api/scores/driver/:key/reinstate',
    summary: 'Reinstates a driver the score took off school-bus duty',
    description:
      'A removal stands until the bureau reinstates the driver after retraining, or its cycle ends (the ' +
      'next cycle starts at 0, and the removal lapses with it). Lifts the removal standing today, with ' +
      "`note`, so the compliance register no longer shows the driver red, and closes the removal's task " +
      'in the alarm inbox as `resolved` if it is still open. The points and the steps reached stay. Kept ' +
      'in the audit log. `no_removal` when none stands: never removed, reinstated already, or lapsed.',
    callers: ['bureau'],
    params: driverParams,
    body: reinstateBody,
    responses: {
      200:
        '`{removal, alarm}`: the removal `{staffId, cycleId, cycle, removedAt, liftedAt, liftedBy, note}`, and ' +
        'its case as it is now (null where it has none)',
    },
    errors: ['not_found'],
  },
  {
    method: 'get',
    path: '/api/score-rules',
    summary: 'The score table: the points each alarm kind costs, the cycle and the thresholds',
    callers: ['bureau'],
    responses: { 200: rulesAnswer },
  },
  {
    method: 'put',
    path: '/api/score-rules',
    summary: 'Replaces the score table, the cycle start month and the thresholds',
    description:
      'A kind left out costs nothing from now on. Points already given keep the rule they were given by; a ' +
      'new start month applies to cycles begun after it. Bands are for over-speed, by its margin over the ' +
      'limit in % or km/h. Every change is kept in the audit log.',
    callers: ['bureau'],
    body: scoreRulesBody,
    responses: { 200: rulesAnswer },
  },
])

/** What the table says, as the audit log keeps it: not who last said it. */
const tableOf = (rules: readonly StoredScoreRule[], settings: ScoreSettings) => ({
  rules: rules.map(({ kind, points, bands, subjects, basis }) => ({ kind, points, bands, subjects, basis })),
  cycleStartMonth: settings.cycleStartMonth,
  thresholds: settings.thresholds,
})

const rulesAnswerOf = (rules: readonly StoredScoreRule[], settings: ScoreSettings) => ({
  rules,
  cycleStartMonth: settings.cycleStartMonth,
  thresholds: settings.thresholds,
  updatedBy: settings.updatedBy,
  updatedAt: settings.updatedAt,
  voidingOutcomes,
})

/**
 * The 12-point score of drivers and operating companies (server/core/score/): the board, each
 * subject's history one click from each point, the table the bureau keeps, and the bureau's
 * reinstating of a driver the score removed from school-bus duty.
 */
export function scoreRoutes(deps: ApiDeps) {
  const { db, access, clock, audit, trustProxy, publishAlarmCase } = deps
  const board = createScoreBoard(db)
  const reinstatement = createDriverReinstatement({ db, clock })
  const queries = createScoreQueries(db)
  const today = () => toShanghaiTime(clock.now()).date

  return new Hono<AuthenticatedEnv>()
    .get('/scores', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const query = parseInput(scoresQuery, c.req.query(), 'query')
      const answer = await board.board({
        day: query.cycle ?? today(),
        subject: query.subject ?? null,
        visible: await access.visibleBusIds(principal),
      })
      return c.json(answer)
    })
    .get('/scores/:subject/:key', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const who = parseInput(subjectParams, c.req.param(), 'params')
      const query = parseInput(historyQuery, c.req.query(), 'query')
      const history = await board.history(who, query.cycle ?? today())
      if (!history)
        throw new AppError('not_found', `no ${who.subject} ${who.key} in the registers or the score`)
      if (!board.answersFor(await access.visibleBusIds(principal), history))
        throw new AppError('forbidden', `the ${who.subject} ${who.key} is outside this token's scope`)
      return c.json(history)
    })
    .post('/scores/driver/:key/reinstate', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau'])
      const { key } = parseInput(driverParams, c.req.param(), 'params')
      const { note } = await readJsonBody(c, reinstateBody, smallBodyMaxBytes)
      const done = await reinstatement.reinstate(key, note, principal, actingOf(c, trustProxy))
      if (done.change) publishAlarmCase?.(done.change)
      return c.json({ removal: done.removal, alarm: done.alarm })
    })
    .get('/score-rules', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      return c.json(rulesAnswerOf(await queries.rules(), await queries.settings()))
    })
    .put('/score-rules', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau'])
      const body = await readJsonBody(c, scoreRulesBody, smallBodyMaxBytes)
      const at = clock.now()
      const rules: ScoreRule[] = body.rules.map((rule) => ({
        kind: rule.kind,
        points: rule.points ?? null,
        bands: rule.bands ?? null,
        subjects: rule.subjects,
        basis: rule.basis ?? null,
      }))
      const { before, after } = await db.transaction(async (tx) => {
        const inTx = createScoreQueries(tx)
        await inTx.lockScoring()
        const before = tableOf(await inTx.rules(), await inTx.settings())
        const saved = await inTx.replaceRules(rules, { actor: principal.sub, at })
        const settings = await inTx.saveSettings({
          cycleStartMonth: body.cycleStartMonth,
          thresholds: body.thresholds,
          updatedBy: principal.sub,
          updatedAt: at,
        })
        return { before, after: { rules: saved, settings } }
      })
      await audit.record({
        ...actingOf(c, trustProxy),
        action: 'score_rules_changed',
        target: 'score-rules',
        detail: { before, after: tableOf(after.rules, after.settings) },
      })
      return c.json(rulesAnswerOf(after.rules, after.settings))
    })
}

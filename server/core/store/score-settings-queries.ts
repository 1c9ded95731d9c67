import type { ScoreBands, ScoreRule } from '../score/score-rule.js'
import type { ScoreThresholds } from '../score/score-thresholds.js'
import type { Queryable, Row } from './database.js'

export interface ScoreSettings {
  /** 1: cycles are calendar years; 9: school years. */
  cycleStartMonth: number
  thresholds: ScoreThresholds
  updatedBy: string
  updatedAt: Date
}

export interface StoredScoreRule extends ScoreRule {
  updatedBy: string
  updatedAt: Date
}

const settingsColumns = `cycle_start_month AS "cycleStartMonth", interview_at AS "interviewAt",
  warning_at AS "warningAt", removal_at AS "removalAt", updated_by AS "updatedBy", updated_at AS "updatedAt"`

type SettingsRow = {
  cycleStartMonth: number
  interviewAt: number
  warningAt: number
  removalAt: number
  updatedBy: string
  updatedAt: Date
}

const toSettings = (row: SettingsRow): ScoreSettings => ({
  cycleStartMonth: row.cycleStartMonth,
  thresholds: { interview: row.interviewAt, warning: row.warningAt, removal: row.removalAt },
  updatedBy: row.updatedBy,
  updatedAt: row.updatedAt,
})

const ruleColumns = `kind, points, bands, subjects, basis, updated_by AS "updatedBy", updated_at AS "updatedAt"`

/** The score's settings and its rule table: what a deduction costs and where the steps lie. */
export function createScoreSettingsQueries(db: Queryable) {
  return {
    settings: async () =>
      toSettings((await db.query<SettingsRow & Row>(`SELECT ${settingsColumns} FROM score_settings`))[0]!),

    saveSettings: async (settings: ScoreSettings) =>
      toSettings(
        (
          await db.query<SettingsRow & Row>(
            `UPDATE score_settings SET cycle_start_month = $1, interview_at = $2, warning_at = $3,
               removal_at = $4, updated_by = $5, updated_at = $6
             RETURNING ${settingsColumns}`,
            [
              settings.cycleStartMonth,
              settings.thresholds.interview,
              settings.thresholds.warning,
              settings.thresholds.removal,
              settings.updatedBy,
              settings.updatedAt.toISOString(),
            ],
          )
        )[0]!,
      ),

    rules: () => db.query<StoredScoreRule & Row>(`SELECT ${ruleColumns} FROM score_rules ORDER BY kind`),

    /** The whole table, replaced: a kind left out costs nothing from now on. */
    async replaceRules(rules: readonly ScoreRule[], by: { actor: string; at: Date }) {
      await db.query(`DELETE FROM score_rules`)
      for (const rule of rules) {
        await db.query(
          `INSERT INTO score_rules (kind, points, bands, subjects, basis, updated_by, updated_at)
           VALUES ($1, $2, $3::jsonb, $4::text[], $5, $6, $7)`,
          [
            rule.kind,
            rule.points,
            rule.bands ? JSON.stringify(rule.bands satisfies ScoreBands) : null,
            rule.subjects,
            rule.basis,
            by.actor,
            by.at.toISOString(),
          ],
        )
      }
      return db.query<StoredScoreRule & Row>(`SELECT ${ruleColumns} FROM score_rules ORDER BY kind`)
    },
  }
}

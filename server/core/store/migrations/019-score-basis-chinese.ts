import type { Migration } from './migration.js'

/**
 * The score table's "basis" is the bureau's own text, one language, as its staff type it; the rows
 * migration 16 seeded read English only, on a table a Chinese bureau reads. Each seeded row that no
 * one has edited since (still the platform's, its basis as seeded) gets its basis in Chinese first,
 * the English kept after it; an edited row is the bureau's and stays as it is.
 */
const bases: readonly { kind: string; zh: string; en: string }[] = [
  {
    kind: 'over_speed',
    zh: '教育局要求：按超出校车限速的幅度记1至3分；超限20%、50%各升一档，超速50%以上即《道路交通安全法》第九十九条所列严重违法。',
    en: "The bureau's request: 1 to 3 by the margin over the school-bus limit; steps at 20 % and at 50 %, where the Road Traffic Safety Law (art. 99) makes over-speed a grave offence.",
  },
  {
    kind: 'limiter_disabled',
    zh: '教育局要求：每辆校车都须开启限速装置（seeds/000）。',
    en: "The bureau's request: every school bus runs with its speed limiter (seeds/000).",
  },
  {
    kind: 'child_left_on_bus',
    zh: '教育局要求：学生遗留车内，车组人员立即暂停校车工作。',
    en: "The bureau's request: a child left on the bus removes the crew at once.",
  },
  {
    kind: 'route_off_corridor',
    zh: '教育局要求：按核定线路行驶（《校车安全管理条例》第三十条）。',
    en: "The bureau's request: the approved route (Decree 617 art. 30).",
  },
  {
    kind: 'stop_skipped',
    zh: '教育局要求：在核定站点停靠（《校车安全管理条例》第三十二条）。',
    en: "The bureau's request: the approved stops (Decree 617 art. 32).",
  },
  {
    kind: 'stop_unapproved',
    zh: '教育局要求：在核定站点停靠（《校车安全管理条例》第三十二条）。',
    en: "The bureau's request: the approved stops (Decree 617 art. 32).",
  },
  {
    kind: 'terminal_fatigue',
    zh: '教育局要求：以车载终端报告的疲劳驾驶为准。',
    en: "The bureau's request: fatigue as the bus's terminal reports it.",
  },
  {
    kind: 'papers_expired',
    zh: '教育局要求：运营企业保持证件有效；驾驶员本人证件过期的，驾驶员同样记分。',
    en: "The bureau's request: the operator keeps the papers current; a driver's own lapsed paper charges the driver too.",
  },
]

export const scoreBasisChinese: Migration = {
  version: 19,
  name: 'score basis in Chinese',
  async up(tx) {
    for (const { kind, zh, en } of bases) {
      await tx.query(
        `UPDATE score_rules SET basis = $2 WHERE kind = $1 AND updated_by = 'platform' AND basis = $3`,
        [kind, `${zh}\n${en}`, en],
      )
    }
  },
}

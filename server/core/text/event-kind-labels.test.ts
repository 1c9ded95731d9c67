import { describe, expect, it } from 'vitest'
import { useTestStore } from '../../../test/support/use-test-store.js'
import { alertedTerminalAlarms, terminalAlarmEventKind, terminalAlarms } from '../broker/terminal-status.js'
import { taskKindOfStep } from '../score/score-thresholds.js'
import { migrateDatabase } from '../store/migrate-database.js'
import { openPgliteDatabase } from '../store/pglite-database.js'
import { eventKindLabel, eventKindLabels, terminalAlarmLabels } from './event-kind-labels.js'
import type { Label } from './label.js'
import { roadClassLabel, roadClassLabels, roadClassOrder } from './road-class-labels.js'

const store = useTestStore(async () => {
  const db = await openPgliteDatabase()
  await migrateDatabase(db)
  return { db }
})

/** Chinese in Han script, English without it and in sentence case, as a label shows it. */
function expectWorded(label: Label | undefined, what: string) {
  expect(label, what).toBeDefined()
  expect(label!.zh, what).toMatch(/\p{Script=Han}/u)
  expect(label!.en, what).not.toMatch(/\p{Script=Han}/u)
  expect(label!.en, what).toMatch(/^\p{Lu}/u)
}

describe('the words for event kinds, terminal alarms and road classes', () => {
  it('word every kind of the alarm catalogue, as the store holds it', async () => {
    const catalogue = await store().db.query<{ kind: string }>('SELECT kind FROM alarm_kinds ORDER BY kind')
    expect(catalogue.length).toBeGreaterThan(20)
    for (const { kind } of catalogue)
      expectWorded(eventKindLabels[kind as keyof typeof eventKindLabels], kind)
  })

  it('word every alarm a terminal can report, and each alerted one’s event alike', () => {
    for (const alarm of terminalAlarms) expectWorded(terminalAlarmLabels[alarm], alarm)
    for (const alarm of alertedTerminalAlarms)
      expect(eventKindLabel(terminalAlarmEventKind(alarm)), alarm).toEqual(terminalAlarmLabels[alarm])
    for (const kind of Object.values(taskKindOfStep)) expectWorded(eventKindLabels[kind], kind)
  })

  it('name each kind and alarm differently', () => {
    for (const labels of [eventKindLabels, terminalAlarmLabels]) {
      const all = Object.values<Label>(labels)
      for (const lang of ['zh', 'en'] as const) expect(new Set(all.map((l) => l[lang])).size).toBe(all.length)
    }
  })

  it('word every road class, unknown last', () => {
    expect(roadClassOrder.at(-1)).toBe('unknown')
    for (const road of roadClassOrder) expectWorded(roadClassLabels[road], road)
    expect(roadClassLabel('primary')).toEqual({ zh: '主干道', en: 'Primary road' })
  })

  it('name a kind or road class not known by itself, never by an inherited property', () => {
    expect(eventKindLabel('some_new_kind')).toEqual({ zh: 'some_new_kind', en: 'some new kind' })
    expect(eventKindLabel('constructor')).toEqual({ zh: 'constructor', en: 'constructor' })
    expect(roadClassLabel('track')).toEqual({ zh: 'track', en: 'track' })
    expect(roadClassLabel('toString')).toEqual({ zh: 'toString', en: 'toString' })
  })
})

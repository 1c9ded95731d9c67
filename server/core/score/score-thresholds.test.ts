import { describe, expect, it } from 'vitest'
import { judgeThresholds, standsAt, type ReachedStep, type ScoreThresholds } from './score-thresholds.js'

const thresholds: ScoreThresholds = { interview: 6, warning: 10, removal: 12 }

/** A cycle's deductions in order, judged one after another as the scoring step does. */
function replay(deltas: number[]) {
  let total = 0
  const reached: ReachedStep[] = []
  const tasks: string[] = []
  const noted: string[] = []
  for (const delta of deltas) {
    total += delta
    const judgement = judgeThresholds(total, thresholds, reached)
    for (const step of judgement.reached)
      reached.push({ step, threshold: thresholds[step], fallenBelow: false })
    if (delta > 0 && judgement.task) tasks.push(`${judgement.task}@${total}`)
    for (const step of judgement.fallenBelow) {
      reached.find((entry) => entry.step === step)!.fallenBelow = true
      noted.push(`${step}@${total}`)
    }
  }
  return { total, reached: reached.map((entry) => entry.step), tasks, noted }
}

describe('the thresholds of the 12-point score', () => {
  it('opens a task at 6, 10 and 12, each once', () => {
    expect(replay([2, 3, 1, 2, 2, 1, 1, 3])).toEqual({
      total: 15,
      reached: ['interview', 'warning', 'removal'],
      tasks: ['interview@6', 'warning@10', 'removal@12'],
      noted: [],
    })
  })

  it('opens one task, the gravest, for a deduction that passes several steps', () => {
    expect(replay([3, 12])).toMatchObject({
      reached: ['interview', 'warning', 'removal'],
      tasks: ['removal@15'],
    })
    expect(replay([5, 6])).toMatchObject({ reached: ['interview', 'warning'], tasks: ['warning@11'] })
  })

  it('keeps a step reached when a false alarm voids the points behind it, and notes it once', () => {
    // 3 + 3 reach the interview; the second 3 is voided; 2 more come back over 6.
    expect(replay([3, 3, -3, 2, 2])).toEqual({
      total: 7,
      reached: ['interview'],
      tasks: ['interview@6'],
      noted: ['interview@3'],
    })
  })

  it('judges a step fallen under by the threshold it was reached at, not the one set since', () => {
    const before: ReachedStep[] = [{ step: 'interview', threshold: 6, fallenBelow: false }]
    expect(judgeThresholds(5, { interview: 4, warning: 8, removal: 12 }, before)).toEqual({
      reached: [],
      task: null,
      fallenBelow: ['interview'],
    })
    expect(standsAt(6, before[0]!)).toBe(true)
    expect(standsAt(5, before[0]!)).toBe(false)
  })
})

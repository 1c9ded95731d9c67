import { describe, expect, it } from 'vitest'
import { styleLine } from './line-palette.js'

describe('styleLine', () => {
  it('gives 27 lines 27 different styles, the first nine solid and each in its own colour', () => {
    const styles = Array.from({ length: 27 }, (_, k) => styleLine(k))
    expect(new Set(styles.map((s) => `${s.colour}|${s.dash}`)).size).toBe(27)
    expect(new Set(styles.slice(0, 9).map((s) => s.colour)).size).toBe(9)
    expect(styles.slice(0, 9).every((s) => s.dash === '')).toBe(true)
    expect(styles[9]).toEqual({ colour: styles[0]!.colour, dash: '7 4' })
  })

  it('keeps a line’s style however often it is asked', () => {
    expect(styleLine(12)).toEqual(styleLine(12))
  })
})

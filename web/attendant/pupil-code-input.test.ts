import { describe, expect, it } from 'vitest'
import { formatPupilCode } from '../../server/core/registers/pupil-code.js'
import { readPupilCode } from './pupil-code-input.js'

const code = formatPupilCode(48_201_937)

describe('reading a pupil code', () => {
  it('takes a code typed in any case, with spaces, or read from a card that holds a link', () => {
    expect(readPupilCode(code)).toBe(code)
    expect(readPupilCode(` ${code.toLowerCase().slice(0, 5)} ${code.slice(5)} `)).toBe(code)
    expect(readPupilCode(`https://school.example/card/${code}`)).toBe(code)
  })

  it('refuses a code with a wrong check digit, and text with no code', () => {
    const typo = `${code.slice(0, 9)}${(Number(code[9]) + 1) % 10}`
    expect(readPupilCode(typo)).toBeNull()
    expect(readPupilCode('hello')).toBeNull()
    expect(readPupilCode(`${code}1`)).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { generatePassword } from './passwords.js'

describe('passwords', () => {
  it('makes readable one-time passwords', () => {
    for (let i = 0; i < 50; i++) expect(generatePassword()).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{14}$/)
  })
})

import { expect, it } from 'vitest'
import { describeUserAgent } from './phone-label.js'

it('names the phone from its browser', () => {
  expect(describeUserAgent('Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile Safari/537.36')).toBe(
    'Android · Chrome',
  )
  expect(describeUserAgent('Mozilla/5.0 (iPhone) AppleWebKit Mobile MicroMessenger/8.0')).toBe(
    'iPhone · WeChat',
  )
  expect(describeUserAgent(undefined)).toBe('phone')
})

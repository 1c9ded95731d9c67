import { describe, expect, it } from 'vitest'
import {
  initialContact,
  isInContact,
  nextContact,
  type ContactEvent,
  type ServerContact,
} from './server-contact.js'

const after = (...events: ContactEvent[]): ServerContact => events.reduce(nextContact, initialContact)

describe('the page’s contact with the server', () => {
  it('is in contact with no bus to follow while the API answers', () => {
    expect(isInContact(initialContact)).toBe(true)
    expect(isInContact(after('api_down'))).toBe(false)
    expect(isInContact(after('api_down', 'api_ok'))).toBe(true)
  })

  it('holds the bus as current only once the server has sent it', () => {
    expect(isInContact(after('channel_opening'))).toBe(false)
    expect(isInContact(after('channel_opening', 'bus_data'))).toBe(true)
    expect(isInContact(after('channel_opening', 'bus_data', 'channel_up'))).toBe(true)
  })

  it('loses contact with the live channel, and regains it only with fresh data after reconnecting', () => {
    const live = after('channel_opening', 'bus_data', 'channel_up')
    const lost = nextContact(live, 'channel_down')
    expect(isInContact(lost)).toBe(false)
    const reconnected = nextContact(lost, 'channel_up')
    // Connected, but everything the page holds is from before: not yet current.
    expect(isInContact(reconnected)).toBe(false)
    expect(isInContact(nextContact(reconnected, 'bus_data'))).toBe(true)
  })

  it('is out of contact while the API fails even with the live channel up', () => {
    const live = after('channel_opening', 'bus_data', 'channel_up')
    expect(isInContact(nextContact(live, 'api_down'))).toBe(false)
  })
})

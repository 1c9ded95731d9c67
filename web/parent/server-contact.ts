/**
 * What the page knows of its own link to the server, apart from anything the bus says: a page
 * that cannot reach the server must say so, not blame the bus. While it follows a bus, the bus's
 * silence is judged only from data the server sent since the page last lost contact.
 */
export interface ServerContact {
  /** The last API request found no server. */
  apiDown: boolean
  /** The live channel: not in use (no bus followed), opening, connected, or lost. */
  channel: 'unused' | 'opening' | 'up' | 'down'
  /** The server has sent the bus's state (or a report) since contact was last lost. */
  fresh: boolean
}

export type ContactEvent =
  'api_ok' | 'api_down' | 'channel_unused' | 'channel_opening' | 'channel_up' | 'channel_down' | 'bus_data'

export const initialContact: ServerContact = { apiDown: false, channel: 'unused', fresh: false }

export function nextContact(contact: ServerContact, event: ContactEvent): ServerContact {
  switch (event) {
    case 'api_ok':
      return { ...contact, apiDown: false }
    case 'api_down':
      return { ...contact, apiDown: true }
    case 'channel_unused':
      return { ...contact, channel: 'unused', fresh: false }
    case 'channel_opening':
      return { ...contact, channel: 'opening', fresh: false }
    // Connected again, but what the page holds is from before: fresh once the server has spoken.
    case 'channel_up':
      return { ...contact, channel: 'up' }
    case 'channel_down':
      return { ...contact, channel: 'down', fresh: false }
    case 'bus_data':
      return { ...contact, fresh: true }
  }
}

/** The page may show what it holds as current: the server answers, and the bus's data is recent. */
export function isInContact(contact: ServerContact): boolean {
  if (contact.apiDown || contact.channel === 'down') return false
  return contact.channel === 'unused' || contact.fresh
}

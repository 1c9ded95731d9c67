import {
  encodeAlarmConfirm,
  encodeLocationQuery,
  encodeSetParameters,
  encodeText,
} from './encode-commands.js'
import { jt808MessageIds } from './message-ids.js'
import { confirmableAlarmBits, toJt808Parameters, type TerminalCommandRequest } from './terminal-commands.js'

/** 0x8300 flag bits: show on the driver's display, and read aloud (TTS). */
const textFlags = { display: 0x04, ttsRead: 0x08 } as const

/** A stored command as the message that carries it, in the terminal's version. */
export function encodeTerminalCommand(
  request: TerminalCommandRequest,
  version: 2013 | 2019,
): { messageId: number; body: Buffer } {
  switch (request.kind) {
    case 'parameters':
      return {
        messageId: jt808MessageIds.setParameters,
        body: encodeSetParameters(toJt808Parameters(request.params)),
      }
    case 'text':
      return {
        messageId: jt808MessageIds.text,
        body: encodeText({
          flags: textFlags.display | (request.params.ttsRead ? textFlags.ttsRead : 0),
          text: request.params.text,
          version,
        }),
      }
    case 'position_query':
      return { messageId: jt808MessageIds.locationQuery, body: encodeLocationQuery() }
    case 'alarm_confirm':
      return {
        messageId: jt808MessageIds.alarmConfirm,
        body: encodeAlarmConfirm({
          alarmSerial: 0,
          typeBits: request.params.alarms.reduce(
            (bits, alarm) => bits | (1 << confirmableAlarmBits[alarm]),
            0,
          ),
        }),
      }
  }
}

/** JT/T 808 message ids, terminal → platform (0x0xxx) and platform → terminal (0x8xxx). */
export const jt808MessageIds = {
  terminalGeneralReply: 0x0001,
  heartbeat: 0x0002,
  unregister: 0x0003,
  register: 0x0100,
  authenticate: 0x0102,
  parametersReply: 0x0104,
  location: 0x0200,
  locationQueryReply: 0x0201,
  locationBatch: 0x0704,
  platformGeneralReply: 0x8001,
  /** Asks the terminal to resend the missing packets of a split message. */
  resendPackets: 0x8003,
  registerReply: 0x8100,
  setParameters: 0x8103,
  queryParameters: 0x8104,
  locationQuery: 0x8201,
  alarmConfirm: 0x8203,
  text: 0x8300,
} as const

export type Jt808MessageName = keyof typeof jt808MessageIds

/** Terminal parameter ids of 0x8103/0x8104 that the platform sets (all DWORD). */
export const jt808ParameterIds = {
  reportIntervalS: 0x0029,
  topSpeedKmh: 0x0055,
  overSpeedDurationS: 0x0056,
} as const

/** Results of the general replies 0x0001 and 0x8001. */
export const jt808ReplyResults = {
  ok: 0,
  failed: 1,
  badMessage: 2,
  unsupported: 3,
  alarmHandled: 4,
} as const

/** Results of the register reply 0x8100. */
export const jt808RegisterResults = {
  ok: 0,
  vehicleAlreadyRegistered: 1,
  noSuchVehicle: 2,
  terminalAlreadyRegistered: 3,
  noSuchTerminal: 4,
} as const

import { createApiClient } from '../shared/api-client.js'
import { fetchPageConfig } from '../shared/page-config.js'
import {
  acknowledgeAnswerSchema,
  boardingsSchema,
  endAnswerSchema,
  eventsSchema,
  leftOnBusKind,
  principalResponseSchema,
  rosterSchema,
  scanAnswerSchema,
  todaySchema,
  tripDetailSchema,
  type Alarm,
} from './attendant-contract.js'
import type { EndItem, ScanItem } from './scan-queue.js'

const part = encodeURIComponent

export function createAttendantApi(options: { token: string; fetch?: typeof fetch }) {
  const client = createApiClient(options)
  return {
    token: options.token,
    me: () => client.get('/api/me', principalResponseSchema),
    today: (busId: string) => client.get(`/api/buses/${part(busId)}/today`, todaySchema),
    trip: (tripId: string) => client.get(`/api/trips/${part(tripId)}`, tripDetailSchema),
    roster: (tripId: string) => client.get(`/api/trips/${part(tripId)}/roster`, rosterSchema),
    boardings: (tripId: string, date: string) =>
      client.get(`/api/trips/${part(tripId)}/boardings?date=${part(date)}`, boardingsSchema),
    sendScan: (scan: ScanItem) =>
      client.post(
        `/api/trips/${part(scan.tripId)}/boardings`,
        {
          id: scan.id,
          ...(scan.pupilId ? { pupilId: scan.pupilId } : { pupilCode: scan.pupilCode }),
          action: scan.action,
          ...(scan.stopId ? { stopId: scan.stopId } : {}),
          scannedAt: scan.scannedAt,
        },
        scanAnswerSchema,
      ),
    endTrip: (end: EndItem) =>
      client.post(
        `/api/trips/${part(end.tripId)}/end`,
        { confirmedEmpty: true, endedAt: end.endedAt },
        endAnswerSchema,
      ),
    leftOnBusAlarms: () => client.get(`/api/events?kind=${leftOnBusKind}`, eventsSchema),
    acknowledge: (alarm: Pick<Alarm, 'busId' | 'kind' | 'ts'>) =>
      client.post(
        '/api/events/acknowledge',
        { busId: alarm.busId, kind: alarm.kind, ts: alarm.ts },
        acknowledgeAnswerSchema,
      ),
    pageConfig: () => fetchPageConfig(client, '/attendant/config.json'),
  }
}

export type AttendantApi = ReturnType<typeof createAttendantApi>

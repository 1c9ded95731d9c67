import { describe, expect, it } from 'vitest'
import { noticeFromEvent } from './notice-log.js'
import { etaMessage, noticeMessage } from './parent-messages.js'
import { parentText } from './parent-text.js'
import { sampleRide } from './sample-ride.js'

const { zh, en } = parentText
const childStop = sampleRide().boardStop

describe('the ETA panel', () => {
  it('shows the minutes, the last report and a delay', () => {
    const view = { kind: 'minutes', minutes: 4, remainingS: 250, lastReport: '07:19', lateMin: 6 } as const
    expect(etaMessage(view, en, childStop)).toEqual({
      label: 'To 龙山村',
      value: '4 min',
      detail: 'Last report 07:19 · About 6 min late',
      warn: false,
    })
    expect(etaMessage(view, zh, childStop)).toMatchObject({
      value: '4 分钟',
      detail: '最后定位 07:19 · 晚点约 6 分钟',
    })
    expect(etaMessage({ ...view, lateMin: 0 }, en, childStop).detail).toBe('Last report 07:19')
  })

  it('says the page has lost the server, not that the bus is silent', () => {
    const message = etaMessage({ kind: 'no_contact', lastReport: '07:19' }, en, childStop)
    expect(message).toEqual({
      label: 'To 龙山村',
      value: 'No contact with the server',
      detail: 'Last report 07:19',
      warn: true,
    })
    expect(message.value).not.toMatch(/signal|bus/)
    expect(etaMessage({ kind: 'no_contact', lastReport: null }, zh, childStop)).toMatchObject({
      value: '暂时联系不上服务器',
      detail: '计划 07:20',
    })
  })

  it('says how long the bus has been silent instead of a number', () => {
    const message = etaMessage({ kind: 'no_signal', since: '07:19' }, en, childStop)
    expect(message).toMatchObject({ value: 'No signal from the bus since 07:19', warn: true })
    expect(message.value).not.toMatch(/min/)
    expect(etaMessage({ kind: 'no_signal', since: '07:19' }, zh, childStop).value).toBe(
      '07:19 起没有收到校车的信号',
    )
  })

  it('gives the timetable when there is no estimate', () => {
    expect(etaMessage({ kind: 'not_started', due: '07:20' }, en, childStop)).toMatchObject({
      value: 'The bus has not left yet; due at your stop at 07:20',
      detail: 'Due 07:20',
    })
    expect(etaMessage({ kind: 'off_route', since: null }, zh, childStop)).toMatchObject({ warn: true })
  })
})

describe('notices', () => {
  const lookups = {
    childName: () => '王小明',
    plateOf: (busId: string) => (busId === 'bus-09' ? '浙B·C9999' : busId),
  }
  const event = { pupilId: 'pu-00102', tripId: 'bus-01-am1', ts: '2026-03-01T23:21:00.000Z' }

  it('name the child and the stop where they got on or off', () => {
    const boarded = noticeFromEvent({ ...event, kind: 'boarded', stopName: '龙山村' })
    expect(noticeMessage(boarded, zh, lookups)).toBe('王小明 已在「龙山村」上车')
    expect(noticeMessage(boarded, en, lookups)).toBe('王小明 got on the bus at 龙山村')
    const alighted = noticeFromEvent({ ...event, kind: 'alighted', stopName: null, lat: 30.21, lon: 121.32 })
    expect(noticeMessage(alighted, en, lookups)).toBe(
      '王小明 got off the bus at a place near 30.21000, 121.32000',
    )
    const nowhere = noticeFromEvent({ ...event, kind: 'alighted' })
    expect(noticeMessage(nowhere, zh, lookups)).toBe('王小明 已下车')
  })

  it('give the new bus’s plate after a change of bus', () => {
    const changed = noticeFromEvent({ ...event, kind: 'bus_changed', busId: 'bus-01', newBusId: 'bus-09' })
    expect(noticeMessage(changed, en, lookups)).toBe('The bus has changed: now 浙B·C9999')
  })

  it('give the plate the server sent with the change, whichever bus the ride shows now', () => {
    const changed = noticeFromEvent({
      ...event,
      kind: 'bus_changed',
      busId: 'bus-01',
      newBusId: 'bus-07',
      newPlate: '浙B·C7777',
    })
    expect(noticeMessage(changed, zh, lookups)).toBe('换车了：现在是 浙B·C7777')
  })

  it('say how near or how late the bus is', () => {
    const base = { key: 'k', at: event.ts, pupilId: event.pupilId, tripId: event.tripId, stopName: '龙山村' }
    expect(noticeMessage({ ...base, kind: 'approach', minutes: 5 }, zh, lookups)).toBe(
      '校车还有约 5 分钟到「龙山村」',
    )
    expect(noticeMessage({ ...base, kind: 'delayed', minutes: 7 }, en, lookups)).toBe(
      'The trip is running about 7 min late',
    )
  })
})

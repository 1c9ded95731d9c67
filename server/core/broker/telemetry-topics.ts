/** `bus/{busId}/gps` and `bus/{busId}/limiter` (DESIGN §4). */
export type TelemetryKind = 'gps' | 'limiter'

const topicPattern = /^bus\/([A-Za-z0-9_-]{1,64})\/(gps|limiter)$/

export function parseTelemetryTopic(topic: string): { busId: string; kind: TelemetryKind } | undefined {
  const match = topicPattern.exec(topic)
  return match ? { busId: match[1]!, kind: match[2] as TelemetryKind } : undefined
}

export function telemetryTopic(busId: string, kind: TelemetryKind): string {
  return `bus/${busId}/${kind}`
}

/**
 * What the ingest worker subscribes to. On a real broker the workers of one share group split the
 * load; `shareGroup` undefined subscribes to the plain topic (the embedded broker has no `$share`).
 */
export function ingestSubscription(kind: TelemetryKind, options: { shareGroup?: string }): string {
  const topic = `bus/+/${kind}`
  return options.shareGroup ? `$share/${options.shareGroup}/${topic}` : topic
}

const KMH_PER_MPH = 1.609344

/**
 * Implicit limits written as `CC:zone` (https://wiki.openstreetmap.org/wiki/Key:maxspeed), for the
 * countries and zones where one number holds nationwide. Others fall back to the road class.
 */
const ZONE_LIMITS_KMH: Record<string, number> = {
  urban: 50,
  living_street: 20,
  walk: 6,
  'AT:rural': 100,
  'BE:rural': 70,
  'CH:rural': 80,
  'CN:urban': 50,
  'CZ:rural': 90,
  'DE:rural': 100,
  'DK:rural': 80,
  'ES:rural': 90,
  'FR:rural': 80,
  'GB:nsl_single': 60 * KMH_PER_MPH,
  'GB:nsl_dual': 70 * KMH_PER_MPH,
  'IT:rural': 90,
  'NL:rural': 80,
  'PL:rural': 90,
  'RU:urban': 60,
  'RU:rural': 90,
  'FR:motorway': 130,
  'IT:motorway': 130,
  'ES:motorway': 120,
  'CN:motorway': 120,
}

/**
 * The posted limit in km/h from an OSM `maxspeed` value: "50", "30 mph", "50 km/h", "FR:urban",
 * "DE:zone:30". Returns undefined for "none", "signals", "variable" and anything unreadable, so the
 * caller falls back to the road class. Of several values ("50;30") the lowest counts.
 */
export function parseMaxSpeedKmh(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const limits = value
    .split(';')
    .map((part) => parseOneLimitKmh(part.trim()))
    .filter((limit): limit is number => limit !== undefined)
  return limits.length > 0 ? Math.min(...limits) : undefined
}

function parseOneLimitKmh(value: string): number | undefined {
  const numeric = /^(\d+(?:\.\d+)?)\s*(mph|km\/h|kmh|kph)?$/i.exec(value)
  if (numeric) {
    const speed = Number(numeric[1]) * (numeric[2]?.toLowerCase() === 'mph' ? KMH_PER_MPH : 1)
    return speed > 0 ? Math.round(speed) : undefined
  }
  const zone = /^([A-Z]{2}):(.+)$/.exec(value)
  if (!zone) return value === 'walk' ? ZONE_LIMITS_KMH.walk : undefined
  const [, country, kind] = zone
  const zoneNumber = /^zone:?(\d+)$/.exec(kind)
  if (zoneNumber) return Number(zoneNumber[1])
  const limit = ZONE_LIMITS_KMH[`${country}:${kind}`] ?? ZONE_LIMITS_KMH[kind]
  return limit === undefined ? undefined : Math.round(limit)
}

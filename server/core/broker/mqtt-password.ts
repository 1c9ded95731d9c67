/**
 * An MQTT password: fixed, or asked for before every connection attempt, so that an expiring
 * access token is replaced by a fresh one whenever the client connects again.
 */
export type MqttPassword = string | (() => Promise<string | undefined>)

export async function resolveMqttPassword(password: MqttPassword | undefined): Promise<string | undefined> {
  return typeof password === 'function' ? password() : password
}

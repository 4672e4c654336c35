import type { ConnectorDefinition } from '../connectors/sdk/index.ts'
import type { Cipher } from '../store/cipher.ts'

/** Keyed hash of the credentials a login depends on (1-step MFA fields change every time: left out). */
export function credentialsHash(cipher: Cipher, connector: ConnectorDefinition, credentials: Record<string, string>): string {
  const stable = connector.credentials.filter((f) => !f.mfa).map((f) => [f.name, credentials[f.name] ?? null])
  return cipher.keyedHash(`${connector.id}:${JSON.stringify(stable)}`)
}

/**
 * Keyed hash of everything a login attempt sent, one-time codes included: the repeated-failure
 * guard refuses exactly the attempt that was rejected, not a new code with the same password.
 */
export function loginAttemptHash(cipher: Cipher, connector: ConnectorDefinition, credentials: Record<string, string>): string {
  return cipher.keyedHash(`attempt:${connector.id}:${JSON.stringify(connector.credentials.map((f) => [f.name, credentials[f.name] ?? null]))}`)
}

import type { Cipher } from '../store/cipher.ts'
import { listClients, saveClientSecret } from '../store/clients.ts'
import { withTransaction, type Database } from '../store/database.ts'
import { findItemsEncryptedWithOtherKeys, saveReencryptedCredentials } from '../store/items.ts'
import { findItemSecretsEncryptedWithOtherKeys, saveReencryptedItemSecrets } from '../store/user-authorizations.ts'
import type { ConnectorRegistry } from './connector-registry.ts'
import { credentialsHash } from './credential-hashes.ts'

const BATCH = 500

/**
 * Re-encrypts every stored secret (client secrets, item credentials, the tokens Open Finance
 * connectors keep with `ctx.secrets`) with the cipher's current
 * key; the cipher must still hold the old keys to decrypt. Batches commit one by one, so a
 * rotation that stops half-way is finished by running it again.
 */
export async function reencryptSecrets(db: Database, cipher: Cipher, connectors: ConnectorRegistry): Promise<{ clients: number; items: number }> {
  let clients = 0
  for (const client of await listClients(db.pool)) {
    if (cipher.keyIdOf(client.secretEnc) === cipher.keyId) continue
    await saveClientSecret(db.pool, client.id, cipher.encrypt(cipher.decrypt(client.secretEnc)))
    clients++
  }
  let items = 0
  for (;;) {
    const batch = await findItemsEncryptedWithOtherKeys(db.pool, cipher.keyId, BATCH)
    if (batch.length === 0) break
    const rows = batch.map((item) => {
      const credentials = JSON.parse(cipher.decrypt(item.credentialsEnc)) as Record<string, string>
      const connector = connectors.get(item.connectorId)
      // Without its connector the hash cannot be rebuilt the same way; a keyed hash of the whole set still never matches by accident.
      const hash = connector ? credentialsHash(cipher, connector, credentials) : cipher.keyedHash(JSON.stringify(credentials))
      return { id: item.id, credentialsEnc: cipher.encrypt(JSON.stringify(credentials)), credentialsHash: hash }
    })
    await withTransaction(db.pool, (tx) => saveReencryptedCredentials(tx, rows))
    items += rows.length
  }
  for (;;) {
    const batch = await findItemSecretsEncryptedWithOtherKeys(db.pool, cipher.keyId, BATCH)
    if (batch.length === 0) break
    await saveReencryptedItemSecrets(
      db.pool,
      batch.map((item) => ({ id: item.id, previousEnc: item.secretsEnc, secretsEnc: cipher.encrypt(cipher.decrypt(item.secretsEnc)) })),
    )
  }
  return { clients, items }
}

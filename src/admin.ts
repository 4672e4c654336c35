import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import pino from 'pino'
import { ConfigError, type Config } from './config.ts'
import { sandboxConnectors } from './sandbox-bank/sandbox-institutions.ts'
import { ConnectorRegistry, loadConnectorModules } from './engine/connector-registry.ts'
import { ItemService } from './engine/item-service.ts'
import { reencryptSecrets } from './engine/key-rotation.ts'
import { Wakeups } from './engine/wakeups.ts'
import { KEY_FILE, PREVIOUS_KEYS_FILE, loadSecrets, persistentDataDir } from './secrets.ts'
import { createCipher, type Cipher } from './store/cipher.ts'
import { openDatabase, type Database } from './store/database.ts'
import { migrate } from './store/migrate.ts'
import { systemClock } from './time/clock.ts'

/**
 * Re-encrypts every stored secret with a new key. Embedded mode generates the key and keeps the
 * old one as "previous" until the re-encryption finished; with DATABASE_URL the operator sets
 * TRIBUTARY_ENCRYPTION_KEY to the new key and TRIBUTARY_ENCRYPTION_KEY_PREVIOUS to the old one.
 */
export async function rotateEncryptionKey(config: Readonly<Config>): Promise<{ keyId: string; clients: number; items: number }> {
  const persistent = persistentDataDir(config) && !config.encryptionKey
  let keys: Buffer[]
  if (persistent) {
    const { encryptionKey, previousKeys } = await loadSecrets(config)
    const fresh = randomBytes(32)
    await writeFile(path.join(config.dataDir, PREVIOUS_KEYS_FILE), [encryptionKey, ...previousKeys].map((k) => k.toString('base64')).join('\n') + '\n', { mode: 0o600 })
    await writeFile(path.join(config.dataDir, KEY_FILE), fresh.toString('base64') + '\n', { mode: 0o600 })
    keys = [fresh, encryptionKey, ...previousKeys]
  } else {
    if (!config.encryptionKey || config.previousEncryptionKeys.length === 0) {
      throw new ConfigError('TRIBUTARY_ENCRYPTION_KEY_PREVIOUS', 'set TRIBUTARY_ENCRYPTION_KEY to the new key and TRIBUTARY_ENCRYPTION_KEY_PREVIOUS to the old one(s), then run the rotation')
    }
    keys = [config.encryptionKey, ...config.previousEncryptionKeys]
  }
  const cipher = createCipher(keys)
  const db = await openDatabase(config)
  try {
    await migrate(db.pool, db.connectionString)
    const connectors = new ConnectorRegistry([
      ...sandboxConnectors({ delayMs: 0, publicUrl: () => config.publicUrl ?? `http://localhost:${config.port}` }),
      ...(await loadConnectorModules(config.connectorModules)),
    ])
    const counts = await reencryptSecrets(db, cipher, connectors)
    if (persistent) await writeFile(path.join(config.dataDir, PREVIOUS_KEYS_FILE), '', { mode: 0o600 })
    return { keyId: cipher.keyId, ...counts }
  } finally {
    await db.close()
  }
}

/** What the command-line tools need: the database, the cipher and the connectors, no workers or HTTP. */
export interface AdminContext {
  db: Database
  cipher: Cipher
  connectors: ConnectorRegistry
  items: ItemService
  close(): Promise<void>
}

/**
 * Opens the database for an operator command. With the embedded database the server must be
 * stopped (PGlite allows one process); with PostgreSQL it works beside running servers.
 */
export async function openAdminContext(config: Readonly<Config>): Promise<AdminContext> {
  const { encryptionKey, previousKeys } = await loadSecrets(config)
  const db = await openDatabase(config, { poolSize: 2 })
  try {
    await migrate(db.pool, db.connectionString)
  } catch (error) {
    await db.close()
    throw error
  }
  const cipher = createCipher([encryptionKey, ...previousKeys])
  const connectors = new ConnectorRegistry([
    ...sandboxConnectors({ delayMs: config.sandboxDelayMs, publicUrl: () => config.publicUrl ?? `http://localhost:${config.port}` }),
    ...(await loadConnectorModules(config.connectorModules)),
  ])
  const logger = pino({ level: 'silent' })
  const items = new ItemService({ db, config, connectors, cipher, clock: systemClock, wakeups: new Wakeups(systemClock), logger })
  return { db, cipher, connectors, items, close: () => db.close() }
}

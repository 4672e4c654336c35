import { hkdfSync, randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from './config.ts'

async function readOrCreate(file: string, create: () => string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    const value = create()
    await writeFile(file, value + '\n', { mode: 0o600 })
    return value
  }
}

export const KEY_FILE = 'encryption.key'
export const PREVIOUS_KEYS_FILE = 'encryption.previous-keys'

export function persistentDataDir(config: Config): boolean {
  return !config.databaseUrl && config.dataDir !== ':memory:'
}

export async function readKeyList(file: string): Promise<Buffer[]> {
  try {
    return (await readFile(file, 'utf8'))
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => Buffer.from(l.trim(), 'base64'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

/** The encryption keys and bootstrap client: configured, or generated once into the data dir. */
export async function loadSecrets(config: Config) {
  const persistent = persistentDataDir(config)
  if (persistent) await mkdir(config.dataDir, { recursive: true })
  const encryptionKey =
    config.encryptionKey ?? (persistent ? Buffer.from(await readOrCreate(path.join(config.dataDir, KEY_FILE), () => randomBytes(32).toString('base64')), 'base64') : randomBytes(32))
  const previousKeys = [...config.previousEncryptionKeys, ...(persistent && !config.encryptionKey ? await readKeyList(path.join(config.dataDir, PREVIOUS_KEYS_FILE)) : [])]
  // Every process derives the same signing key from the shared encryption key unless one is given.
  const jwtSecret = config.jwtSecret ?? Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'tributary api keys', 32)).toString('base64')
  let bootstrap: { clientId: string; clientSecret: string } | null = null
  if (config.clientId && config.clientSecret) bootstrap = { clientId: config.clientId, clientSecret: config.clientSecret }
  else if (!config.databaseUrl) {
    const generate = () => JSON.stringify({ clientId: `client-${randomBytes(6).toString('hex')}`, clientSecret: randomBytes(24).toString('base64url') })
    bootstrap = JSON.parse(persistent ? await readOrCreate(path.join(config.dataDir, 'bootstrap-client.json'), generate) : generate())
  }
  return { encryptionKey, previousKeys, jwtSecret, bootstrap }
}

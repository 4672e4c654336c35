import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto'

/**
 * AES-256-GCM envelope for secrets at rest: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url).
 * The key id lets an old key decrypt what it wrote while a new key encrypts, so keys rotate.
 */
export interface Cipher {
  readonly keyId: string
  encrypt(plaintext: string): string
  decrypt(envelope: string): string
  /** Keyed hash for comparing secrets without decrypting or storing them in the clear. */
  keyedHash(value: string): string
  /** The key id an envelope was written with. */
  keyIdOf(envelope: string): string
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12)
}

/** `keys[0]` encrypts; every key decrypts what it wrote. */
export function createCipher(keys: Buffer[]): Cipher {
  if (keys.length === 0) throw new Error('createCipher needs at least one key')
  const byId = new Map(keys.map((key) => [keyIdOf(key), key]))
  const current = keys[0]
  const currentId = keyIdOf(current)
  const hashKey = Buffer.from(hkdfSync('sha256', current, Buffer.alloc(0), 'tributary keyed hash', 32))
  return {
    keyId: currentId,
    encrypt(plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', current, iv)
      cipher.setAAD(Buffer.from(currentId))
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      const tag = cipher.getAuthTag()
      return ['v1', currentId, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.')
    },
    decrypt(envelope) {
      const [version, keyId, iv, tag, ciphertext] = envelope.split('.')
      if (version !== 'v1' || !keyId || iv === undefined || tag === undefined || ciphertext === undefined) {
        throw new Error('not a v1 secret envelope')
      }
      const key = byId.get(keyId)
      if (!key) throw new Error(`no key with id ${keyId} is configured to decrypt this secret`)
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAAD(Buffer.from(keyId))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')
    },
    keyedHash(value) {
      return createHmac('sha256', hashKey).update(value).digest('base64url')
    },
    keyIdOf(envelope) {
      return envelope.split('.')[1] ?? ''
    },
  }
}

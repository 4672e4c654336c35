import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'

/** How long a statement link stays valid: 30 minutes, as the reference's signed URLs. */
export const STATEMENT_LINK_TTL_SECONDS = 30 * 60

export type LinkCheck = { ok: true } | { ok: false; reason: 'expired' | 'invalid' }

/**
 * Signs and checks the download links of account statements. A link names the statement, the
 * client that may read it and when it expires, with an HMAC-SHA256 of the three under a key derived
 * from the server's signing secret — any process of the deployment checks any process's links, and
 * a link cannot be stretched in time or moved to another statement or client without the key.
 */
export class StatementLinks {
  private readonly key: Buffer

  constructor(secret: string | Buffer) {
    // A key of its own, so a link signature can never be replayed as anything else the secret signs.
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'tributary statement links', 32))
  }

  /** The query of a link valid from `now` for STATEMENT_LINK_TTL_SECONDS. */
  sign(statementId: string, clientId: string, now: Date): { client: string; expires: number; signature: string } {
    const expires = Math.floor(now.getTime() / 1000) + STATEMENT_LINK_TTL_SECONDS
    return { client: clientId, expires, signature: this.mac(statementId, clientId, expires) }
  }

  /** Whether a link's signature is the server's (compared in constant time) and it is still valid at `now`. */
  check(statementId: string, link: { client: string; expires: number; signature: string }, now: Date): LinkCheck {
    const expected = Buffer.from(this.mac(statementId, link.client, link.expires), 'hex')
    const given = /^[0-9a-f]{64}$/.test(link.signature) ? Buffer.from(link.signature, 'hex') : Buffer.alloc(0)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' }
    // Checked after the signature: an expired link says so only when it is genuine.
    if (now.getTime() >= link.expires * 1000) return { ok: false, reason: 'expired' }
    return { ok: true }
  }

  private mac(statementId: string, clientId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${statementId.toLowerCase()}\n${clientId}\n${expires}`).digest('hex')
  }
}

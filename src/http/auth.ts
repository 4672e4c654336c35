import { randomUUID, timingSafeEqual, createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { SignJWT, decodeJwt, jwtVerify } from 'jose'
import { Refusal } from '../engine/refusal.ts'

export const API_KEY_TTL_SECONDS = 2 * 60 * 60
export const CONNECT_TOKEN_TTL_SECONDS = 30 * 60

export interface ConnectTokenOptions {
  clientUserId?: string
  webhookUrl?: string
  avoidDuplicates?: boolean
  /** Open Finance: the only place the items this token creates or updates may send the user back to. */
  oauthRedirectUri?: string
}

export type Principal = { kind: 'api'; clientId: string } | { kind: 'connect'; clientId: string; tokenId: string; itemId: string | null; options: ConnectTokenOptions }

/**
 * Issues and verifies the API's bearer tokens: API keys (2 h) and connect tokens (30 min).
 *
 * Tokens live in real time, not on the engine's clock: a test that moves a manual clock a day ahead
 * is simulating the bank's time, not asking for its credentials to lapse, and the reference's
 * client judges a key's expiry by the wall clock too (it would keep sending a key the engine refused).
 */
export class TokenAuthority {
  private readonly key: Uint8Array
  /** Tokens whose signature and claims were checked, until they expire (a bounded set: cleared when full). */
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>()

  constructor(
    secret: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.key = new TextEncoder().encode(secret)
  }

  async issueApiKey(clientId: string): Promise<string> {
    return this.sign({ kind: 'api' }, clientId, API_KEY_TTL_SECONDS)
  }

  async issueConnectToken(clientId: string, itemId: string | null, options: ConnectTokenOptions): Promise<string> {
    return this.sign({ kind: 'connect', itemId, options }, clientId, CONNECT_TOKEN_TTL_SECONDS)
  }

  private sign(claims: Record<string, unknown>, clientId: string, ttl: number): Promise<string> {
    const iat = Math.floor(this.now().getTime() / 1000)
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(clientId)
      .setIssuer('tributary')
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .sign(this.key)
  }

  /** The principal a token names, or a 401 refusal saying why it is not accepted. */
  async verify(token: string): Promise<Principal> {
    const now = this.now()
    // A token verified before is the same bytes under the same key: only its expiry can change the answer.
    const known = this.verified.get(token)
    if (known && now.getTime() < known.expiresAtMs) return known.principal
    const principal = await this.verifySignature(token, now)
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.clear()
    this.verified.set(token, { principal, expiresAtMs: expiryOf(token) })
    return principal
  }

  private async verifySignature(token: string, now: Date): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: 'tributary', algorithms: ['HS256'], currentDate: now })
      const clientId = payload.sub
      if (!clientId || typeof payload.jti !== 'string') throw new Error('missing claims')
      if (payload.kind === 'api') return { kind: 'api', clientId }
      if (payload.kind === 'connect') {
        return { kind: 'connect', clientId, tokenId: payload.jti, itemId: (payload.itemId as string | null) ?? null, options: (payload.options as ConnectTokenOptions) ?? {} }
      }
      throw new Error('unknown token kind')
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED'
      throw new Refusal(
        'unauthorized',
        expired ? 'API_KEY_EXPIRED' : 'API_KEY_INVALID',
        expired ? 'The API key expired; get a new one with POST /auth.' : 'The API key is not valid; get one with POST /auth and send it in the X-API-KEY header.',
      )
    }
  }
}

const VERIFIED_TOKENS_KEPT = 10_000

/** The `exp` of a token whose signature was verified, in milliseconds. */
function expiryOf(token: string): number {
  return (decodeJwt(token).exp ?? 0) * 1000
}

/** Compares two secrets in constant time (their digests, so lengths leak nothing either). */
export function secretsEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest()
  return timingSafeEqual(digest(a), digest(b))
}

export function apiKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key']
  if (typeof header === 'string' && header) return header
  const authorization = request.headers.authorization
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) return authorization.slice(7)
  return undefined
}

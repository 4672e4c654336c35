/**
 * The dashboard's session: an encrypted, authenticated cookie (JWE, A256GCM, with a key derived
 * from the server's signing secret, so every API process reads the others' sessions) naming the
 * client, the session's CSRF token and its expiry. Nothing is kept in the browser's storage and
 * nothing on the server: a session ends when its cookie expires (30 minutes) or is cleared. Like
 * API keys, sessions live in real time, whatever the engine's clock says.
 */
import { hkdfSync, randomBytes } from 'node:crypto'
import { EncryptJWT, jwtDecrypt } from 'jose'
import { secretsEqual } from '../http/auth.ts'

export const SESSION_COOKIE = 'tributary_dashboard'
export const SESSION_TTL_SECONDS = 30 * 60
export const CSRF_HEADER = 'x-csrf-token'

export interface DashboardSession {
  clientId: string
  /** Sent back by the page in X-CSRF-Token on every state-changing request. */
  csrfToken: string
  expiresAt: Date
}

/** Issues and reads dashboard sessions; the key never leaves this object. */
export class DashboardSessions {
  private readonly key: Uint8Array

  constructor(
    secret: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    // A key of its own: a session cookie is never an API key, and an API key never opens a session.
    this.key = new Uint8Array(hkdfSync('sha256', secret, Buffer.alloc(0), 'tributary dashboard sessions', 32))
  }

  /** A new session for the client, ending at the earlier of 30 minutes and `notAfter` (an API key's own expiry). */
  async issue(clientId: string, notAfter?: Date): Promise<{ session: DashboardSession; cookieValue: string; maxAgeSeconds: number }> {
    const now = this.now()
    const ttlEnd = now.getTime() + SESSION_TTL_SECONDS * 1000
    const expiresAt = new Date(Math.min(ttlEnd, notAfter?.getTime() ?? ttlEnd))
    const session: DashboardSession = { clientId, csrfToken: randomBytes(24).toString('base64url'), expiresAt }
    const cookieValue = await new EncryptJWT({ csrf: session.csrfToken })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setSubject(clientId)
      .setIssuer('tributary-dashboard')
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .encrypt(this.key)
    return { session, cookieValue, maxAgeSeconds: (expiresAt.getTime() - now.getTime()) / 1000 }
  }

  /** The session a request's Cookie header carries, or null when it has none, a forged one or an expired one. */
  async read(cookieHeader: string | undefined): Promise<DashboardSession | null> {
    const value = cookieValue(cookieHeader, SESSION_COOKIE)
    if (!value) return null
    try {
      const { payload } = await jwtDecrypt(value, this.key, { issuer: 'tributary-dashboard', currentDate: this.now() })
      if (typeof payload.sub !== 'string' || typeof payload.csrf !== 'string' || typeof payload.exp !== 'number') return null
      return { clientId: payload.sub, csrfToken: payload.csrf, expiresAt: new Date(payload.exp * 1000) }
    } catch {
      return null
    }
  }
}

/** True when the header carries the session's CSRF token (compared in constant time). */
export function csrfMatches(session: DashboardSession, header: unknown): boolean {
  return typeof header === 'string' && header.length > 0 && secretsEqual(header, session.csrfToken)
}

/** The Set-Cookie value: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), only under /dashboard. */
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${SESSION_COOKIE}=${value}`, 'Path=/dashboard', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, ...(secure ? ['Secure'] : [])].join('; ')
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return rest.join('=')
  }
  return undefined
}

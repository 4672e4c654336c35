import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Clock } from '../time/clock.ts'

/**
 * The sandbox Open Finance institution's own side, which Tributary serves so that the whole round
 * trip runs offline: a small OAuth 2.0 authorization-code server with PKCE (RFC 6749, RFC 7636),
 * its login with the sandbox user names, a consent page, and the consent API its connector reads.
 * State is kept in this process's memory: it is a test institution (run the API in one process, or
 * send the user back to the process that served the page).
 *
 * Sandbox users (password `password-ok`): `user-ok` (a consent without expiry),
 * `user-consent-days-<d>` (expires d days after it is given), `user-consent-syncs-<n>` (serves n
 * syncs, then expired), `user-revoked` (revoked at the bank after the first sync), `user-api-error`
 * (the institution's API fails). Deny on the consent page declines; not coming back lets the
 * authorization window close.
 */

export const SANDBOX_BANK_PASSWORD = 'password-ok'
/** The data groups the consent page offers, as Open Finance permissions, with the products each one covers. */
export const SANDBOX_PERMISSIONS = {
  REGISTRATION_READ: { label: 'Registration data', products: ['IDENTITY'] },
  ACCOUNTS_READ: { label: 'Accounts, balances and transactions', products: ['ACCOUNTS', 'TRANSACTIONS'] },
  CREDIT_CARDS_ACCOUNTS_READ: { label: 'Credit cards', products: ['CREDIT_CARDS'] },
  INVESTMENTS_READ: { label: 'Investments', products: ['INVESTMENTS'] },
} as const
export type SandboxPermission = keyof typeof SANDBOX_PERMISSIONS

const REQUEST_TTL_MS = 10 * 60_000
const CODE_TTL_MS = 60_000
const ACCESS_TOKEN_TTL_MS = 15 * 60_000
const DAY_MS = 86_400_000

interface AuthorizationRequest {
  redirectUri: string
  state: string
  codeChallenge: string
  csrf: string
  expiresAt: number
  user: string | null
}

interface Consent {
  id: string
  user: string
  permissions: SandboxPermission[]
  createdAt: Date
  expiresAt: Date | null
  revokedAt: Date | null
  syncs: number
}

export type ConsentAnswer =
  | {
      status: 'AUTHORISED' | 'REVOKED' | 'EXPIRED'
      consent: { id: string; permissions: SandboxPermission[]; products: string[]; createdAt: string; expiresAt: string | null; revokedAt: string | null }
    }
  | { status: 'UNAUTHORIZED' }
  | { status: 'FAILING' }

export type BankRefusal = { refused: string }
const random = () => randomBytes(24).toString('base64url')
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

export class SandboxOpenFinanceBank {
  private readonly requests = new Map<string, AuthorizationRequest>()
  private readonly codes = new Map<string, { consentId: string; codeChallenge: string; redirectUri: string; expiresAt: number }>()
  private readonly accessTokens = new Map<string, { consentId: string; expiresAt: number }>()
  private readonly refreshTokens = new Map<string, string>()
  private readonly consents = new Map<string, Consent>()

  constructor(private readonly deps: { clock: Clock; callbackUrl: () => string }) {}

  private now(): number {
    return this.deps.clock.now().getTime()
  }

  /** GET /authorize: a new request, or why it is refused (only Tributary's callback, only S256). */
  authorize(query: Record<string, string | undefined>): { requestId: string; csrf: string } | BankRefusal {
    if (query.response_type !== 'code') return { refused: 'response_type must be code.' }
    if (query.redirect_uri !== this.deps.callbackUrl()) return { refused: 'redirect_uri is not the one registered for this client.' }
    if (!query.state || !query.code_challenge || query.code_challenge_method !== 'S256') return { refused: 'state and an S256 code_challenge are required.' }
    const requestId = random()
    const csrf = random()
    this.requests.set(requestId, { redirectUri: query.redirect_uri, state: query.state, codeChallenge: query.code_challenge, csrf, expiresAt: this.now() + REQUEST_TTL_MS, user: null })
    return { requestId, csrf }
  }

  private request(requestId: string | undefined, csrf: string | undefined): AuthorizationRequest | BankRefusal {
    const request = requestId ? this.requests.get(requestId) : undefined
    if (!request || request.expiresAt <= this.now()) return { refused: 'This authorization request is unknown or expired.' }
    if (!csrf || !same(csrf, request.csrf)) return { refused: 'The form does not carry this request’s CSRF token.' }
    return request
  }

  /** POST /authorize/login: the sandbox user logs in (or gets the form again with `error`). */
  login(form: Record<string, string | undefined>): { ok: true } | { ok: false; error: string } | BankRefusal {
    const request = this.request(form.requestId, form.csrf)
    if ('refused' in request) return request
    if (form.password !== SANDBOX_BANK_PASSWORD || !form.user?.startsWith('user-')) return { ok: false, error: 'Wrong user or password. Sandbox users start with user-; the password is password-ok.' }
    request.user = form.user
    return { ok: true }
  }

  /** POST /authorize/decision: where the user's browser goes next (Tributary's callback). */
  decide(form: Record<string, string | string[] | undefined>): { redirect: string } | BankRefusal {
    const request = this.request(first(form.requestId), first(form.csrf))
    if ('refused' in request) return request
    if (!request.user) return { refused: 'Log in before deciding.' }
    this.requests.delete(first(form.requestId)!)
    const back = new URL(request.redirectUri)
    back.searchParams.set('state', request.state)
    const permissions = [form.permissions ?? []].flat().filter((p): p is SandboxPermission => Object.hasOwn(SANDBOX_PERMISSIONS, p))
    if (first(form.decision) !== 'approve' || permissions.length === 0) {
      back.searchParams.set('error', 'access_denied')
      back.searchParams.set('error_description', 'The user declined to share data.')
      return { redirect: back.href }
    }
    const createdAt = new Date(this.now())
    const days = /^user-consent-days-(\d+)$/.exec(request.user)
    const consent: Consent = {
      id: randomBytes(8).toString('hex'),
      user: request.user,
      permissions,
      createdAt,
      expiresAt: days ? new Date(createdAt.getTime() + Number(days[1]) * DAY_MS) : null,
      revokedAt: null,
      syncs: 0,
    }
    this.consents.set(consent.id, consent)
    const code = random()
    this.codes.set(code, { consentId: consent.id, codeChallenge: request.codeChallenge, redirectUri: request.redirectUri, expiresAt: this.now() + CODE_TTL_MS })
    back.searchParams.set('code', code)
    return { redirect: back.href }
  }

  /** POST /token: authorization_code (with the PKCE verifier) or refresh_token. */
  token(form: Record<string, string | undefined>): { access_token: string; refresh_token: string; token_type: 'Bearer'; expires_in: number } | { error: string } {
    let consentId: string | undefined
    if (form.grant_type === 'authorization_code') {
      const code = form.code ? this.codes.get(form.code) : undefined
      if (form.code) this.codes.delete(form.code)
      const challenge = form.code_verifier ? createHash('sha256').update(form.code_verifier).digest('base64url') : ''
      if (!code || code.expiresAt <= this.now() || code.redirectUri !== form.redirect_uri || !same(challenge, code.codeChallenge)) return { error: 'invalid_grant' }
      consentId = code.consentId
    } else if (form.grant_type === 'refresh_token') {
      consentId = form.refresh_token ? this.refreshTokens.get(form.refresh_token) : undefined
      if (!consentId) return { error: 'invalid_grant' }
      this.refreshTokens.delete(form.refresh_token!)
    } else {
      return { error: 'unsupported_grant_type' }
    }
    const access = random()
    const refresh = random()
    this.accessTokens.set(access, { consentId, expiresAt: this.now() + ACCESS_TOKEN_TTL_MS })
    this.refreshTokens.set(refresh, consentId)
    return { access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_MS / 1000 }
  }

  /** GET /consent with the access token: the consent's state; each read is one sync. */
  readConsent(bearer: string | undefined): ConsentAnswer {
    const token = bearer ? this.accessTokens.get(bearer) : undefined
    const consent = token && token.expiresAt > this.now() ? this.consents.get(token.consentId) : undefined
    if (!consent) return { status: 'UNAUTHORIZED' }
    if (consent.user === 'user-api-error') return { status: 'FAILING' }
    consent.syncs++
    const syncs = /^user-consent-syncs-(\d+)$/.exec(consent.user)
    if (consent.user === 'user-revoked' && consent.syncs > 1 && !consent.revokedAt) consent.revokedAt = new Date(this.now())
    const expired = (consent.expiresAt !== null && consent.expiresAt.getTime() <= this.now()) || (syncs !== null && consent.syncs > Number(syncs[1]))
    const status = consent.revokedAt ? 'REVOKED' : expired ? 'EXPIRED' : 'AUTHORISED'
    return {
      status,
      consent: {
        id: consent.id,
        permissions: consent.permissions,
        products: [...new Set(consent.permissions.flatMap((p) => SANDBOX_PERMISSIONS[p].products))],
        createdAt: consent.createdAt.toISOString(),
        expiresAt: consent.expiresAt?.toISOString() ?? null,
        revokedAt: consent.revokedAt?.toISOString() ?? null,
      },
    }
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

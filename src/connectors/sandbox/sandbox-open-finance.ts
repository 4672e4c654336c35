/**
 * The sandbox Open Finance institution's connector, written only against the public SDK — the
 * example of an Open Finance connector (docs/connectors.md). The institution itself (authorization
 * server, consent page, consent API) is served by Tributary under `/sandbox/open-finance`; this
 * connector reaches it over HTTP like any institution.
 *
 * The first sync (and any sync after the consent ended) sends the user to the institution's page
 * with `ctx.requestUserAuthorization`, exchanges the code with the PKCE verifier, keeps the tokens
 * with `ctx.secrets` and reports the consent; later syncs refresh the tokens and read the consent
 * without the user. A consent revoked or expired at the institution ends the sync
 * USER_AUTHORIZATION_REVOKED and forgets the tokens, so the next update asks for a new consent.
 */
import { defineConnector, siteNotAvailable, userAuthorizationRevoked, type ConnectorContext, type ConnectorDefinition, type Product } from '../sdk/index.ts'
import { logo } from './sandbox-connectors.ts'
import { sandboxProducts } from './sandbox-data-cache.ts'
import { sandboxPaymentInitiation, sandboxPixDebits } from './sandbox-open-finance-payments.ts'

export const SANDBOX_OPEN_FINANCE_CONNECTOR_ID = 8
/** The OAuth client id Tributary has at the sandbox institution. */
const CLIENT_ID = 'tributary-sandbox'
const PRODUCTS: Product[] = ['ACCOUNTS', 'CREDIT_CARDS', 'TRANSACTIONS', 'INVESTMENTS', 'IDENTITY']

interface BankConsent {
  status: 'AUTHORISED' | 'REVOKED' | 'EXPIRED'
  consent: { id: string; permissions: string[]; products: Product[]; createdAt: string; expiresAt: string | null; revokedAt: string | null }
}

export function createSandboxOpenFinanceConnector(options: { institutionUrl: () => string; delayMs: number }): ConnectorDefinition {
  const step = async (ctx: ConnectorContext) => {
    if (options.delayMs > 0) await ctx.sleep(options.delayMs)
  }
  const bank = (path: string) => `${options.institutionUrl()}${path}`

  async function call(ctx: ConnectorContext, path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(bank(path), { ...init, signal: ctx.signal })
    } catch (error) {
      if (ctx.signal.aborted) throw error
      throw siteNotAvailable(undefined, { message: `the sandbox institution did not answer: ${(error as Error).message}`, cause: error })
    }
  }

  async function tokens(ctx: ConnectorContext, form: Record<string, string>): Promise<Record<string, string> | null> {
    const response = await call(ctx, '/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: CLIENT_ID, ...form }).toString(),
    })
    if (response.status === 400) return null
    if (!response.ok) throw siteNotAvailable(`token endpoint answered ${response.status}`)
    const body = (await response.json()) as { access_token: string; refresh_token: string }
    return { accessToken: body.access_token, refreshToken: body.refresh_token }
  }

  /** The consent behind the stored tokens (refreshed first), or null when the institution no longer knows them. */
  async function readConsent(ctx: ConnectorContext, stored: Readonly<Record<string, string>>): Promise<BankConsent | null> {
    const fresh = await tokens(ctx, { grant_type: 'refresh_token', refresh_token: stored.refreshToken })
    if (!fresh) return null
    await ctx.secrets.set(fresh)
    const response = await call(ctx, '/consent', { headers: { authorization: `Bearer ${fresh.accessToken}` } })
    if (response.status === 401) return null
    if (!response.ok) throw siteNotAvailable(`consent API answered ${response.status}`)
    return (await response.json()) as BankConsent
  }

  async function report(ctx: ConnectorContext, bankConsent: BankConsent): Promise<void> {
    const { consent } = bankConsent
    await ctx.reportConsent({
      externalId: consent.id,
      products: consent.products,
      permissions: consent.permissions,
      createdAt: new Date(consent.createdAt),
      expiresAt: consent.expiresAt ? new Date(consent.expiresAt) : null,
      revokedAt: consent.revokedAt ? new Date(consent.revokedAt) : null,
    })
  }

  async function connect(ctx: ConnectorContext): Promise<void> {
    const back = await ctx.requestUserAuthorization({
      instructions: 'Log in at Sandbox Open Finance Bank and choose the data to share (sandbox user user-ok, password password-ok).',
      buildUrl: (p) =>
        `${bank('/authorize')}?${new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: p.redirectUri, state: p.state, nonce: p.nonce, code_challenge: p.codeChallenge, code_challenge_method: p.codeChallengeMethod, scope: 'openid consent' })}`,
    })
    // A decline never reaches the connector (the engine ends the sync); any other error is the institution's.
    if (back.params.error || !back.params.code) throw siteNotAvailable(back.params.error_description ?? back.params.error)
    const issued = await tokens(ctx, { grant_type: 'authorization_code', code: back.params.code, code_verifier: back.codeVerifier, redirect_uri: back.redirectUri })
    if (!issued) throw siteNotAvailable('the institution refused the authorization code')
    await ctx.secrets.set(issued)
    const response = await call(ctx, '/consent', { headers: { authorization: `Bearer ${issued.accessToken}` } })
    if (!response.ok) throw siteNotAvailable(`consent API answered ${response.status}`)
    await report(ctx, (await response.json()) as BankConsent)
  }

  const data = (ctx: ConnectorContext) => sandboxProducts({ user: 'user-ok', now: ctx.now(), generation: ctx.item.executions, executionStarts: ctx.item.recentExecutionStarts })

  return defineConnector({
    id: SANDBOX_OPEN_FINANCE_CONNECTOR_ID,
    name: 'Sandbox Open Finance Bank',
    type: 'PERSONAL_BANK',
    country: 'BR',
    oauth: true,
    credentials: [{ name: 'cpf', label: 'CPF', type: 'number', validation: '^\\d{3}\\.?\\d{3}\\.?\\d{3}-?\\d{2}$', validationMessage: 'The CPF must have 11 digits.', placeholder: '000.000.000-00' }],
    hasMFA: false,
    products: PRODUCTS,
    institutionUrl: 'https://sandbox.tributary.invalid/open-finance',
    imageUrl: logo('#0E7490', 'OF'),
    primaryColor: '#0E7490',
    isSandbox: true,
    payments: sandboxPaymentInitiation({ institutionUrl: options.institutionUrl }),

    async login(ctx) {
      await step(ctx)
      const stored = ctx.secrets.get()
      if (!stored) return connect(ctx)
      const consent = await readConsent(ctx, stored)
      if (consent?.status === 'AUTHORISED') return report(ctx, consent)
      if (consent) await report(ctx, consent)
      // Revoked, expired, or unknown to the institution: only the user can give a new consent.
      await ctx.secrets.set(null)
      throw userAuthorizationRevoked(consent ? `consent ${consent.status.toLowerCase()} at the institution` : undefined)
    },
    async fetchAccounts(ctx) {
      await step(ctx)
      return data(ctx).accounts()
    },
    async fetchCreditCards(ctx) {
      await step(ctx)
      return data(ctx).creditCards()
    },
    async fetchTransactions(ctx, collected) {
      await step(ctx)
      const generated = data(ctx).transactions(new Set([...collected.accounts, ...collected.creditCards].map((a) => a.providerId)))
      // Pix payments the payer made at this bank (payment initiation) show on their first account.
      const account = collected.accounts[0]
      const cpf = (ctx.credentials.cpf ?? '').replace(/\D/g, '')
      return account && cpf ? [...generated, ...(await sandboxPixDebits(ctx, options.institutionUrl(), cpf, account.providerId))] : generated
    },
    async fetchInvestments(ctx) {
      await step(ctx)
      return data(ctx).investments()
    },
    async fetchIdentity(ctx) {
      await step(ctx)
      return data(ctx).identity()
    },
  })
}

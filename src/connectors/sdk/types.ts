import type { MfaParameter, SelectOption, UserAction } from '../../domain/lifecycle.ts'
import type { SandboxInstructions } from '../../domain/sandbox-control.ts'
import type { Product } from '../../domain/statuses.ts'
import type { CollectedAccount } from './collected-accounts.ts'
import type { CollectedIdentity } from './collected-identity.ts'
import type { CollectedInvestment, CollectedInvestmentTransaction } from './collected-investments.ts'
import type { CollectedLoan } from './collected-loans.ts'
import type { CollectedOpportunity } from './collected-opportunities.ts'
import type { CollectedAccountStatement } from './collected-statements.ts'
import type { CollectedPaymentData, CollectedTransaction } from './collected-transactions.ts'
import type { PaymentInitiation } from './payment-initiation.ts'

export type { MfaParameter, SelectOption, UserAction, Product }

export const CONNECTOR_TYPES = ['PERSONAL_BANK', 'BUSINESS_BANK', 'INVESTMENT', 'DIGITAL_ECONOMY', 'PAYMENT_ACCOUNT', 'OTHER'] as const
export type ConnectorType = (typeof CONNECTOR_TYPES)[number]

/** A credential field the user fills in (SPEC §3.2). */
export interface CredentialField {
  name: string
  label: string
  type: 'text' | 'password' | 'number' | 'image' | 'select'
  placeholder?: string
  /** A regular expression the whole value must match. */
  validation?: string
  validationMessage?: string
  assistiveText?: string
  optional?: boolean
  /** 1-step MFA: a fresh value is required on every execution (e.g. an authenticator code). */
  mfa?: boolean
  options?: SelectOption[]
}

/** What `askUser` takes: the MFA parameter without `expiresAt`, which the engine sets. */
export type MfaRequest = Omit<MfaParameter, 'expiresAt'>

export interface ConnectorLogger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

export interface ProductWarning {
  code: string
  message: string
  providerMessage?: string
}

/** What the engine gives a connector for one execution. Connectors only do I/O through it. */
export interface ConnectorContext {
  /** The item's credentials, decrypted for this execution only. */
  readonly credentials: Readonly<Record<string, string>>
  /** Products this execution collects (the item's requested products the connector supports). */
  readonly products: readonly Product[]
  /** Aborted when the execution is cancelled (item deleted) or exceeds its deadline. */
  readonly signal: AbortSignal
  readonly log: ConnectorLogger
  /**
   * The item this execution syncs: its id, how many executions it has had (this one included: 1
   * on the first), and when its latest ones started (at most 90, oldest first, this one last).
   * The sandbox institutions make their data move with this history, so that every sync sees
   * what happened since the previous one.
   */
  readonly item: { readonly id: string; readonly executions: number; readonly recentExecutionStarts: readonly Date[] }
  /** True once a trusted-device connector completed MFA for this item (SPEC §2.3). */
  readonly deviceTrusted: boolean
  /** While device authorization is pending: how many executions already ended pending, and since when. */
  readonly authorization: { pendingSince: Date; pendingExecutions: number } | null
  /**
   * Set when this run took the execution over from a worker that stopped: the status it had
   * reached (the engine does not write the earlier steps again), the attempt, and whether the login
   * already passed with the user's MFA answer in this execution — a connector that can log in again
   * without asking (a stateless code check, a session it can restore) should not ask again. A value
   * posted but not yet checked is not "answered": `askUser` returns it without asking the user.
   */
  readonly resume: { fromStatus: string; attempt: number; mfaAnswered: boolean } | null
  /**
   * Sandbox institutions only (`isSandbox`): what the application asked of this execution through
   * the sandbox control API (a forced outcome, a login reset), or null. Other connectors never get it.
   */
  readonly sandbox?: SandboxInstructions | null
  /** The engine's clock; connectors use it instead of `Date.now()` so tests can control time. */
  now(): Date
  /** Waits, or rejects when the execution is cancelled. */
  sleep(ms: number): Promise<void>
  /**
   * 2-step MFA: pauses the execution (`WAITING_USER_INPUT`) until the user sends a value.
   * Resolves with the value; rejects when the MFA times out or the execution is cancelled
   * (let that rejection propagate: the engine ends the execution accordingly).
   * @example const code = await ctx.askUser({ name: 'token', label: 'Code from SMS', type: 'number' })
   */
  askUser(request: MfaRequest): Promise<string>
  /**
   * Device authorization: ends this execution as `USER_AUTHORIZATION_PENDING`; the engine starts
   * follow-up executions by itself until the connector logs in or the deadline passes.
   * @example ctx.requestAuthorization({ type: 'APP', instructions: 'Approve in your bank app', expiresAt: null })
   */
  requestAuthorization(userAction: UserAction): never
  /**
   * Open Finance: sends the user to the institution's own authorization page and waits — durably,
   * like `askUser` — until the institution sends the user back (`WAITING_USER_ACTION`). The engine
   * makes the single-use `state`, a `nonce` and a PKCE pair, and gives them to `buildUrl`; it
   * resolves with the return's query parameters and the PKCE verifier to exchange the code with.
   * A user who declines, or does not come back before the window ends, ends the execution
   * (`USER_AUTHORIZATION_NOT_GRANTED`): let that rejection propagate. Only an execution someone
   * asked for may send the user; a scheduled sync gets `USER_AUTHORIZATION_REVOKED` instead.
   * @example
   * const back = await ctx.requestUserAuthorization({ buildUrl: (p) => `${BANK}/authorize?${new URLSearchParams({ response_type: 'code', client_id: ID, redirect_uri: p.redirectUri, state: p.state, nonce: p.nonce, code_challenge: p.codeChallenge, code_challenge_method: p.codeChallengeMethod })}` })
   * if (back.params.error) throw siteNotAvailable(back.params.error_description)
   */
  requestUserAuthorization(request: UserAuthorizationRequest): Promise<UserAuthorizationResult>
  /**
   * The item's own secrets (the tokens an institution issued), kept encrypted with the credentials
   * and never returned by the API: `get` what an earlier execution stored, `set` to replace them
   * (null erases them).
   */
  readonly secrets: ItemSecrets
  /** Reports the consent the institution granted (or its revocation): `GET /consents` and `item.consentExpiresAt` show it. */
  reportConsent(consent: ConsentReport): Promise<void>
  /** Adds a warning to a product's `statusDetail` without failing it. */
  warn(product: Product, warning: ProductWarning): void
}

/** What the engine gives `buildUrl` (OAuth 2.0 authorization code with PKCE, RFC 7636). */
export interface AuthorizationUrlParams {
  /** Tributary's callback: where the institution must send the user back. */
  redirectUri: string
  /** Single-use, bound to this execution; the institution returns it unchanged. */
  state: string
  nonce: string
  codeChallenge: string
  codeChallengeMethod: 'S256'
}

export interface UserAuthorizationRequest {
  buildUrl(params: AuthorizationUrlParams): string
  /** What the user is told; a default sentence when not given. */
  instructions?: string
}

export interface UserAuthorizationResult {
  /** The return's query parameters but `state`: `code`, or `error` and `error_description`. */
  params: Readonly<Record<string, string>>
  /** The PKCE verifier whose challenge went in the URL. */
  codeVerifier: string
  nonce: string
  redirectUri: string
}

export interface ItemSecrets {
  get(): Readonly<Record<string, string>> | null
  set(secrets: Record<string, string> | null): Promise<void>
}

/** A consent as the institution reports it (the reference's `Consent`, SPEC §7.4). */
export interface ConsentReport {
  /** The institution's own id of the consent: a report with the same id updates it. */
  externalId: string
  products: Product[]
  /** Open Finance permissions granted, e.g. `ACCOUNTS_READ`. */
  permissions: string[]
  createdAt: Date
  expiresAt: Date | null
  revokedAt?: Date | null
}

/** What earlier steps of the execution collected, for steps that build on them. */
export interface Collected {
  accounts: CollectedAccount[]
  creditCards: CollectedAccount[]
  transactions: CollectedTransaction[]
  investments: CollectedInvestment[]
}

export interface ConnectorDefinition {
  id: number
  name: string
  type: ConnectorType
  country: string
  credentials: CredentialField[]
  /** 2-step MFA: the connector asks for a value after the first login step. */
  hasMFA: boolean
  products: Product[]
  /** After one successful MFA execution the device is trusted and later executions skip MFA. */
  trustsDevice?: boolean
  /**
   * Open Finance: the user connects at the institution's own page (`requestUserAuthorization`),
   * not with a password; shown as `oauth: true` and `isOpenFinance: true`.
   */
  oauth?: boolean
  /**
   * The engine keeps each product this connector collects durably, with the step after it, so that
   * an execution taken over by another worker does not collect it again (worth it for institutions
   * that are slow to collect from; it costs a write of the collected data per product).
   */
  checkpoints?: boolean
  institutionUrl?: string
  imageUrl?: string
  primaryColor?: string
  /**
   * The connector reaches no real institution (a sandbox bank, a test double): it is listed as a
   * sandbox institution, and TRIBUTARY_CONNECTOR_CONCURRENCY, which protects an institution from
   * too many sessions at once, does not apply to it.
   */
  isSandbox?: boolean
  /** Payment initiation at this institution (the payer's bank of Pix payments); see payment-initiation.ts. */
  payments?: PaymentInitiation
  /** Logs in; throws a typed error on failure; may call `askUser` or `requestAuthorization`. */
  login(ctx: ConnectorContext): Promise<void>
  fetchAccounts?(ctx: ConnectorContext): Promise<CollectedAccount[]>
  fetchCreditCards?(ctx: ConnectorContext): Promise<CollectedAccount[]>
  fetchTransactions?(ctx: ConnectorContext, collected: Collected): Promise<CollectedTransaction[]>
  fetchInvestments?(ctx: ConnectorContext): Promise<CollectedInvestment[]>
  fetchInvestmentTransactions?(ctx: ConnectorContext, collected: Collected): Promise<CollectedInvestmentTransaction[]>
  fetchPaymentData?(ctx: ConnectorContext, collected: Collected): Promise<CollectedPaymentData[]>
  fetchIdentity?(ctx: ConnectorContext): Promise<CollectedIdentity>
  fetchOpportunities?(ctx: ConnectorContext): Promise<CollectedOpportunity[]>
  fetchLoans?(ctx: ConnectorContext): Promise<CollectedLoan[]>
  /** The months with a statement, per account collected earlier in the execution. */
  fetchAccountStatements?(ctx: ConnectorContext, collected: Collected): Promise<CollectedAccountStatement[]>
  /**
   * Called once collection is over, while the execution is MERGING and before the data is
   * stored: close the session at the institution. A failure here is logged, never the outcome.
   */
  logout?(ctx: ConnectorContext): Promise<void>
}

/** The fetch function each product needs. */
export const PRODUCT_FETCHER = {
  ACCOUNTS: 'fetchAccounts',
  CREDIT_CARDS: 'fetchCreditCards',
  TRANSACTIONS: 'fetchTransactions',
  INVESTMENTS: 'fetchInvestments',
  INVESTMENTS_TRANSACTIONS: 'fetchInvestmentTransactions',
  PAYMENT_DATA: 'fetchPaymentData',
  IDENTITY: 'fetchIdentity',
  OPPORTUNITIES: 'fetchOpportunities',
  LOANS: 'fetchLoans',
  ACCOUNT_STATEMENTS: 'fetchAccountStatements',
} as const satisfies Record<Product, keyof ConnectorDefinition>

/** Where Tributary receives the user back from an institution's authorization page, under its public URL. */
export const OAUTH_CALLBACK_PATH = '/oauth/callback'

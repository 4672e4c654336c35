import type { ConnectorOutcome } from '../../domain/lifecycle.ts'
import type { Product } from '../../domain/statuses.ts'

/**
 * The typed failure a connector throws to end an execution with a given outcome.
 * Throw it through the factories below, e.g. `throw invalidCredentials('Senha incorreta')`.
 */
export class ConnectorError extends Error {
  readonly outcome: ConnectorOutcome
  readonly providerMessage?: string
  readonly retryable: boolean

  constructor(outcome: ConnectorOutcome, options: { message?: string; providerMessage?: string; retryable?: boolean; cause?: unknown } = {}) {
    super(options.message ?? outcome, { cause: options.cause })
    this.name = 'ConnectorError'
    this.outcome = outcome
    this.providerMessage = options.providerMessage
    this.retryable = options.retryable ?? false
  }
}

/**
 * Thrown inside a `fetch<Product>` function: that product failed, the others go on, and the
 * execution ends `PARTIAL_SUCCESS` with the product's `statusDetail.isUpdated: false`.
 */
export class ProductError extends Error {
  readonly product?: Product
  readonly providerMessage?: string
  constructor(message: string, options: { providerMessage?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'ProductError'
    this.providerMessage = options.providerMessage
  }
}

const make =
  (outcome: ConnectorOutcome) =>
  (providerMessage?: string, options: { message?: string; cause?: unknown } = {}) =>
    new ConnectorError(outcome, { providerMessage, ...options })

/** Wrong user credentials → `LOGIN_ERROR` / `INVALID_CREDENTIALS`. */
export const invalidCredentials = make('INVALID_CREDENTIALS')
/** Wrong or expired MFA value → `LOGIN_ERROR` / `INVALID_CREDENTIALS_MFA`. */
export const invalidCredentialsMfa = make('INVALID_CREDENTIALS_MFA')
/** The institution locked the account → `LOGIN_ERROR` / `ACCOUNT_LOCKED`. */
export const accountLocked = make('ACCOUNT_LOCKED')
/** The institution demands a credential reset → `LOGIN_ERROR` / `ACCOUNT_CREDENTIALS_RESET`. */
export const accountCredentialsReset = make('ACCOUNT_CREDENTIALS_RESET')
/** This kind of account is not supported → `LOGIN_ERROR` / `USER_NOT_SUPPORTED`. */
export const userNotSupported = make('USER_NOT_SUPPORTED')
/** The user revoked consent at the institution → `LOGIN_ERROR` / `USER_AUTHORIZATION_REVOKED`. */
export const userAuthorizationRevoked = make('USER_AUTHORIZATION_REVOKED')
/** Institution down or in maintenance → `OUTDATED` / `SITE_NOT_AVAILABLE`. */
export const siteNotAvailable = make('SITE_NOT_AVAILABLE')
/** The institution could not be reached → `OUTDATED` / `CONNECTION_ERROR`. */
export const connectionError = make('CONNECTION_ERROR')
/** Another session is open at the institution → `OUTDATED` / `ALREADY_LOGGED_IN`. */
export const alreadyLoggedIn = make('ALREADY_LOGGED_IN')
/** The user must act at the institution (accept terms, …) → `OUTDATED` / `ACCOUNT_NEEDS_ACTION`. */
export const accountNeedsAction = make('ACCOUNT_NEEDS_ACTION')
/** Anything else the connector understands as fatal → `OUTDATED` / `ERROR`. */
export const unexpectedError = make('ERROR')

/** One product failed; the execution goes on (→ `PARTIAL_SUCCESS`). */
export function productFailed(message: string, providerMessage?: string): ProductError {
  return new ProductError(message, { providerMessage })
}

/**
 * The five sandbox institutions of SPEC §4: deterministic banks for local development, CI and
 * demos. The `user` credential chooses the scenario (see {@link parseSandboxUser}); the password
 * is always `password-ok` and every MFA value `123456`.
 *
 * Every step (login and each fetch) first waits `delayMs` (TRIBUTARY_SANDBOX_DELAY_MS) through
 * `ctx.sleep`, so a person can watch the progress and cancellation interrupts the wait.
 */
import {
  accountCredentialsReset,
  accountLocked,
  accountNeedsAction,
  alreadyLoggedIn,
  connectionError,
  defineConnector,
  invalidCredentials,
  invalidCredentialsMfa,
  productFailed,
  siteNotAvailable,
  unexpectedError,
  userAuthorizationRevoked,
  userNotSupported,
  type CollectedAccount,
  type ConnectorContext,
  type ConnectorDefinition,
  type CredentialField,
  type MfaRequest,
  type Product,
} from '../sdk/index.ts'
import { sandboxProducts, type SandboxProducts } from './sandbox-data-cache.ts'
import { MAX_TRANSACTION_MULTIPLIER } from './data/sandbox-user.ts'

export const SANDBOX_PASSWORD = 'password-ok'
export const SANDBOX_MFA_CODE = '123456'


/** The largest `k` of `user-auth-pending-<k>` taken literally; larger values are capped. */
export const MAX_AUTH_PENDING_EXECUTIONS = 1000

/** Institution words for `user-account-need-actions-provider-message`. */
export const SANDBOX_NEEDS_ACTION_PROVIDER_MESSAGE =
  'Para continuar, acesse o app do Sandbox Bank e aceite os novos termos de uso da sua conta.'

const PRODUCTS: Product[] = [
  'ACCOUNTS',
  'CREDIT_CARDS',
  'TRANSACTIONS',
  'INVESTMENTS',
  'INVESTMENTS_TRANSACTIONS',
  'PAYMENT_DATA',
  'IDENTITY',
  'OPPORTUNITIES',
]

/** What a sandbox `user` value asks for (SPEC §4). */
export type SandboxScenario =
  | { kind: 'ok'; transactionMultiplier: number }
  | { kind: 'account-warning' }
  | { kind: 'account-error' }
  | { kind: 'merge-error' }
  | { kind: 'fail'; error: () => Error }
  /** Connector 3 only: the first `executions` executions end pending. */
  | { kind: 'auth-pending'; executions: number }
  /** Connector 3 only: authorization is never granted. */
  | { kind: 'auth-denied' }
  | { kind: 'invalid' }

const FAILURES: Record<string, () => Error> = {
  'user-logged': () => alreadyLoggedIn(),
  'user-locked': () => accountLocked(),
  'user-error': () => unexpectedError(),
  'user-unavailable': () => siteNotAvailable(),
  'user-connection-error': () => connectionError(),
  'user-account-need-actions': () => accountNeedsAction(),
  'user-account-need-actions-provider-message': () => accountNeedsAction(SANDBOX_NEEDS_ACTION_PROVIDER_MESSAGE),
  'user-account-credentials-reset': () => accountCredentialsReset(),
  'user-not-supported': () => userNotSupported(),
  'user-auth-revoked': () => userAuthorizationRevoked(),
}

/**
 * The scenario a `user` value chooses. The device-authorization users (`user-auth-pending-<k>`,
 * `user-auth-denied`) exist only on connector 3 (`appAuthorization: true`); elsewhere, like any
 * unknown user, they are `invalid`.
 */
export function parseSandboxUser(user: string, options: { appAuthorization?: boolean } = {}): SandboxScenario {
  switch (user) {
    case 'user-ok':
      return options.appAuthorization ? { kind: 'auth-pending', executions: 1 } : { kind: 'ok', transactionMultiplier: 1 }
    case 'user-ok-account-warning':
      return { kind: 'account-warning' }
    case 'user-ok-account-error':
      return { kind: 'account-error' }
    case 'user-merge-error':
      return { kind: 'merge-error' }
  }
  const failure = FAILURES[user]
  if (failure) return { kind: 'fail', error: failure }
  const perf = /^user-ok-perf-(\d{1,9})$/.exec(user)
  if (perf) return { kind: 'ok', transactionMultiplier: Math.min(Number(perf[1]), MAX_TRANSACTION_MULTIPLIER) }
  if (options.appAuthorization) {
    const pending = /^user-auth-pending-(\d{1,9})$/.exec(user)
    if (pending) return { kind: 'auth-pending', executions: Math.min(Number(pending[1]), MAX_AUTH_PENDING_EXECUTIONS) }
    if (user === 'user-auth-denied') return { kind: 'auth-denied' }
  }
  return { kind: 'invalid' }
}

// ---------------------------------------------------------------------------------------------
// Credential fields

const USER_FIELD: CredentialField = {
  name: 'user',
  label: 'User',
  type: 'text',
  placeholder: 'user-ok',
  assistiveText: 'Use user-ok for a successful sync; other sandbox users (user-locked, user-error, …) simulate failures.',
}

const PASSWORD_FIELD: CredentialField = {
  name: 'password',
  label: 'Password',
  type: 'password',
  placeholder: 'password-ok',
  assistiveText: 'The sandbox accepts only password-ok.',
}

const TOKEN_VALIDATION = '^\\d{6}$'
const TOKEN_VALIDATION_MESSAGE = 'The code must have exactly 6 digits.'

const TOKEN_FIELD: CredentialField = {
  name: 'token',
  label: 'Authenticator code',
  type: 'number',
  placeholder: '123456',
  validation: TOKEN_VALIDATION,
  validationMessage: TOKEN_VALIDATION_MESSAGE,
  assistiveText: 'The 6-digit code from your authenticator app. In the sandbox it is always 123456; send it again on every update.',
  mfa: true,
}

/** What connectors 2 and 4 ask after the password was accepted. */
export const SANDBOX_MFA_REQUEST: MfaRequest = {
  name: 'token',
  label: 'Code sent by SMS',
  type: 'number',
  placeholder: '123456',
  validation: TOKEN_VALIDATION,
  validationMessage: TOKEN_VALIDATION_MESSAGE,
  assistiveText: 'Type the 6-digit code the bank sent to your phone. In the sandbox it is always 123456.',
}

export const SANDBOX_AUTHORIZATION_INSTRUCTIONS = 'Open the Sandbox Bank app and approve the access request.'

// ---------------------------------------------------------------------------------------------
// Connectors

type LoginFlow = 'none' | 'mfa-1-step' | 'mfa-2-step' | 'app-authorization' | 'trusted-device'

interface SandboxSpec {
  id: number
  name: string
  flow: LoginFlow
  primaryColor: string
}

const SPECS: readonly SandboxSpec[] = [
  { id: 0, name: 'Sandbox Bank', flow: 'none', primaryColor: '#0F766E' },
  { id: 1, name: 'Sandbox Bank MFA 1-step', flow: 'mfa-1-step', primaryColor: '#1D4ED8' },
  { id: 2, name: 'Sandbox Bank MFA 2-step', flow: 'mfa-2-step', primaryColor: '#7C3AED' },
  { id: 3, name: 'Sandbox Bank App Authorization', flow: 'app-authorization', primaryColor: '#C2410C' },
  { id: 4, name: 'Sandbox Bank Trusted Device', flow: 'trusted-device', primaryColor: '#BE185D' },
]

/** A small bundled logo (no external URL): a rounded square with the connector's colour. */
function logo(color: string): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" rx="14" fill="${color}"/>` +
    `<text x="32" y="42" font-family="sans-serif" font-size="26" font-weight="700" fill="#fff" text-anchor="middle">SB</text></svg>`
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}

function scenarioOf(ctx: ConnectorContext, flow: LoginFlow): SandboxScenario {
  return parseSandboxUser(ctx.credentials.user ?? '', { appAuthorization: flow === 'app-authorization' })
}

function dataOf(ctx: ConnectorContext, flow: LoginFlow): SandboxProducts {
  const scenario = scenarioOf(ctx, flow)
  return sandboxProducts({
    user: ctx.credentials.user ?? '',
    now: ctx.now(),
    transactionMultiplier: scenario.kind === 'ok' ? scenario.transactionMultiplier : 1,
  })
}

function createSandboxConnector(spec: SandboxSpec, delayMs: number): ConnectorDefinition {
  const { flow } = spec
  const step = async (ctx: ConnectorContext): Promise<void> => {
    if (delayMs > 0) await ctx.sleep(delayMs)
  }

  const credentials: CredentialField[] = [USER_FIELD, PASSWORD_FIELD]
  if (flow === 'mfa-1-step') credentials.push(TOKEN_FIELD)
  const hasMFA = flow === 'mfa-2-step' || flow === 'trusted-device'

  return defineConnector({
    id: spec.id,
    name: spec.name,
    type: 'PERSONAL_BANK',
    country: 'BR',
    credentials,
    hasMFA,
    ...(flow === 'trusted-device' ? { trustsDevice: true } : {}),
    products: [...PRODUCTS],
    institutionUrl: 'https://sandbox.tributary.invalid',
    imageUrl: logo(spec.primaryColor),
    primaryColor: spec.primaryColor,
    isSandbox: true,

    async login(ctx) {
      await step(ctx)
      if (ctx.credentials.password !== SANDBOX_PASSWORD) throw invalidCredentials()
      // 1-step MFA: the code comes with the credentials and is checked with them.
      if (flow === 'mfa-1-step' && ctx.credentials.token !== SANDBOX_MFA_CODE) throw invalidCredentialsMfa()
      const scenario = scenarioOf(ctx, flow)
      switch (scenario.kind) {
        case 'invalid':
          throw invalidCredentials()
        case 'fail':
          throw scenario.error()
        case 'auth-denied':
          ctx.log.info('sandbox: authorization requested, never granted')
          return ctx.requestAuthorization({ type: 'APP_AUTHORIZATION', instructions: SANDBOX_AUTHORIZATION_INSTRUCTIONS, expiresAt: null })
        case 'auth-pending': {
          const done = ctx.authorization?.pendingExecutions ?? 0
          if (done < scenario.executions) {
            ctx.log.info('sandbox: authorization pending', { pendingExecutions: done, until: scenario.executions })
            return ctx.requestAuthorization({ type: 'APP_AUTHORIZATION', instructions: SANDBOX_AUTHORIZATION_INSTRUCTIONS, expiresAt: null })
          }
          return
        }
        default:
          break
      }
      // The sandbox checks a code without a session: a run that took the execution over after the
      // user answered goes on without asking again.
      if ((flow === 'mfa-2-step' || (flow === 'trusted-device' && !ctx.deviceTrusted)) && !ctx.resume?.mfaAnswered) {
        const code = await ctx.askUser(SANDBOX_MFA_REQUEST)
        if (code !== SANDBOX_MFA_CODE) throw invalidCredentialsMfa()
      }
    },

    async fetchAccounts(ctx) {
      await step(ctx)
      const scenario = scenarioOf(ctx, flow)
      const accounts = dataOf(ctx, flow).accounts()
      if (scenario.kind === 'account-warning') {
        ctx.warn('ACCOUNTS', {
          code: 'SANDBOX_ACCOUNT_DATA_INCOMPLETE',
          message: 'Some account details could not be read from the institution; balances may be out of date.',
          providerMessage: 'Alguns dados da conta estão temporariamente indisponíveis.',
        })
      }
      if (scenario.kind === 'merge-error') accounts.push(conflictingCopy(accounts[0]))
      return accounts
    },

    async fetchCreditCards(ctx) {
      await step(ctx)
      const scenario = scenarioOf(ctx, flow)
      if (scenario.kind === 'account-error') {
        throw productFailed('The institution did not return the credit cards.', 'Não foi possível carregar seus cartões no momento.')
      }
      const cards = dataOf(ctx, flow).creditCards()
      // Without the accounts step the conflicting copy travels with the credit cards instead.
      if (scenario.kind === 'merge-error' && !ctx.products.includes('ACCOUNTS')) cards.push(conflictingCopy(cards[0]))
      return cards
    },

    async fetchTransactions(ctx, collected) {
      await step(ctx)
      // Only transactions of accounts collected in this execution, so each one names a known account.
      const accountIds = new Set([...collected.accounts, ...collected.creditCards].map((a) => a.providerId))
      return dataOf(ctx, flow).transactions(accountIds)
    },

    async fetchInvestments(ctx) {
      await step(ctx)
      return dataOf(ctx, flow).investments()
    },

    async fetchInvestmentTransactions(ctx, collected) {
      await step(ctx)
      return dataOf(ctx, flow).investmentTransactions(new Set(collected.investments.map((i) => i.providerId)))
    },

    async fetchPaymentData(ctx, collected) {
      await step(ctx)
      return dataOf(ctx, flow).paymentData(collected.transactions)
    },

    async fetchIdentity(ctx) {
      await step(ctx)
      return dataOf(ctx, flow).identity()
    },

    async fetchOpportunities(ctx) {
      await step(ctx)
      return dataOf(ctx, flow).opportunities()
    },
  })
}

/**
 * `user-merge-error`: the institution reports two different accounts under one id. Collection
 * succeeds, but the store cannot keep both (ids are unique per item), so the merge fails for real
 * and the execution ends MERGE_ERROR with the stored data unchanged.
 */
function conflictingCopy(account: CollectedAccount): CollectedAccount {
  return { ...account, name: `${account.name} (duplicate)`, number: `${account.number}-9`, balance: account.balance + 1 }
}

/** The sandbox connectors 0–4 of SPEC §4. `delayMs` is the wait before every step (0 in tests). */
export function createSandboxConnectors(options: { delayMs: number }): ConnectorDefinition[] {
  const delayMs = Math.max(0, options.delayMs)
  return SPECS.map((spec) => createSandboxConnector(spec, delayMs))
}

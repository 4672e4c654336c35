/**
 * The sandbox institutions: the five of SPEC §4 (ids 0–4, the contract) and the reference's other
 * sandbox flows — a business bank (a company's accounts, CNPJ), joint accounts, and a QR-code
 * login. Deterministic banks for local development, CI and demos. The `user` credential chooses
 * the scenario (see sandbox-scenarios.ts); the password is always `password-ok` and every MFA
 * value `123456`.
 *
 * Every step (login, each fetch, and the logout while MERGING) first waits `delayMs`
 * (TRIBUTARY_SANDBOX_DELAY_MS) through `ctx.sleep`, so a person can watch the progress — every
 * step, MERGING included — and cancellation interrupts the wait.
 */
import {
  defineConnector,
  invalidCredentials,
  invalidCredentialsMfa,
  productFailed,
  sandboxTime,
  type CollectedAccount,
  type ConnectorContext,
  type ConnectorDefinition,
  type ConnectorType,
  type CredentialField,
  type MfaRequest,
  type Product,
} from '../sdk/index.ts'
import type { ProfileKind } from './data/profile.ts'
import { sandboxProducts, type SandboxProducts } from './sandbox-data-cache.ts'
import { customUserProducts } from './custom-user-data.ts'
import { applyTransactionEdits } from './sandbox-transaction-edits.ts'
import { failIfForced, forcedPlan, instructedLogin, outageDelayMs, sendsConflictingData } from './sandbox-instructed.ts'
import { SANDBOX_JOINT_MFA_CODE, SANDBOX_MFA_CODE, SANDBOX_PASSWORD, parseSandboxUser, type SandboxScenario } from './sandbox-scenarios.ts'

export * from './sandbox-scenarios.ts'

const PRODUCTS: Product[] = ['ACCOUNTS', 'CREDIT_CARDS', 'TRANSACTIONS', 'INVESTMENTS', 'INVESTMENTS_TRANSACTIONS', 'PAYMENT_DATA', 'IDENTITY', 'OPPORTUNITIES', 'LOANS', 'ACCOUNT_STATEMENTS']

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

const ACCOUNT_TYPE_FIELD: CredentialField = {
  name: 'accountType',
  label: 'Account',
  type: 'select',
  options: [
    { value: 'single', label: 'Conta única' },
    { value: 'joint', label: 'Conta conjunta' },
  ],
  assistiveText: 'A joint account is confirmed with its second holder’s code: in the sandbox, 000000.',
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
export const SANDBOX_QR_INSTRUCTIONS = 'Open the Sandbox Bank app, choose “Login with QR code” and scan this code.'

// ---------------------------------------------------------------------------------------------
// Connectors

type LoginFlow = 'none' | 'mfa-1-step' | 'mfa-2-step' | 'app-authorization' | 'trusted-device' | 'joint' | 'qr-login'

interface SandboxSpec {
  id: number
  name: string
  flow: LoginFlow
  primaryColor: string
  type?: ConnectorType
  kind?: ProfileKind
}

const SPECS: readonly SandboxSpec[] = [
  { id: 0, name: 'Sandbox Bank', flow: 'none', primaryColor: '#0F766E' },
  { id: 1, name: 'Sandbox Bank MFA 1-step', flow: 'mfa-1-step', primaryColor: '#1D4ED8' },
  { id: 2, name: 'Sandbox Bank MFA 2-step', flow: 'mfa-2-step', primaryColor: '#7C3AED' },
  { id: 3, name: 'Sandbox Bank App Authorization', flow: 'app-authorization', primaryColor: '#C2410C' },
  { id: 4, name: 'Sandbox Bank Trusted Device', flow: 'trusted-device', primaryColor: '#BE185D' },
  { id: 5, name: 'Sandbox Bank Empresas', flow: 'none', primaryColor: '#334155', type: 'BUSINESS_BANK', kind: 'business' },
  { id: 6, name: 'Sandbox Bank Conta Conjunta', flow: 'joint', primaryColor: '#047857' },
  { id: 7, name: 'Sandbox Bank QR Login', flow: 'qr-login', primaryColor: '#A16207' },
]

/** A small bundled logo (no external URL): a rounded square with the connector's colour. */
/** A sandbox institution's logo: its initials on its colour, as a data URL (the Connect page loads nothing from other hosts). */
export function logo(color: string, text = 'SB'): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" rx="14" fill="${color}"/>` +
    `<text x="32" y="42" font-family="sans-serif" font-size="26" font-weight="700" fill="#fff" text-anchor="middle">${text}</text></svg>`
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}

/** The user a flow reads; the QR login needs none (it is user-ok unless one is given). */
function userOf(ctx: ConnectorContext, flow: LoginFlow): string {
  return ctx.credentials.user || (flow === 'qr-login' ? 'user-ok' : '')
}

function scenarioOf(ctx: ConnectorContext, flow: LoginFlow): SandboxScenario {
  return parseSandboxUser(userOf(ctx, flow), { appAuthorization: flow === 'app-authorization' || flow === 'qr-login' })
}

function dataOf(ctx: ConnectorContext, spec: SandboxSpec): SandboxProducts {
  const custom = ctx.sandbox?.customUser
  return custom ? customUserProducts(custom, () => generatedDataOf(ctx, spec)) : generatedDataOf(ctx, spec)
}

function generatedDataOf(ctx: ConnectorContext, spec: SandboxSpec): SandboxProducts {
  const scenario = scenarioOf(ctx, spec.flow)
  // The client's sandbox clock (POST /sandbox/clock) moves the institution's calendar forward.
  const advances = ctx.sandbox?.clockAdvances ?? []
  return sandboxProducts({
    user: userOf(ctx, spec.flow),
    now: sandboxTime(ctx.now(), advances),
    transactionMultiplier: scenario.kind === 'ok' ? scenario.transactionMultiplier : 1,
    generation: ctx.item.executions,
    executionStarts: advances.length > 0 ? ctx.item.recentExecutionStarts.map((start) => sandboxTime(start, advances)) : ctx.item.recentExecutionStarts,
    kind: spec.kind,
    joint: spec.flow === 'joint' && ctx.credentials.accountType === 'joint',
  })
}

function credentialsOf(flow: LoginFlow): CredentialField[] {
  switch (flow) {
    case 'mfa-1-step':
      return [USER_FIELD, PASSWORD_FIELD, TOKEN_FIELD]
    case 'joint':
      return [USER_FIELD, PASSWORD_FIELD, ACCOUNT_TYPE_FIELD, { ...TOKEN_FIELD, assistiveText: 'Single account: 123456. Joint account: the second holder’s code, 000000.' }]
    case 'qr-login':
      return [{ ...USER_FIELD, optional: true, assistiveText: 'Not needed: the login is a QR code scanned in the app. A sandbox user name chooses another scenario.' }]
    default:
      return [USER_FIELD, PASSWORD_FIELD]
  }
}

/** The 1-step code a flow expects with the credentials, if any. */
function expectedToken(ctx: ConnectorContext, flow: LoginFlow): string | null {
  if (flow === 'mfa-1-step') return SANDBOX_MFA_CODE
  if (flow === 'joint') return ctx.credentials.accountType === 'joint' ? SANDBOX_JOINT_MFA_CODE : SANDBOX_MFA_CODE
  return null
}

function createSandboxConnector(spec: SandboxSpec, delayMs: number): ConnectorDefinition {
  const { flow } = spec
  const step = async (ctx: ConnectorContext, product?: Product): Promise<void> => {
    const wait = delayMs + outageDelayMs(ctx)
    if (wait > 0) await ctx.sleep(wait)
    if (product) failIfForced(ctx, product)
  }
  const hasMFA = flow === 'mfa-2-step' || flow === 'trusted-device'
  const authorization = flow === 'qr-login' ? { type: 'qr', instructions: SANDBOX_QR_INSTRUCTIONS } : { type: 'authorize-access', instructions: SANDBOX_AUTHORIZATION_INSTRUCTIONS }

  return defineConnector({
    id: spec.id,
    name: spec.name,
    type: spec.type ?? 'PERSONAL_BANK',
    country: 'BR',
    credentials: credentialsOf(flow),
    hasMFA,
    ...(flow === 'trusted-device' ? { trustsDevice: true } : {}),
    products: [...PRODUCTS],
    institutionUrl: 'https://sandbox.tributary.invalid',
    imageUrl: logo(spec.primaryColor, spec.kind === 'business' ? 'PJ' : 'SB'),
    primaryColor: spec.primaryColor,
    isSandbox: true,

    async login(ctx) {
      await step(ctx)
      // What the application asked through the sandbox control API comes before the user's scenario.
      if (await instructedLogin(ctx, authorization)) return
      if (flow !== 'qr-login' && ctx.credentials.password !== SANDBOX_PASSWORD) throw invalidCredentials()
      // 1-step MFA: the code comes with the credentials and is checked with them.
      const token = expectedToken(ctx, flow)
      if (token !== null && ctx.credentials.token !== token) throw invalidCredentialsMfa()
      const scenario = scenarioOf(ctx, flow)
      const pendingAuthorization = () => {
        const attributes = flow === 'qr-login' ? { qrCode: logo('#111827', `QR${ctx.item.executions}`) } : undefined
        return ctx.requestAuthorization({ ...authorization, expiresAt: null, ...(attributes ? { attributes } : {}) })
      }
      switch (scenario.kind) {
        case 'invalid':
          throw invalidCredentials()
        case 'fail':
          throw scenario.error()
        case 'auth-denied':
          ctx.log.info('sandbox: authorization requested, never granted')
          return pendingAuthorization()
        case 'auth-pending': {
          const done = ctx.authorization?.pendingExecutions ?? 0
          if (done < scenario.executions) {
            ctx.log.info('sandbox: authorization pending', { pendingExecutions: done, until: scenario.executions })
            return pendingAuthorization()
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
      await step(ctx, 'ACCOUNTS')
      const scenario = scenarioOf(ctx, flow)
      const accounts = dataOf(ctx, spec).accounts()
      if (scenario.kind === 'account-warning') {
        ctx.warn('ACCOUNTS', {
          code: 'SANDBOX_ACCOUNT_DATA_INCOMPLETE',
          message: 'Some account details could not be read from the institution; balances may be out of date.',
          providerMessage: 'Alguns dados da conta estão temporariamente indisponíveis.',
        })
      }
      if (conflicting(ctx, scenario)) accounts.push(conflictingCopy(accounts[0]))
      return accounts
    },

    async fetchCreditCards(ctx) {
      await step(ctx, 'CREDIT_CARDS')
      const scenario = scenarioOf(ctx, flow)
      if (scenario.kind === 'account-error' && !forcedPlan(ctx)) {
        throw productFailed('The institution did not return the credit cards.', 'Não foi possível carregar seus cartões no momento.')
      }
      const cards = dataOf(ctx, spec).creditCards()
      // Without the accounts step the conflicting copy travels with the credit cards instead.
      if (conflicting(ctx, scenario) && !ctx.products.includes('ACCOUNTS')) cards.push(conflictingCopy(cards[0]))
      return cards
    },

    async fetchTransactions(ctx, collected) {
      await step(ctx, 'TRANSACTIONS')
      // Only transactions of accounts collected in this execution, so each one names a known account.
      const accounts = accountIdsOf(collected)
      const transactions = dataOf(ctx, spec).transactions(accounts)
      return ctx.sandbox?.transactionEdits.length ? applyTransactionEdits(transactions, ctx.sandbox.transactionEdits, accounts) : transactions
    },

    async fetchInvestments(ctx) {
      await step(ctx, 'INVESTMENTS')
      return dataOf(ctx, spec).investments()
    },

    async fetchInvestmentTransactions(ctx, collected) {
      await step(ctx, 'INVESTMENTS_TRANSACTIONS')
      return dataOf(ctx, spec).investmentTransactions(new Set(collected.investments.map((i) => i.providerId)))
    },

    async fetchPaymentData(ctx, collected) {
      await step(ctx, 'PAYMENT_DATA')
      return dataOf(ctx, spec).paymentData(collected.transactions)
    },

    async fetchIdentity(ctx) {
      await step(ctx, 'IDENTITY')
      return dataOf(ctx, spec).identity()
    },

    async fetchOpportunities(ctx) {
      await step(ctx, 'OPPORTUNITIES')
      return dataOf(ctx, spec).opportunities()
    },

    async fetchLoans(ctx) {
      await step(ctx, 'LOANS')
      return dataOf(ctx, spec).loans()
    },

    async fetchAccountStatements(ctx, collected) {
      await step(ctx, 'ACCOUNT_STATEMENTS')
      return dataOf(ctx, spec).accountStatements(accountIdsOf(collected))
    },

    async logout(ctx) {
      await step(ctx)
    },
  })
}

/** The institution sends an account twice: `user-merge-error`, or a forced MERGE_ERROR (which replaces the scenario). */
function conflicting(ctx: ConnectorContext, scenario: SandboxScenario): boolean {
  return forcedPlan(ctx) ? sendsConflictingData(ctx) : scenario.kind === 'merge-error'
}

function accountIdsOf(collected: { accounts: CollectedAccount[]; creditCards: CollectedAccount[] }): Set<string> {
  return new Set([...collected.accounts, ...collected.creditCards].map((a) => a.providerId))
}

/**
 * `user-merge-error`: the institution reports two different accounts under one id. Collection
 * succeeds, but the store cannot keep both (ids are unique per item), so the merge fails for real
 * and the execution ends MERGE_ERROR with the stored data unchanged.
 */
function conflictingCopy(account: CollectedAccount): CollectedAccount {
  return { ...account, name: `${account.name} (duplicate)`, number: `${account.number}-9`, balance: account.balance + 1 }
}

/** The sandbox institutions. `delayMs` is the wait before every step (0 in tests). */
export function createSandboxConnectors(options: { delayMs: number }): ConnectorDefinition[] {
  const delayMs = Math.max(0, options.delayMs)
  return SPECS.map((spec) => createSandboxConnector(spec, delayMs))
}

/**
 * Test support for the sandbox connector tests: a ConnectorContext without an engine, and a run of
 * login then every product's fetch in step order, as the engine does. Used by tests only.
 */
import {
  ConnectorError,
  PRODUCT_FETCHER,
  ProductError,
  type Collected,
  type CollectedAccount,
  type CollectedIdentity,
  type CollectedInvestment,
  type CollectedInvestmentTransaction,
  type CollectedLoan,
  type CollectedOpportunity,
  type CollectedAccountStatement,
  type CollectedPaymentData,
  type CollectedTransaction,
  type ConnectorContext,
  type ConnectorDefinition,
  type MfaRequest,
  type Product,
  type ProductWarning,
  type UserAction,
} from '../sdk/index.ts'

export const NOW = new Date('2026-03-15T14:30:00.000Z')

/** Thrown by the test context's requestAuthorization, standing in for the engine's marker. */
export class AuthorizationRequested extends Error {
  constructor(readonly userAction: UserAction) {
    super('authorization requested')
  }
}

interface TestContextOptions {
  credentials: Record<string, string>
  products?: Product[]
  deviceTrusted?: boolean
  pendingExecutions?: number | null
  /** The item's executions, this one included (default 1), and when the latest started (default: now). */
  executions?: number
  executionStarts?: Date[]
  now?: Date
  /** What askUser answers; undefined → askUser fails the test. */
  answer?: string
}

export interface TestContext extends ConnectorContext {
  asked: MfaRequest[]
  warnings: { product: Product; warning: ProductWarning }[]
  sleeps: number[]
}

export function makeContext(options: TestContextOptions): TestContext {
  const asked: MfaRequest[] = []
  const warnings: { product: Product; warning: ProductWarning }[] = []
  const sleeps: number[] = []
  const now = options.now ?? NOW
  const noop = () => {}
  return {
    credentials: options.credentials,
    products: options.products ?? (Object.keys(PRODUCT_FETCHER) as Product[]),
    signal: new AbortController().signal,
    log: { info: noop, warn: noop, error: noop },
    item: { id: '00000000-0000-4000-8000-000000000000', executions: options.executions ?? 1, recentExecutionStarts: options.executionStarts ?? [now] },
    deviceTrusted: options.deviceTrusted ?? false,
    authorization: options.pendingExecutions == null ? null : { pendingSince: new Date(now.getTime() - 60_000), pendingExecutions: options.pendingExecutions },
    resume: null,
    now: () => new Date(now.getTime()),
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    askUser: async (request) => {
      asked.push(request)
      if (options.answer === undefined) throw new Error(`unexpected askUser(${request.name})`)
      return options.answer
    },
    requestAuthorization: (userAction) => {
      throw new AuthorizationRequested(userAction)
    },
    warn: (product, warning) => {
      warnings.push({ product, warning })
    },
    requestUserAuthorization: async () => {
      throw new Error('unexpected requestUserAuthorization()')
    },
    secrets: { get: () => null, set: async () => {} },
    reportConsent: async () => {},
    asked,
    warnings,
    sleeps,
  }
}

export interface RunResult {
  accounts: CollectedAccount[]
  creditCards: CollectedAccount[]
  transactions: CollectedTransaction[]
  investments: CollectedInvestment[]
  investmentTransactions: CollectedInvestmentTransaction[]
  paymentData: CollectedPaymentData[]
  identity: CollectedIdentity | null
  opportunities: CollectedOpportunity[]
  loans: CollectedLoan[]
  accountStatements: CollectedAccountStatement[]
  failed: Product[]
}

/** Runs login, every product's fetch in step order, then the logout, as the engine does. */
export async function run(connector: ConnectorDefinition, ctx: ConnectorContext): Promise<RunResult> {
  await connector.login(ctx)
  const result: RunResult = {
    accounts: [],
    creditCards: [],
    transactions: [],
    investments: [],
    investmentTransactions: [],
    paymentData: [],
    identity: null,
    opportunities: [],
    loans: [],
    accountStatements: [],
    failed: [],
  }
  const collected = (): Collected => ({
    accounts: result.accounts,
    creditCards: result.creditCards,
    transactions: result.transactions,
    investments: result.investments,
  })
  const attempt = async (product: Product, fn: () => Promise<void>) => {
    if (!ctx.products.includes(product)) return
    try {
      await fn()
    } catch (error) {
      if (!(error instanceof ProductError)) throw error
      result.failed.push(product)
    }
  }
  await attempt('ACCOUNTS', async () => void (result.accounts = await connector.fetchAccounts!(ctx)))
  await attempt('CREDIT_CARDS', async () => void (result.creditCards = await connector.fetchCreditCards!(ctx)))
  await attempt('TRANSACTIONS', async () => void (result.transactions = await connector.fetchTransactions!(ctx, collected())))
  await attempt('INVESTMENTS', async () => void (result.investments = await connector.fetchInvestments!(ctx)))
  await attempt('INVESTMENTS_TRANSACTIONS', async () => void (result.investmentTransactions = await connector.fetchInvestmentTransactions!(ctx, collected())))
  await attempt('PAYMENT_DATA', async () => void (result.paymentData = await connector.fetchPaymentData!(ctx, collected())))
  await attempt('IDENTITY', async () => void (result.identity = await connector.fetchIdentity!(ctx)))
  await attempt('OPPORTUNITIES', async () => void (result.opportunities = await connector.fetchOpportunities!(ctx)))
  await attempt('LOANS', async () => void (result.loans = await connector.fetchLoans!(ctx)))
  await attempt('ACCOUNT_STATEMENTS', async () => void (result.accountStatements = await connector.fetchAccountStatements!(ctx, collected())))
  await connector.logout?.(ctx)
  return result
}

export async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ConnectorError) return error.outcome
    if (error instanceof AuthorizationRequested) return 'PENDING'
    throw error
  }
  return 'LOGGED_IN'
}

export const creds = (user: string, extra: Record<string, string> = {}) => ({ user, password: 'password-ok', ...extra })

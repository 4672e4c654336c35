import { describe, expect, it } from 'vitest'
import {
  ConnectorError,
  PRODUCT_FETCHER,
  ProductError,
  type Collected,
  type CollectedAccount,
  type CollectedIdentity,
  type CollectedInvestment,
  type CollectedInvestmentTransaction,
  type CollectedOpportunity,
  type CollectedPaymentData,
  type CollectedTransaction,
  type ConnectorContext,
  type ConnectorDefinition,
  type MfaRequest,
  type Product,
  type ProductWarning,
  type UserAction,
} from '../sdk/index.ts'
import { PRODUCTS } from '../../domain/statuses.ts'
import {
  SANDBOX_AUTHORIZATION_INSTRUCTIONS,
  SANDBOX_NEEDS_ACTION_PROVIDER_MESSAGE,
  createSandboxConnectors,
  parseSandboxUser,
} from './sandbox-connectors.ts'
import { HISTORY_DAYS, PENDING_DAYS, createSandboxData, generateSandboxData } from './sandbox-data.ts'

const NOW = new Date('2026-03-15T14:30:00.000Z')

/** Thrown by the test context's requestAuthorization, standing in for the engine's marker. */
class AuthorizationRequested extends Error {
  constructor(readonly userAction: UserAction) {
    super('authorization requested')
  }
}

interface TestContextOptions {
  credentials: Record<string, string>
  products?: Product[]
  deviceTrusted?: boolean
  pendingExecutions?: number | null
  now?: Date
  /** What askUser answers; undefined → askUser fails the test. */
  answer?: string
}

interface TestContext extends ConnectorContext {
  asked: MfaRequest[]
  warnings: { product: Product; warning: ProductWarning }[]
  sleeps: number[]
}

function makeContext(options: TestContextOptions): TestContext {
  const asked: MfaRequest[] = []
  const warnings: { product: Product; warning: ProductWarning }[] = []
  const sleeps: number[] = []
  const now = options.now ?? NOW
  const noop = () => {}
  return {
    credentials: options.credentials,
    products: options.products ?? [...PRODUCTS],
    signal: new AbortController().signal,
    log: { info: noop, warn: noop, error: noop },
    deviceTrusted: options.deviceTrusted ?? false,
    authorization:
      options.pendingExecutions == null ? null : { pendingSince: new Date(now.getTime() - 60_000), pendingExecutions: options.pendingExecutions },
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
    asked,
    warnings,
    sleeps,
  }
}

interface RunResult {
  accounts: CollectedAccount[]
  creditCards: CollectedAccount[]
  transactions: CollectedTransaction[]
  investments: CollectedInvestment[]
  investmentTransactions: CollectedInvestmentTransaction[]
  paymentData: CollectedPaymentData[]
  identity: CollectedIdentity | null
  opportunities: CollectedOpportunity[]
  failed: Product[]
}

/** Runs login then every product's fetch in step order, as the engine does. */
async function run(connector: ConnectorDefinition, ctx: ConnectorContext): Promise<RunResult> {
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
  await attempt(
    'INVESTMENTS_TRANSACTIONS',
    async () => void (result.investmentTransactions = await connector.fetchInvestmentTransactions!(ctx, collected())),
  )
  await attempt('PAYMENT_DATA', async () => void (result.paymentData = await connector.fetchPaymentData!(ctx, collected())))
  await attempt('IDENTITY', async () => void (result.identity = await connector.fetchIdentity!(ctx)))
  await attempt('OPPORTUNITIES', async () => void (result.opportunities = await connector.fetchOpportunities!(ctx)))
  return result
}

async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ConnectorError) return error.outcome
    if (error instanceof AuthorizationRequested) return 'PENDING'
    throw error
  }
  return 'LOGGED_IN'
}

const connectors = createSandboxConnectors({ delayMs: 0 })
const [bank, mfa1, mfa2, appAuth, trusted] = connectors
const creds = (user: string, extra: Record<string, string> = {}) => ({ user, password: 'password-ok', ...extra })

describe('sandbox connector definitions', () => {
  it('declares connectors 0–4 as SPEC §4 names them', () => {
    expect(connectors.map((c) => [c.id, c.name])).toEqual([
      [0, 'Sandbox Bank'],
      [1, 'Sandbox Bank MFA 1-step'],
      [2, 'Sandbox Bank MFA 2-step'],
      [3, 'Sandbox Bank App Authorization'],
      [4, 'Sandbox Bank Trusted Device'],
    ])
    for (const c of connectors) {
      expect(c.type).toBe('PERSONAL_BANK')
      expect(c.country).toBe('BR')
      expect(c.isSandbox).toBe(true)
      expect([...c.products].sort()).toEqual([...PRODUCTS].sort())
      for (const product of PRODUCTS) expect(typeof c[PRODUCT_FETCHER[product]]).toBe('function')
      expect(c.imageUrl === undefined || c.imageUrl.startsWith('data:')).toBe(true)
      for (const field of c.credentials) {
        expect(field.label.length).toBeGreaterThan(0)
        expect(field.assistiveText?.length ?? 0).toBeGreaterThan(0)
      }
    }
  })

  it('has the credential fields and MFA flags of SPEC §4 and §4a.12', () => {
    const names = (c: ConnectorDefinition) => c.credentials.map((f) => f.name)
    expect(names(bank)).toEqual(['user', 'password'])
    expect(names(mfa1)).toEqual(['user', 'password', 'token'])
    expect(names(mfa2)).toEqual(['user', 'password'])
    expect(names(appAuth)).toEqual(['user', 'password'])
    expect(names(trusted)).toEqual(['user', 'password'])
    expect(bank.credentials.map((f) => f.type)).toEqual(['text', 'password'])
    const token = mfa1.credentials[2]
    expect(token).toMatchObject({ type: 'number', mfa: true, validation: '^\\d{6}$' })
    expect(token.validationMessage).toBeTruthy()
    expect(new RegExp(token.validation!).test('123456')).toBe(true)
    expect(new RegExp(token.validation!).test('12345')).toBe(false)
    expect(connectors.map((c) => c.hasMFA)).toEqual([false, false, true, false, true])
    expect(connectors.map((c) => c.trustsDevice ?? false)).toEqual([false, false, false, false, true])
  })
})

describe('connector 0 (Sandbox Bank): scenarios of SPEC §4', () => {
  const loginCases: [string, string][] = [
    ['user-ok', 'LOGGED_IN'],
    ['user-ok-account-warning', 'LOGGED_IN'],
    ['user-ok-account-error', 'LOGGED_IN'],
    ['user-ok-perf-3', 'LOGGED_IN'],
    ['user-merge-error', 'LOGGED_IN'],
    ['user-logged', 'ALREADY_LOGGED_IN'],
    ['user-locked', 'ACCOUNT_LOCKED'],
    ['user-error', 'ERROR'],
    ['user-unavailable', 'SITE_NOT_AVAILABLE'],
    ['user-connection-error', 'CONNECTION_ERROR'],
    ['user-account-need-actions', 'ACCOUNT_NEEDS_ACTION'],
    ['user-account-need-actions-provider-message', 'ACCOUNT_NEEDS_ACTION'],
    ['user-account-credentials-reset', 'ACCOUNT_CREDENTIALS_RESET'],
    ['user-not-supported', 'USER_NOT_SUPPORTED'],
    ['user-auth-revoked', 'USER_AUTHORIZATION_REVOKED'],
    // Device-authorization users exist only on connector 3.
    ['user-auth-pending-2', 'INVALID_CREDENTIALS'],
    ['user-auth-denied', 'INVALID_CREDENTIALS'],
    ['user-ok-perf-', 'INVALID_CREDENTIALS'],
    ['user-ok-perf-x', 'INVALID_CREDENTIALS'],
    ['someone-else', 'INVALID_CREDENTIALS'],
    ['', 'INVALID_CREDENTIALS'],
  ]
  it.each(loginCases)('login as %s → %s', async (user, expected) => {
    expect(await outcomeOf(bank.login(makeContext({ credentials: creds(user) })))).toBe(expected)
  })

  it('rejects any password but password-ok, before the scenario', async () => {
    for (const user of ['user-ok', 'user-locked', 'user-error', 'nobody']) {
      expect(await outcomeOf(bank.login(makeContext({ credentials: { user, password: 'wrong' } })))).toBe('INVALID_CREDENTIALS')
    }
    expect(await outcomeOf(bank.login(makeContext({ credentials: { user: 'user-ok' } })))).toBe('INVALID_CREDENTIALS')
  })

  it('gives a providerMessage only with the -provider-message suffix', async () => {
    const plain = await bank.login(makeContext({ credentials: creds('user-account-need-actions') })).catch((e: unknown) => e)
    const worded = await bank.login(makeContext({ credentials: creds('user-account-need-actions-provider-message') })).catch((e: unknown) => e)
    expect(plain).toBeInstanceOf(ConnectorError)
    expect((plain as ConnectorError).providerMessage).toBeUndefined()
    expect((worded as ConnectorError).providerMessage).toBe(SANDBOX_NEEDS_ACTION_PROVIDER_MESSAGE)
  })

  it('user-ok collects every product, with no warning and no failure', async () => {
    const ctx = makeContext({ credentials: creds('user-ok') })
    const data = await run(bank, ctx)
    expect(data.failed).toEqual([])
    expect(ctx.warnings).toEqual([])
    expect(data.accounts.map((a) => a.subtype)).toEqual(['CHECKING_ACCOUNT', 'SAVINGS_ACCOUNT'])
    expect(data.accounts.every((a) => a.type === 'BANK' && a.bankData)).toBe(true)
    expect(data.creditCards).toHaveLength(1)
    expect(data.creditCards[0]).toMatchObject({ type: 'CREDIT', subtype: 'CREDIT_CARD' })
    const credit = data.creditCards[0].creditData!
    expect(credit.brand).toBeTruthy()
    expect(credit.creditLimit).toBeGreaterThan(0)
    expect(credit.availableCreditLimit).toBeGreaterThanOrEqual(0)
    expect(credit.balanceCloseDate! <= credit.balanceDueDate!).toBe(true)
    expect(data.transactions.length).toBeGreaterThanOrEqual(25)
    expect(data.transactions.length).toBeLessThanOrEqual(30)
    expect(data.investments.length).toBeGreaterThanOrEqual(2)
    expect(new Set(data.investments.map((i) => i.type)).size).toBe(data.investments.length)
    expect(data.investmentTransactions.length).toBeGreaterThanOrEqual(3)
    expect(data.paymentData.length).toBeGreaterThan(0)
    expect(data.identity).toMatchObject({ documentType: 'CPF' })
    expect(data.identity!.fullName).toBeTruthy()
    expect(data.identity!.emails!.length).toBeGreaterThan(0)
    expect(data.identity!.phoneNumbers!.length).toBeGreaterThan(0)
    expect(data.identity!.addresses!.length).toBeGreaterThan(0)
    expect(data.opportunities).toHaveLength(2)
  })

  it('user-ok-account-warning warns on ACCOUNTS and fails nothing', async () => {
    const ctx = makeContext({ credentials: creds('user-ok-account-warning') })
    const data = await run(bank, ctx)
    expect(data.failed).toEqual([])
    expect(ctx.warnings).toHaveLength(1)
    expect(ctx.warnings[0].product).toBe('ACCOUNTS')
    expect(ctx.warnings[0].warning.code).toBeTruthy()
    expect(ctx.warnings[0].warning.message).toBeTruthy()
    expect(data.accounts.length).toBeGreaterThan(0)
  })

  it('user-ok-account-error fails only the credit cards (PARTIAL_SUCCESS)', async () => {
    const ctx = makeContext({ credentials: creds('user-ok-account-error') })
    const data = await run(bank, ctx)
    expect(data.failed).toEqual(['CREDIT_CARDS'])
    expect(data.accounts.length).toBe(2)
    expect(data.transactions.length).toBeGreaterThan(0)
    expect(data.investments.length).toBeGreaterThan(0)
    expect(data.identity).not.toBeNull()
    expect(data.opportunities.length).toBe(2)
    const accountIds = new Set(data.accounts.map((a) => a.providerId))
    expect(data.transactions.every((t) => accountIds.has(t.accountProviderId))).toBe(true)
  })

  const duplicatedIds = (accounts: { providerId: string }[]) =>
    accounts.map((a) => a.providerId).filter((id, index, all) => all.indexOf(id) !== index)

  it('user-merge-error logs in and collects two different accounts under one id, which no store can keep', async () => {
    const data = await run(bank, makeContext({ credentials: creds('user-merge-error') }))
    expect(data.failed).toEqual([])
    expect(duplicatedIds(data.accounts)).toHaveLength(1)
    const ok = await run(bank, makeContext({ credentials: creds('user-ok') }))
    expect(duplicatedIds([...ok.accounts, ...ok.creditCards])).toEqual([])
  })

  it('user-merge-error carries the conflict on credit cards when accounts are not requested', async () => {
    const data = await run(bank, makeContext({ credentials: creds('user-merge-error'), products: ['CREDIT_CARDS', 'TRANSACTIONS'] }))
    expect(duplicatedIds(data.creditCards)).toHaveLength(1)
  })

  it('every transaction names a collected account', async () => {
    for (const user of ['user-ok', 'user-ok-account-warning', 'user-ok-perf-4', 'user-merge-error']) {
      const data = await run(bank, makeContext({ credentials: creds(user) }))
      const ids = new Set([...data.accounts, ...data.creditCards].map((a) => a.providerId))
      expect(data.transactions.length).toBeGreaterThan(0)
      for (const t of data.transactions) expect(ids.has(t.accountProviderId)).toBe(true)
      const investmentIds = new Set(data.investments.map((i) => i.providerId))
      for (const t of data.investmentTransactions) expect(investmentIds.has(t.investmentProviderId)).toBe(true)
      const txIds = new Set(data.transactions.map((t) => t.providerId))
      for (const p of data.paymentData) expect(txIds.has(p.transactionProviderId)).toBe(true)
    }
  })

  it('waits delayMs before every step, and not at all when it is 0', async () => {
    const slow = createSandboxConnectors({ delayMs: 250 })[0]
    const ctx = makeContext({ credentials: creds('user-ok') })
    await run(slow, ctx)
    expect(ctx.sleeps).toEqual(Array(1 + PRODUCTS.length).fill(250))
    const fast = makeContext({ credentials: creds('user-ok') })
    await run(bank, fast)
    expect(fast.sleeps).toEqual([])
    // A failing login waits too (the institution takes time to answer).
    const failing = makeContext({ credentials: creds('user-locked') })
    await slow.login(failing).catch(() => {})
    expect(failing.sleeps).toEqual([250])
  })
})

describe('connector 1 (MFA 1-step)', () => {
  it('accepts token 123456 with the right password', async () => {
    expect(await outcomeOf(mfa1.login(makeContext({ credentials: creds('user-ok', { token: '123456' }) })))).toBe('LOGGED_IN')
  })
  it('rejects a wrong or missing token with INVALID_CREDENTIALS_MFA', async () => {
    for (const token of ['654321', '12345', '', undefined]) {
      const credentials = token === undefined ? creds('user-ok') : creds('user-ok', { token })
      expect(await outcomeOf(mfa1.login(makeContext({ credentials })))).toBe('INVALID_CREDENTIALS_MFA')
    }
  })
  it('checks the password first', async () => {
    const ctx = makeContext({ credentials: { user: 'user-ok', password: 'nope', token: '000000' } })
    expect(await outcomeOf(mfa1.login(ctx))).toBe('INVALID_CREDENTIALS')
  })
  it('runs the scenarios once the token is right', async () => {
    expect(await outcomeOf(mfa1.login(makeContext({ credentials: creds('user-locked', { token: '123456' }) })))).toBe('ACCOUNT_LOCKED')
    expect(await outcomeOf(mfa1.login(makeContext({ credentials: creds('nobody', { token: '123456' }) })))).toBe('INVALID_CREDENTIALS')
  })
  it('never asks the user', async () => {
    const ctx = makeContext({ credentials: creds('user-ok', { token: '123456' }) })
    await run(mfa1, ctx)
    expect(ctx.asked).toEqual([])
  })
})

describe('connector 2 (MFA 2-step)', () => {
  it('asks for token after the password and accepts 123456', async () => {
    const ctx = makeContext({ credentials: creds('user-ok'), answer: '123456' })
    const data = await run(mfa2, ctx)
    expect(ctx.asked).toHaveLength(1)
    expect(ctx.asked[0]).toMatchObject({ name: 'token', type: 'number', placeholder: '123456', validation: '^\\d{6}$' })
    expect(ctx.asked[0].label).toBeTruthy()
    expect(ctx.asked[0].validationMessage).toBeTruthy()
    expect(ctx.asked[0].assistiveText).toBeTruthy()
    expect(data.transactions.length).toBeGreaterThan(0)
  })
  it('ends INVALID_CREDENTIALS_MFA on a wrong code', async () => {
    const ctx = makeContext({ credentials: creds('user-ok'), answer: '000000' })
    expect(await outcomeOf(mfa2.login(ctx))).toBe('INVALID_CREDENTIALS_MFA')
    expect(ctx.asked.map((r) => r.name)).toEqual(['token'])
  })
  it('does not ask when the password or the scenario fails', async () => {
    const wrong = makeContext({ credentials: { user: 'user-ok', password: 'x' }, answer: '123456' })
    expect(await outcomeOf(mfa2.login(wrong))).toBe('INVALID_CREDENTIALS')
    const locked = makeContext({ credentials: creds('user-locked'), answer: '123456' })
    expect(await outcomeOf(mfa2.login(locked))).toBe('ACCOUNT_LOCKED')
    expect([...wrong.asked, ...locked.asked]).toEqual([])
  })
  it('asks even when a device would be trusted (no trusted-device capability)', async () => {
    const ctx = makeContext({ credentials: creds('user-ok'), answer: '123456', deviceTrusted: true })
    await mfa2.login(ctx)
    expect(ctx.asked).toHaveLength(1)
  })
  it('lets a rejected askUser (timeout, cancellation) propagate', async () => {
    const ctx = makeContext({ credentials: creds('user-ok') })
    await expect(mfa2.login(ctx)).rejects.toThrow(/unexpected askUser/)
  })
})

describe('connector 4 (trusted device)', () => {
  it('asks for token on the first execution', async () => {
    const ctx = makeContext({ credentials: creds('user-ok'), answer: '123456' })
    expect(await outcomeOf(trusted.login(ctx))).toBe('LOGGED_IN')
    expect(ctx.asked.map((r) => r.name)).toEqual(['token'])
    const wrong = makeContext({ credentials: creds('user-ok'), answer: '999999' })
    expect(await outcomeOf(trusted.login(wrong))).toBe('INVALID_CREDENTIALS_MFA')
  })
  it('skips askUser once the device is trusted', async () => {
    const ctx = makeContext({ credentials: creds('user-ok'), deviceTrusted: true })
    const data = await run(trusted, ctx)
    expect(ctx.asked).toEqual([])
    expect(data.accounts.length).toBe(2)
  })
  it('still checks the password and the scenario on a trusted device', async () => {
    expect(await outcomeOf(trusted.login(makeContext({ credentials: { user: 'user-ok', password: 'x' }, deviceTrusted: true })))).toBe(
      'INVALID_CREDENTIALS',
    )
    expect(await outcomeOf(trusted.login(makeContext({ credentials: creds('user-error'), deviceTrusted: true })))).toBe('ERROR')
  })
})

describe('connector 3 (app authorization)', () => {
  const attempt = (user: string, pendingExecutions: number | null) =>
    outcomeOf(appAuth.login(makeContext({ credentials: creds(user), pendingExecutions })))

  it('user-auth-pending-2: pending on executions 1 and 2, authorized on the 3rd', async () => {
    expect(await attempt('user-auth-pending-2', null)).toBe('PENDING')
    expect(await attempt('user-auth-pending-2', 0)).toBe('PENDING')
    expect(await attempt('user-auth-pending-2', 1)).toBe('PENDING')
    expect(await attempt('user-auth-pending-2', 2)).toBe('LOGGED_IN')
    expect(await attempt('user-auth-pending-2', 3)).toBe('LOGGED_IN')
  })

  it('user-auth-pending-0 logs in at once', async () => {
    expect(await attempt('user-auth-pending-0', null)).toBe('LOGGED_IN')
  })

  it('user-ok behaves as user-auth-pending-1', async () => {
    expect(await attempt('user-ok', null)).toBe('PENDING')
    expect(await attempt('user-ok', 1)).toBe('LOGGED_IN')
  })

  it('user-auth-denied is never authorized', async () => {
    for (const n of [null, 0, 1, 5, 100, 10_000]) expect(await attempt('user-auth-denied', n)).toBe('PENDING')
  })

  it('requests APP_AUTHORIZATION with instructions and no expiry', async () => {
    const error = await appAuth.login(makeContext({ credentials: creds('user-auth-pending-1') })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthorizationRequested)
    expect((error as AuthorizationRequested).userAction).toEqual({
      type: 'APP_AUTHORIZATION',
      instructions: SANDBOX_AUTHORIZATION_INSTRUCTIONS,
      expiresAt: null,
    })
  })

  it('checks the password and scenario errors before asking for authorization', async () => {
    expect(await outcomeOf(appAuth.login(makeContext({ credentials: { user: 'user-auth-pending-1', password: 'x' } })))).toBe(
      'INVALID_CREDENTIALS',
    )
    expect(await attempt('user-locked', null)).toBe('ACCOUNT_LOCKED')
    expect(await attempt('user-unavailable', null)).toBe('SITE_NOT_AVAILABLE')
    expect(await attempt('nobody', null)).toBe('INVALID_CREDENTIALS')
  })

  it('other scenario users behave as on connector 0', async () => {
    expect(await attempt('user-ok-account-warning', null)).toBe('LOGGED_IN')
    const data = await run(appAuth, makeContext({ credentials: creds('user-ok-account-error') }))
    expect(data.failed).toEqual(['CREDIT_CARDS'])
  })

  it('collects data once authorized and never asks for a code', async () => {
    const ctx = makeContext({ credentials: creds('user-auth-pending-2'), pendingExecutions: 2 })
    const data = await run(appAuth, ctx)
    expect(ctx.asked).toEqual([])
    expect(data.accounts.length).toBe(2)
    expect(data.transactions.length).toBeGreaterThan(0)
  })
})

describe('sandbox data', () => {
  it('parses the user scenarios', () => {
    expect(parseSandboxUser('user-ok')).toEqual({ kind: 'ok', transactionMultiplier: 1 })
    expect(parseSandboxUser('user-ok-perf-25')).toEqual({ kind: 'ok', transactionMultiplier: 25 })
    expect(parseSandboxUser('user-ok-perf-999999')).toEqual({ kind: 'ok', transactionMultiplier: 5000 })
    expect(parseSandboxUser('user-ok', { appAuthorization: true })).toEqual({ kind: 'auth-pending', executions: 1 })
    expect(parseSandboxUser('user-auth-pending-7', { appAuthorization: true })).toEqual({ kind: 'auth-pending', executions: 7 })
    expect(parseSandboxUser('user-auth-pending-7')).toEqual({ kind: 'invalid' })
  })

  it('is deterministic: same user and same day → deep-equal data', async () => {
    const a = await run(bank, makeContext({ credentials: creds('user-ok') }))
    const later = new Date(NOW.getTime() + 8 * 3_600_000) // 22:30 the same day
    const b = await run(bank, makeContext({ credentials: creds('user-ok'), now: later }))
    expect(b).toEqual(a)
    expect(generateSandboxData({ user: 'user-ok', now: NOW })).toEqual(generateSandboxData({ user: 'user-ok', now: NOW }))
  })

  it('different users get different providerIds', async () => {
    const a = generateSandboxData({ user: 'user-ok', now: NOW })
    const b = generateSandboxData({ user: 'user-ok-account-warning', now: NOW })
    const ids = (d: typeof a) =>
      new Set([
        ...d.accounts.map((x) => x.providerId),
        ...d.creditCards.map((x) => x.providerId),
        ...d.transactions.map((x) => x.providerId),
        ...d.investments.map((x) => x.providerId),
        ...d.opportunities.map((x) => x.providerId),
      ])
    const idsA = ids(a)
    for (const id of ids(b)) expect(idsA.has(id)).toBe(false)
    expect(a.identity.document).not.toBe(b.identity.document)
  })

  it('every providerId is unique within a user', () => {
    const d = generateSandboxData({ user: 'user-ok-perf-20', now: NOW })
    for (const list of [[...d.accounts, ...d.creditCards], d.transactions, d.investments, d.investmentTransactions, d.opportunities]) {
      const ids = list.map((x) => x.providerId)
      expect(new Set(ids).size).toBe(ids.length)
    }
  })

  it('user-ok-perf-10 has 10× the transactions of user-ok', async () => {
    const one = await run(bank, makeContext({ credentials: creds('user-ok') }))
    const ten = await run(bank, makeContext({ credentials: creds('user-ok-perf-10') }))
    expect(one.transactions.length).toBeGreaterThan(0)
    expect(ten.transactions.length).toBe(10 * one.transactions.length)
  })

  it('perf scaling holds on every day of a year', () => {
    const start = Date.UTC(2026, 0, 1)
    for (let i = 0; i < 365; i++) {
      const now = new Date(start + i * 86_400_000)
      const base = createSandboxData({ user: 'user-ok', now }).transactions().length
      expect(createSandboxData({ user: 'user-ok-perf-3', now, transactionMultiplier: 3 }).transactions().length).toBe(3 * base)
      expect(base).toBeGreaterThanOrEqual(24)
      expect(base).toBeLessThanOrEqual(30)
    }
  })

  it('transactions cover the last 90 days, some PENDING, with transfers and card installments', () => {
    const d = generateSandboxData({ user: 'user-ok', now: NOW })
    const today = Date.UTC(2026, 2, 15)
    for (const t of d.transactions) {
      const time = Date.parse(t.date)
      expect(time).toBeLessThanOrEqual(today)
      expect(time).toBeGreaterThan(today - HISTORY_DAYS * 86_400_000)
      expect(t.amount < 0).toBe(t.type === 'DEBIT')
      expect(t.status === 'PENDING').toBe(today - time < PENDING_DAYS * 86_400_000)
    }
    const pending = d.transactions.filter((t) => t.status === 'PENDING')
    expect(pending.length).toBeGreaterThanOrEqual(2)
    expect(pending.length).toBeLessThan(d.transactions.length / 2)
    // Across a few users every kind shows up.
    const many = ['user-ok', 'user-ok-perf-5', 'user-a', 'user-b'].flatMap((user) => generateSandboxData({ user, now: NOW }).transactions)
    const methods = new Set(many.map((t) => t.paymentData?.paymentMethod).filter(Boolean))
    expect(methods.has('PIX')).toBe(true)
    expect(methods.has('TED')).toBe(true)
    expect(many.some((t) => (t.creditCardMetadata?.totalInstallments ?? 0) > 1)).toBe(true)
    expect(many.some((t) => t.merchant?.name)).toBe(true)
    expect(many.some((t) => t.accountProviderId.endsWith('-savings'))).toBe(true)
  })

  it('moves with time: pending transactions post under the same id, and the window slides', () => {
    const day = 86_400_000
    const before = createSandboxData({ user: 'user-ok', now: NOW }).transactions()
    const after = createSandboxData({ user: 'user-ok', now: new Date(NOW.getTime() + 10 * day) }).transactions()
    const afterById = new Map(after.map((t) => [t.providerId, t]))
    const posted = before.filter((t) => t.status === 'PENDING' && afterById.get(t.providerId)?.status === 'POSTED')
    expect(posted.length).toBeGreaterThan(0)
    for (const t of posted) expect({ ...afterById.get(t.providerId), status: 'PENDING' }).toEqual(t)
    const beforeIds = new Set(before.map((t) => t.providerId))
    expect(after.some((t) => !beforeIds.has(t.providerId))).toBe(true)
    // Over a month some pending purchase is cancelled (disappears while still inside the window).
    let removed = 0
    for (let i = 0; i < 30; i++) {
      const a = createSandboxData({ user: 'user-ok', now: new Date(NOW.getTime() + i * day) }).transactions()
      const b = new Set(createSandboxData({ user: 'user-ok', now: new Date(NOW.getTime() + (i + 1) * day) }).transactions().map((t) => t.providerId))
      const windowStart = Date.parse(new Date(NOW.getTime() + (i + 1) * day).toISOString().slice(0, 10)) - (HISTORY_DAYS - 1) * day
      removed += a.filter((t) => !b.has(t.providerId) && Date.parse(t.date) >= windowStart).length
    }
    expect(removed).toBeGreaterThan(0)
  })

  it('generates 100k transactions well under a second', () => {
    const started = performance.now()
    const txs = createSandboxData({ user: 'user-ok-perf-5000', now: NOW, transactionMultiplier: 5000 }).transactions()
    const elapsed = performance.now() - started
    expect(txs.length).toBeGreaterThanOrEqual(100_000)
    // ~0.2–0.3 s warm on a loaded 2-core machine; the bound leaves room for a cold JIT and parallel test files.
    expect(elapsed).toBeLessThan(2_000)
  })
})

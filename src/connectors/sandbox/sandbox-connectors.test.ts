import { describe, expect, it } from 'vitest'
import { ConnectorError, PRODUCT_FETCHER, type ConnectorDefinition } from '../sdk/index.ts'
import { PRODUCTS } from '../../domain/statuses.ts'
import { SANDBOX_NEEDS_ACTION_PROVIDER_MESSAGE, createSandboxConnectors, parseSandboxUser } from './sandbox-connectors.ts'
import { NOW, creds, makeContext, outcomeOf, run } from './sandbox-test-context.ts'

const connectors = createSandboxConnectors({ delayMs: 0 })
const [bank, mfa1, mfa2, appAuth, trusted] = connectors

describe('sandbox connector definitions', () => {
  it('declares connectors 0–4 as SPEC §4 names them, then the reference’s other sandbox flows', () => {
    expect(connectors.map((c) => [c.id, c.name, c.type])).toEqual([
      [0, 'Sandbox Bank', 'PERSONAL_BANK'],
      [1, 'Sandbox Bank MFA 1-step', 'PERSONAL_BANK'],
      [2, 'Sandbox Bank MFA 2-step', 'PERSONAL_BANK'],
      [3, 'Sandbox Bank App Authorization', 'PERSONAL_BANK'],
      [4, 'Sandbox Bank Trusted Device', 'PERSONAL_BANK'],
      [5, 'Sandbox Bank Empresas', 'BUSINESS_BANK'],
      [6, 'Sandbox Bank Conta Conjunta', 'PERSONAL_BANK'],
      [7, 'Sandbox Bank QR Login', 'PERSONAL_BANK'],
    ])
    for (const c of connectors) {
      expect(c.country).toBe('BR')
      expect(c.isSandbox).toBe(true)
      expect([...c.products].sort()).toEqual([...PRODUCTS].sort())
      for (const product of PRODUCTS) expect(typeof c[PRODUCT_FETCHER[product]]).toBe('function')
      expect(typeof c.logout).toBe('function')
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
    expect(connectors.map((c) => c.hasMFA)).toEqual([false, false, true, false, true, false, false, false])
    expect(connectors.map((c) => c.trustsDevice ?? false)).toEqual([false, false, false, false, true, false, false, false])
    expect(names(connectors[5])).toEqual(['user', 'password'])
    expect(names(connectors[6])).toEqual(['user', 'password', 'accountType', 'token'])
    expect(connectors[7].credentials).toEqual([expect.objectContaining({ name: 'user', optional: true })])
  })
})

describe('sandbox users', () => {
  it('parses the user scenarios', () => {
    expect(parseSandboxUser('user-ok')).toEqual({ kind: 'ok', transactionMultiplier: 1 })
    expect(parseSandboxUser('user-ok-perf-25')).toEqual({ kind: 'ok', transactionMultiplier: 25 })
    expect(parseSandboxUser('user-ok-perf-999999')).toEqual({ kind: 'ok', transactionMultiplier: 5000 })
    expect(parseSandboxUser('user-ok', { appAuthorization: true })).toEqual({ kind: 'auth-pending', executions: 1 })
    expect(parseSandboxUser('user-auth-pending-7', { appAuthorization: true })).toEqual({ kind: 'auth-pending', executions: 7 })
    expect(parseSandboxUser('user-auth-pending-7')).toEqual({ kind: 'invalid' })
  })

  it('collects deep-equal data at any hour of the same day', async () => {
    const a = await run(bank, makeContext({ credentials: creds('user-ok') }))
    const later = new Date(NOW.getTime() + 8 * 3_600_000) // 22:30 the same day
    const b = await run(bank, makeContext({ credentials: creds('user-ok'), now: later }))
    expect(b).toEqual(a)
  })

  it('user-ok-perf-10 has 10× the daily movements of user-ok, and the same monthly ones', async () => {
    const one = await run(bank, makeContext({ credentials: creds('user-ok') }))
    const ten = await run(bank, makeContext({ credentials: creds('user-ok-perf-10') }))
    const daily = (data: typeof one) => data.transactions.filter((t) => /-(tx|live|hold)-/.test(t.providerId!))
    expect(daily(one).length).toBeGreaterThan(0)
    expect(daily(ten).length).toBe(10 * daily(one).length)
    expect(ten.transactions.length - daily(ten).length).toBeLessThan(20)
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
    // About 30 days of daily movements, plus the salaries, card bills and fees, loan installments.
    expect(data.transactions.length).toBeGreaterThanOrEqual(30)
    expect(data.transactions.length).toBeLessThanOrEqual(60)
    expect(data.creditCards[0].bills!.length).toBeGreaterThanOrEqual(3)
    expect(data.loans.length).toBeGreaterThanOrEqual(1)
    expect(data.accountStatements.map((s) => s.month)).toEqual(['2026-02', '2026-01', '2025-12', '2026-02', '2026-01', '2025-12'])
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

  const duplicatedIds = (accounts: { providerId: string }[]) => accounts.map((a) => a.providerId).filter((id, index, all) => all.indexOf(id) !== index)

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
    // Login, every product, and the logout while MERGING.
    expect(ctx.sleeps).toEqual(Array(1 + PRODUCTS.length + 1).fill(250))
    const fast = makeContext({ credentials: creds('user-ok') })
    await run(bank, fast)
    expect(fast.sleeps).toEqual([])
    // A failing login waits too (the institution takes time to answer).
    const failing = makeContext({ credentials: creds('user-locked') })
    await slow.login(failing).catch(() => {})
    expect(failing.sleeps).toEqual([250])
  })
})

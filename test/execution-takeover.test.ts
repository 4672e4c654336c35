import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { defineConnector, type CollectedAccount, type ConnectorContext } from '../src/connectors/sdk/index.ts'
import { ALL_PRODUCT_STEPS, startTestEngine, timeline, type TestEngine } from './support/harness.ts'

// SPEC §2.2 (no item stays running forever) with issue-level guarantees: an execution whose worker
// stops is resumed by the next one — statuses already reached are not written again, kept products
// are not collected again, an MFA wait keeps waiting — instead of ending as ERROR. One embedded
// database is stopped and started again in one process: the restarted engine is "another worker".

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** How often each product was fetched, across both engines. */
const fetches = new Map<string, number>()
const counted = <T>(product: string, value: T): T => {
  fetches.set(product, (fetches.get(product) ?? 0) + 1)
  return value
}
/** While set, the transactions step never returns: the first engine is stopped in the middle of it. */
let blockTransactions = true

const ACCOUNT: CollectedAccount = { providerId: 'acc-1', type: 'BANK', subtype: 'CHECKING_ACCOUNT', number: '0001-1', name: 'Checking', balance: 10, currencyCode: 'BRL' }

/** A slow institution: it keeps what it collected durably, so a takeover does not collect it again. */
const SLOW_BANK = defineConnector({
  id: 9101,
  name: 'Slow Bank (takeover tests)',
  type: 'PERSONAL_BANK',
  country: 'BR',
  hasMFA: false,
  checkpoints: true,
  credentials: [{ name: 'user', label: 'User', type: 'text' }],
  products: ['ACCOUNTS', 'CREDIT_CARDS', 'TRANSACTIONS', 'IDENTITY'],
  async login() {
    counted('LOGIN', undefined)
  },
  async fetchAccounts() {
    return counted('ACCOUNTS', [ACCOUNT])
  },
  async fetchCreditCards() {
    return counted('CREDIT_CARDS', [])
  },
  async fetchTransactions(ctx: ConnectorContext) {
    counted('TRANSACTIONS', undefined)
    if (blockTransactions) await ctx.sleep(24 * 3_600_000)
    return [{ accountProviderId: 'acc-1', providerId: 't-1', date: '2030-01-02', description: 'Coffee', amount: -5, currencyCode: 'BRL', type: 'DEBIT' as const, status: 'POSTED' as const }]
  },
  async fetchIdentity() {
    return counted('IDENTITY', { fullName: 'Ana Souza' })
  },
})

/** The codes CODE_BANK was given; while `holdAfterCode` is set it never answers whether a code is right. */
const codesReceived: string[] = []
let holdAfterCode = true

/** An institution that asks a code at every login and checks it slowly. */
const CODE_BANK = defineConnector({
  id: 9102,
  name: 'Code Bank (takeover tests)',
  type: 'PERSONAL_BANK',
  country: 'BR',
  hasMFA: true,
  credentials: [{ name: 'user', label: 'User', type: 'text' }],
  products: ['ACCOUNTS'],
  async login(ctx: ConnectorContext) {
    codesReceived.push(await ctx.askUser({ name: 'token', label: 'Code', type: 'number' }))
    if (holdAfterCode) await ctx.sleep(24 * 3_600_000)
  },
  async fetchAccounts() {
    return [ACCOUNT]
  },
})

async function engineOn(dataDir: string, env: Record<string, string> = {}): Promise<{ engine: TestEngine; apiKey: string }> {
  const engine = await startTestEngine({ TRIBUTARY_DATA_DIR: dataDir, ...env }, { connectors: [SLOW_BANK, CODE_BANK] })
  return { engine, apiKey: await engine.apiKey() }
}

const freshDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tributary-takeover-'))
  dirs.push(dir)
  return dir
}

const itemOf = async (engine: TestEngine, apiKey: string, id: string) => (await engine.request('GET', `/items/${id}`, { apiKey })).body
const waitFor = <T>(check: () => Promise<T>) => vi.waitFor(check, { timeout: 30_000, interval: 25 })

describe('an execution whose worker stops is taken over and resumed', () => {
  it('from the step it had reached: earlier statuses are not written again and kept products are not collected again', async () => {
    const dir = freshDir()
    fetches.clear()
    blockTransactions = true
    const first = await engineOn(dir)
    const created = await first.engine.createItem(first.apiKey, { connectorId: SLOW_BANK.id, parameters: { user: 'ana' } })
    await waitFor(async () => expect((await itemOf(first.engine, first.apiKey, created.id)).executionStatus).toBe('TRANSACTIONS_IN_PROGRESS'))
    // The process stops while the institution is slow; its execution is left to the next worker.
    await first.engine.stop()

    blockTransactions = false
    const second = await engineOn(dir)
    try {
      const item = await waitFor(async () => {
        const current = await itemOf(second.engine, second.apiKey, created.id)
        expect(current.executionStatus).toBe('SUCCESS')
        return current
      })
      expect([item.status, item.error]).toEqual(['UPDATED', null])
      const [execution] = await second.engine.executions(second.apiKey, created.id)
      expect(timeline(execution)).toEqual(['CREATED', 'LOGIN_IN_PROGRESS', 'ACCOUNTS_IN_PROGRESS', 'CREDITCARDS_IN_PROGRESS', 'TRANSACTIONS_IN_PROGRESS', 'IDENTITY_IN_PROGRESS', 'MERGING', 'SUCCESS'])
      // The steps the second worker wrote say it was the second attempt; the first worker's do not.
      expect(execution.steps.map((s: any) => s.attempt ?? 1)).toEqual([1, 1, 1, 1, 1, 2, 2, 2])
      // Logged in again (the session was the stopped worker's), collected again only the product in progress.
      expect(Object.fromEntries(fetches)).toEqual({ LOGIN: 2, ACCOUNTS: 1, CREDIT_CARDS: 1, TRANSACTIONS: 2, IDENTITY: 1 })
      const accounts = (await second.engine.request('GET', `/accounts?itemId=${created.id}`, { apiKey: second.apiKey })).body.results
      expect(accounts.map((a: any) => a.number)).toEqual(['0001-1'])
      const events = (await second.engine.request('GET', `/events?itemId=${created.id}`, { apiKey: second.apiKey })).body.results.map((e: any) => e.event)
      expect(events.filter((e: string) => e === 'item/login_succeeded')).toHaveLength(1)
    } finally {
      await second.engine.stop()
    }
  })

  it('a 2-step MFA execution waiting for its code keeps waiting, with the same expiry, and the code sent afterwards finishes it', async () => {
    const dir = freshDir()
    const first = await engineOn(dir)
    const created = await first.engine.createItem(first.apiKey, { connectorId: 2, parameters: { user: 'user-ok', password: 'password-ok' } })
    const waiting = await waitFor(async () => {
      const current = await itemOf(first.engine, first.apiKey, created.id)
      expect(current.status).toBe('WAITING_USER_INPUT')
      return current
    })
    await first.engine.stop()

    const second = await engineOn(dir)
    try {
      const stillWaiting = await itemOf(second.engine, second.apiKey, created.id)
      expect([stillWaiting.status, stillWaiting.parameter.expiresAt]).toEqual(['WAITING_USER_INPUT', waiting.parameter.expiresAt])
      const answered = await second.engine.request('POST', `/items/${created.id}/mfa`, { apiKey: second.apiKey, body: { token: '123456' } })
      expect(answered.status).toBe(200)
      await waitFor(async () => expect((await itemOf(second.engine, second.apiKey, created.id)).executionStatus).toBe('SUCCESS'))
      const [execution] = await second.engine.executions(second.apiKey, created.id)
      expect(timeline(execution)).toEqual(['CREATED', 'LOGIN_IN_PROGRESS', 'WAITING_USER_INPUT', 'LOGIN_MFA_IN_PROGRESS', ...ALL_PRODUCT_STEPS, 'MERGING', 'SUCCESS'])
    } finally {
      await second.engine.stop()
    }
  })

  it('a code the user sent but the institution had not yet checked is used by the next worker without asking the user again', async () => {
    const dir = freshDir()
    codesReceived.length = 0
    holdAfterCode = true
    const first = await engineOn(dir)
    const created = await first.engine.createItem(first.apiKey, { connectorId: CODE_BANK.id, parameters: { user: 'ana' } })
    await waitFor(async () => expect((await itemOf(first.engine, first.apiKey, created.id)).status).toBe('WAITING_USER_INPUT'))
    expect((await first.engine.request('POST', `/items/${created.id}/mfa`, { apiKey: first.apiKey, body: { token: '654321' } })).status).toBe(200)
    await waitFor(async () => expect(codesReceived).toEqual(['654321']))
    await first.engine.stop()

    holdAfterCode = false
    const second = await engineOn(dir)
    try {
      await waitFor(async () => expect((await itemOf(second.engine, second.apiKey, created.id)).executionStatus).toBe('SUCCESS'))
      expect(codesReceived).toEqual(['654321', '654321'])
      const [execution] = await second.engine.executions(second.apiKey, created.id)
      expect(timeline(execution)).toEqual(['CREATED', 'LOGIN_IN_PROGRESS', 'WAITING_USER_INPUT', 'LOGIN_MFA_IN_PROGRESS', 'ACCOUNTS_IN_PROGRESS', 'MERGING', 'SUCCESS'])
    } finally {
      await second.engine.stop()
    }
  })

  it('an execution out of attempts ends as OUTDATED / ERROR instead', async () => {
    const dir = freshDir()
    blockTransactions = true
    const first = await engineOn(dir, { TRIBUTARY_EXECUTION_MAX_ATTEMPTS: '1' })
    const created = await first.engine.createItem(first.apiKey, { connectorId: SLOW_BANK.id, parameters: { user: 'bia' } })
    await waitFor(async () => expect((await itemOf(first.engine, first.apiKey, created.id)).executionStatus).toBe('TRANSACTIONS_IN_PROGRESS'))
    await first.engine.stop()
    const second = await engineOn(dir, { TRIBUTARY_EXECUTION_MAX_ATTEMPTS: '1' })
    try {
      const item = await itemOf(second.engine, second.apiKey, created.id)
      expect([item.status, item.executionStatus, item.error.code]).toEqual(['OUTDATED', 'ERROR', 'UNEXPECTED_ERROR'])
      expect(item.error.message).toMatch(/worker/i)
    } finally {
      await second.engine.stop()
    }
  })
})

/**
 * The My Bank suite: every path of the connector, through the real engine and its HTTP API, against
 * the pretend institution in fake-my-bank.ts. Exported as a function so that the Tributary
 * repository runs it from its own test suite (test/connector-template.test.ts); my-bank.test.ts
 * runs it when the template is used on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMyBankConnector, MY_BANK_ID } from '../src/my-bank.ts'
import { startFakeMyBank, SMS_CODE, type FakeMyBank } from './fake-my-bank.ts'
import { expectTimeline, fullTimeline, startConnectorTestKit, type ConnectorTestKit } from './kit.ts'

const PRODUCTS = ['ACCOUNTS', 'TRANSACTIONS'] as const

export function describeTemplateConnector(): void {
  describe('My Bank connector (examples/connector-template)', () => {
    let bank: FakeMyBank
    let kit: ConnectorTestKit

    beforeAll(async () => {
      bank = await startFakeMyBank()
      kit = await startConnectorTestKit({ connectors: [createMyBankConnector({ baseUrl: bank.url, retryDelayMs: 5 })] })
    })
    afterAll(async () => {
      await kit?.stop()
      await bank?.close()
    })

    it('without MFA: collects accounts and transactions (retrying a 503), and warns about a stale balance', async () => {
      const { itemId } = await kit.connect(MY_BANK_ID, { user: 'bob', password: 'hunter2' })
      const item = await kit.waitForFinal(itemId)

      expect([item.status, item.executionStatus, item.error]).toEqual(['UPDATED', 'SUCCESS', null])
      expect(item.statusDetail?.accounts).toMatchObject({ isUpdated: true, warnings: [{ code: 'BALANCE_STALE' }] })
      expect(item.statusDetail?.transactions).toMatchObject({ isUpdated: true, warnings: [] })
      expect(item.statusDetail?.creditCards).toBeNull() // not a product of this connector
      expectTimeline(await kit.lastExecution(itemId), fullTimeline([...PRODUCTS], 'SUCCESS'))

      // What an application reads: both accounts, and each one's statement (paged at the bank).
      const accounts = await kit.accounts(itemId)
      expect(accounts.map((a) => [a.subtype, a.name, a.balance, a.currencyCode]).sort()).toEqual([
        ['CHECKING_ACCOUNT', 'Conta Corrente', 1520.37, 'BRL'],
        ['SAVINGS_ACCOUNT', 'Poupança', 10_000, 'BRL'],
      ])
      const checking = accounts.find((a) => a.subtype === 'CHECKING_ACCOUNT')!
      const transactions = await kit.transactions(checking.id)
      expect(transactions).toHaveLength(5)
      expect(transactions.filter((t) => t.status === 'PENDING')).toMatchObject([{ description: 'PIX RECEBIDO JOAO', amount: 120, type: 'CREDIT' }])
      expect(transactions.find((t) => t.description === 'CONTA DE LUZ')).toMatchObject({ amount: -210.33, type: 'DEBIT', status: 'POSTED' })

      // The first statement request got a 503; the connector waited (ctx.sleep) and asked again.
      const statements = bank.requests.filter((r) => r.includes('/bob-chk/statement'))
      expect(statements.slice(0, 2)).toEqual(['GET /v1/accounts/bob-chk/statement → 503', 'GET /v1/accounts/bob-chk/statement → 200'])
      expect(kit.logs({ itemId }).some((l) => l.msg === 'My Bank asked to retry later' && l.level === 'warn')).toBe(true)

      // Nothing the engine or the connector logged contains the password.
      expect(JSON.stringify(kit.logs())).not.toContain('hunter2')
    })

    it('a wrong password ends LOGIN_ERROR / INVALID_CREDENTIALS with the bank’s own words', async () => {
      const { itemId } = await kit.connect(MY_BANK_ID, { user: 'bob', password: 'not-the-password' })
      const item = await kit.waitForFinal(itemId)

      expect([item.status, item.executionStatus]).toEqual(['LOGIN_ERROR', 'INVALID_CREDENTIALS'])
      expect(item.error).toMatchObject({ code: 'INVALID_CREDENTIALS', providerMessage: 'Usuário ou senha incorretos.' })
      expectTimeline(await kit.lastExecution(itemId), ['CREATED', 'LOGIN_IN_PROGRESS', 'INVALID_CREDENTIALS'])
    })

    it('a locked account ends LOGIN_ERROR / ACCOUNT_LOCKED', async () => {
      const { itemId } = await kit.connect(MY_BANK_ID, { user: 'mallory', password: 'mallory-pass' })
      const item = await kit.waitForFinal(itemId)
      expect([item.status, item.executionStatus, item.error?.code]).toEqual(['LOGIN_ERROR', 'ACCOUNT_LOCKED', 'ACCOUNT_LOCKED'])
    })

    it('with an SMS code: waits for it, then collects', async () => {
      const { itemId } = await kit.connect(MY_BANK_ID, { user: 'alice', password: 'correct-horse' })
      const waiting = await kit.waitForMfa(itemId)

      expect(waiting.parameter).toMatchObject({ name: 'otp', type: 'number', validation: '^\\d{6}$' })
      expect(Date.parse(waiting.parameter.expiresAt)).toBeGreaterThan(Date.now())
      await kit.sendMfa(itemId, SMS_CODE)
      const item = await kit.waitForFinal(itemId)

      expect([item.status, item.executionStatus, item.parameter]).toEqual(['UPDATED', 'SUCCESS', null])
      expectTimeline(await kit.lastExecution(itemId), fullTimeline([...PRODUCTS], 'SUCCESS', { mfa: 1 }))
      expect(JSON.stringify(kit.logs())).not.toContain('correct-horse')
    })

    it('a wrong SMS code ends LOGIN_ERROR / INVALID_CREDENTIALS_MFA', async () => {
      const { itemId } = await kit.connect(MY_BANK_ID, { user: 'alice', password: 'correct-horse' })
      await kit.waitForMfa(itemId)
      await kit.sendMfa(itemId, '000000')
      const item = await kit.waitForFinal(itemId)

      expect([item.status, item.executionStatus]).toEqual(['LOGIN_ERROR', 'INVALID_CREDENTIALS_MFA'])
      expect(item.error).toMatchObject({ code: 'INVALID_CREDENTIALS_MFA', providerMessage: 'Código inválido.' })
      expectTimeline(await kit.lastExecution(itemId), ['CREATED', 'LOGIN_IN_PROGRESS', 'WAITING_USER_INPUT', 'LOGIN_MFA_IN_PROGRESS', 'INVALID_CREDENTIALS_MFA'])
    })

    it('asks a second challenge (a select) when the bank wants one', async () => {
      const { itemId } = await kit.connect(MY_BANK_ID, { user: 'carol', password: 's3cret-carol' })
      await kit.waitForMfa(itemId)
      await kit.sendMfa(itemId, SMS_CODE)
      const second = await kit.waitForMfa(itemId)

      expect(second.parameter).toMatchObject({ name: 'securityAnswer', type: 'select', options: [{ value: 'red' }, { value: 'green' }, { value: 'blue' }] })
      await kit.sendMfa(itemId, 'blue')
      const item = await kit.waitForFinal(itemId)

      expect([item.status, item.executionStatus]).toEqual(['UPDATED', 'SUCCESS'])
      expectTimeline(await kit.lastExecution(itemId), fullTimeline([...PRODUCTS], 'SUCCESS', { mfa: 2 }))
    })

    it('a statement the bank cannot serve fails only TRANSACTIONS: PARTIAL_SUCCESS', async () => {
      const { itemId } = await kit.connect(MY_BANK_ID, { user: 'dave', password: 'dave-pass' })
      const item = await kit.waitForFinal(itemId)

      expect([item.status, item.executionStatus, item.error]).toEqual(['UPDATED', 'PARTIAL_SUCCESS', null])
      expect(item.statusDetail?.accounts).toMatchObject({ isUpdated: true })
      expect(item.statusDetail?.transactions).toMatchObject({ isUpdated: false, lastUpdatedAt: null })
      expect(await kit.accounts(itemId)).toHaveLength(2)
      const execution = await kit.lastExecution(itemId)
      expect(execution.failedProducts).toEqual(['TRANSACTIONS'])
      expectTimeline(execution, fullTimeline([...PRODUCTS], 'PARTIAL_SUCCESS'))
      // It tried maxAttempts (3) times, waiting between attempts.
      expect(bank.requests.filter((r) => r === 'GET /v1/accounts/dave-chk/statement → 503')).toHaveLength(3)
    })

    it('deleting the item cancels the request in flight at the bank (ctx.signal)', async () => {
      const { itemId } = await kit.connect(MY_BANK_ID, { user: 'erin', password: 'erin-pass' })
      await kit.waitForStatus(itemId, (i) => i.executionStatus === 'TRANSACTIONS_IN_PROGRESS')
      await expect.poll(() => bank.hanging.size, { timeout: 10_000, message: 'the statement request to reach the bank' }).toBeGreaterThan(0)

      const deleted = await kit.request('DELETE', `/items/${itemId}`)
      expect(deleted).toMatchObject({ status: 200, body: { count: 1 } })
      await expect.poll(() => bank.requests, { timeout: 10_000, message: 'the bank to see the request aborted' }).toContain('GET /v1/accounts/erin-chk/statement → aborted')
      expect((await kit.request('GET', `/items/${itemId}`)).status).toBe(404)
    })
  })
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectBank, pluggyClient, totalBalance, WebhookInbox } from '../src/bank-sync.ts'
import { startTributary, type TributaryFixture } from './tributary.ts'

/**
 * The application's bank sync, tested as a team would: Tributary started in the test process
 * (in memory, on a clock the test moves), the application's own webhook endpoint, the real
 * pluggy-sdk. No network beyond localhost, and not a single sleep: `settle()` returns once
 * Tributary has nothing left to run, and a day passes with `advance()`.
 */
let tributary: TributaryFixture
const inbox = new WebhookInbox()
let webhookUrl: string

beforeAll(async () => {
  tributary = await startTributary({ clock: 'manual' })
  webhookUrl = await inbox.listen()
})
afterAll(async () => {
  await tributary?.stop()
  await inbox.close()
})

describe('bank sync', () => {
  it('connects a bank, shows its balance, and hears about it by webhook', async () => {
    const pluggy = pluggyClient(tributary.url, tributary.credentials)
    const itemId = await connectBank(pluggy, 0, { user: 'user-ok', password: 'password-ok' }, webhookUrl)
    await tributary.clock.settle()

    const item = await pluggy.fetchItem(itemId)
    expect([item.status, item.executionStatus]).toEqual(['UPDATED', 'SUCCESS'])
    const { results: accounts } = await pluggy.fetchAccounts(itemId)
    expect(accounts.length).toBeGreaterThan(0)
    expect(await totalBalance(pluggy, itemId)).toBe(accounts.reduce((sum, a) => sum + a.balance, 0))
    const { results: transactions } = await pluggy.fetchTransactions(accounts[0].id)
    expect(transactions.length).toBeGreaterThan(0)
    // The first successful sync of an item is announced as its creation (later ones as updates).
    expect(inbox.of(itemId)).toEqual(expect.arrayContaining(['item/login_succeeded', 'item/created']))
  })

  it('hears of the sync Tributary runs by itself a day later', async () => {
    const pluggy = pluggyClient(tributary.url, tributary.credentials)
    const itemId = await connectBank(pluggy, 0, { user: 'user-ok', password: 'password-ok' }, webhookUrl)
    await tributary.clock.settle()
    const updatesBefore = inbox.events.filter((e) => e.itemId === itemId && e.event === 'item/updated').length

    // Updatable items sync once a day, each spread by up to ±10% so that they do not all sync together.
    await tributary.clock.advance(27 * 60 * 60 * 1000)
    await tributary.clock.settle()

    const updates = inbox.events.filter((e) => e.itemId === itemId && e.event === 'item/updated')
    expect(updates).toHaveLength(updatesBefore + 1)
    expect(updates.at(-1)?.triggeredBy).toBe('SYNC')
  })

  it('hears that the credentials stopped working when the user changed the password at the bank', async () => {
    const pluggy = pluggyClient(tributary.url, tributary.credentials)
    const itemId = await connectBank(pluggy, 0, { user: 'user-ok', password: 'password-ok' }, webhookUrl)
    await tributary.clock.settle()

    await pluggy.updateItem(itemId, { user: 'user-ok', password: 'an-old-password' })
    await tributary.clock.settle()

    const error = inbox.events.filter((e) => e.itemId === itemId && e.event === 'item/error').at(-1)
    expect(error?.error?.code).toBe('INVALID_CREDENTIALS')
    expect((await pluggy.fetchItem(itemId)).status).toBe('LOGIN_ERROR')
  })

  it('hears that the bank refused the credentials on the next day’s sync (forced through the sandbox control API)', async () => {
    const pluggy = pluggyClient(tributary.url, tributary.credentials)
    const itemId = await connectBank(pluggy, 0, { user: 'user-ok', password: 'password-ok' }, webhookUrl)
    await tributary.clock.settle()

    // The sandbox bank will refuse the next login, as a real one does after a password change.
    const forced = await fetch(`${tributary.url}/sandbox/items/${itemId}/outcome`, {
      method: 'PUT',
      headers: { 'x-api-key': tributary.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ executionStatus: 'INVALID_CREDENTIALS' }),
    })
    expect(forced.status).toBe(200)

    await tributary.clock.advance(27 * 60 * 60 * 1000)
    await tributary.clock.settle()

    const error = inbox.events.filter((e) => e.itemId === itemId && e.event === 'item/error').at(-1)
    expect([error?.error?.code, error?.triggeredBy]).toEqual(['INVALID_CREDENTIALS', 'SYNC'])
    expect((await pluggy.fetchItem(itemId)).status).toBe('LOGIN_ERROR')
  })
})

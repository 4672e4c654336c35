import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { PluggyClient, type Account, type Investment, type Transaction } from 'pluggy-sdk'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../src/config.ts'
import { startTributary, type Tributary } from '../src/main.ts'
import { ManualClock } from '../src/time/manual-clock.ts'
import { CLIENT } from './support/harness.ts'

// SPEC §7.1: an application written for the reference, driven only by webhooks
// received on a real HTTP server, stores the complete connection. It creates the item through a
// connect token (as its front end would), reads accounts and investments on item/created (and
// item/updated), new transactions on transactions/created, the named ids on transactions/updated,
// and forgets the ids of transactions/deleted — with the unmodified pluggy-sdk client.
// The engine's clock is a ManualClock moved a day between executions, so the sandbox has news.

vi.setConfig({ testTimeout: 180_000 })

const DAY_MS = 86_400_000
const clock = new ManualClock()
let tributary: Tributary
let client: PluggyClient
let previousApiUrl: string | undefined

/** The application: its own store, filled by its webhook handlers only. */
class WebhookApp {
  readonly accounts = new Map<string, Account>()
  readonly investments = new Map<string, Investment>()
  readonly transactions = new Map<string, Transaction>()
  readonly handled: string[] = []
  private server!: http.Server
  /** Events are handled one after another, in the order they arrive (as a simple app would). */
  private chain: Promise<void> = Promise.resolve()
  failures: unknown[] = []

  constructor(public api: PluggyClient) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => (body += chunk))
      req.on('end', () => {
        // Acknowledge at once, work afterwards: the reference asks receivers to answer quickly.
        res.writeHead(200).end()
        const event = JSON.parse(body)
        this.chain = this.chain.then(() => this.handle(event)).catch((error) => void this.failures.push(error))
      })
    })
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/pluggy`
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  private async handle(event: { event: string; itemId: string; accountId?: string; transactionIds?: string[]; transactionsCreatedAtFrom?: string }) {
    switch (event.event) {
      case 'item/created':
      case 'item/updated': {
        for (const account of (await this.api.fetchAccounts(event.itemId)).results) this.accounts.set(account.id, account)
        for (const investment of (await this.api.fetchInvestments(event.itemId)).results) this.investments.set(investment.id, investment)
        break
      }
      case 'transactions/created': {
        const created = await this.api.fetchAllTransactions(event.accountId!, { createdAtFrom: event.transactionsCreatedAtFrom })
        for (const t of created) this.transactions.set(t.id, t)
        break
      }
      case 'transactions/updated': {
        const { results } = await this.api.fetchTransactions(event.accountId!, { ids: event.transactionIds })
        expect(results.map((t) => t.id).sort()).toEqual([...event.transactionIds!].sort())
        for (const t of results) this.transactions.set(t.id, t)
        break
      }
      case 'transactions/deleted':
        for (const id of event.transactionIds!) this.transactions.delete(id)
        break
    }
    this.handled.push(event.event)
  }
}

let app: WebhookApp

beforeAll(async () => {
  const config = loadConfig({
    TRIBUTARY_DATA_DIR: ':memory:',
    TRIBUTARY_SANDBOX_DELAY_MS: '0',
    PORT: '0',
    HOST: '127.0.0.1',
    TRIBUTARY_CLIENT_ID: CLIENT.clientId,
    TRIBUTARY_CLIENT_SECRET: CLIENT.clientSecret,
    // No auto-sync while the clock jumps days ahead: every execution here is the test's.
    TRIBUTARY_AUTO_SYNC_INTERVAL_SECONDS: String(10 * 365 * 86_400),
    TRIBUTARY_SHUTDOWN_GRACE_SECONDS: '0',
    LOG_LEVEL: 'silent',
    TRIBUTARY_POLL_INTERVAL_MS: '50',
  })
  tributary = await startTributary(config, { logger: pino({ level: 'silent' }), clock })
  previousApiUrl = process.env.PLUGGY_API_URL
  process.env.PLUGGY_API_URL = tributary.url!
  client = new PluggyClient({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret })
  app = new WebhookApp(client)
})

afterAll(async () => {
  if (previousApiUrl === undefined) delete process.env.PLUGGY_API_URL
  else process.env.PLUGGY_API_URL = previousApiUrl
  await app?.stop()
  await tributary?.stop()
})

/** Everything the API holds for the item, read afresh. */
async function truth(itemId: string) {
  const accounts = (await client.fetchAccounts(itemId)).results
  const transactions = (await Promise.all(accounts.map((a) => client.fetchAllTransactions(a.id)))).flat()
  return { accounts, investments: (await client.fetchInvestments(itemId)).results, transactions }
}

function expectStored(expected: Awaited<ReturnType<typeof truth>>) {
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]))
  expect(app.accounts).toEqual(byId(expected.accounts))
  expect(app.investments).toEqual(byId(expected.investments))
  expect(app.transactions).toEqual(byId(expected.transactions))
}

describe('a webhook-driven application stores the whole connection', () => {
  it('connect token → item; item/created, transactions/created, then a later sync’s transactions/updated', async () => {
    const webhookUrl = await app.start()
    const { accessToken } = await client.createConnectToken(undefined, { webhookUrl, clientUserId: 'app-user' })
    // The application's front end creates the item with the connect token, as the Connect widget does.
    const response = await fetch(`${tributary.url}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': accessToken },
      body: JSON.stringify({ connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } }),
    })
    expect(response.status).toBe(200)
    const { id: itemId } = (await response.json()) as { id: string }

    await vi.waitFor(() => expect(app.handled).toContain('item/created'), { timeout: 60_000, interval: 50 })
    await vi.waitFor(() => expect(app.handled.filter((e) => e === 'transactions/created').length).toBeGreaterThan(0), { timeout: 60_000, interval: 50 })
    const first = await truth(itemId)
    await vi.waitFor(() => expectStored(first), { timeout: 60_000, interval: 100 })
    expect(app.accounts.size).toBeGreaterThan(0)
    expect(app.investments.size).toBeGreaterThan(0)
    expect(app.transactions.size).toBeGreaterThan(0)
    expect(app.handled.filter((e) => e === 'item/created')).toHaveLength(1)

    // A day later the institution has news: pending transactions posted (updated) and new ones.
    await clock.advance(DAY_MS)
    // pluggy-sdk judges its API key's expiry by the wall clock; the engine's clock moved a day: new clients.
    client = new PluggyClient({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret })
    app.api = new PluggyClient({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret })
    const handledBefore = app.handled.length
    await client.updateItem(itemId)
    await vi.waitFor(() => expect(app.handled.slice(handledBefore)).toContain('item/updated'), { timeout: 60_000, interval: 50 })
    const later = await truth(itemId)
    await vi.waitFor(() => expectStored(later), { timeout: 60_000, interval: 100 })
    const news = app.handled.slice(handledBefore)
    expect(news).toContain('transactions/updated')
    expect(news).toContain('transactions/created')
    expect(news).not.toContain('item/created')
    expect(app.failures).toEqual([])
  })
})

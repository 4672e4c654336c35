import type { IncomingMessage, ServerResponse } from 'node:http'
import { PluggyClient, type Item } from 'pluggy-sdk'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../src/config.ts'
import { startTributary, type Tributary } from '../src/main.ts'
import { CLIENT } from './support/harness.ts'

/**
 * The official `pluggy-sdk` client (0.90.0), unmodified, against a real listening Tributary (SPEC intro, §3, §4).
 *
 * pluggy-sdk reads the server address only from PLUGGY_API_URL, at construction, and ignores `baseUrl`;
 * it sends `nonExpiring` on /auth and `id` on PATCH /items/:id; it rejects any non-200 answer to
 * POST/PATCH/DELETE; it decodes the apiKey as a JWT and re-authenticates only once `exp` has passed.
 *
 * Data endpoints (fetchAccounts, fetchTransactions, …) are not exercised here: GET /accounts and the other
 * SPEC §3.4 routes do not exist in src/http/routes yet.
 */

interface Seen {
  method: string
  url: string
  contentType: string | undefined
  contentLength: string | undefined
  status: number
}

let tributary: Tributary
let client: PluggyClient
let previousApiUrl: string | undefined
/** Every request the SDK sent over the socket, in order, with Tributary's answer status. */
const seen: Seen[] = []

beforeAll(async () => {
  const config = loadConfig({
    TRIBUTARY_DATA_DIR: ':memory:',
    TRIBUTARY_SANDBOX_DELAY_MS: '0',
    PORT: '0',
    HOST: '127.0.0.1',
    TRIBUTARY_CLIENT_ID: CLIENT.clientId,
    TRIBUTARY_CLIENT_SECRET: CLIENT.clientSecret,
    LOG_LEVEL: 'silent',
    TRIBUTARY_POLL_INTERVAL_MS: '50',
  })
  tributary = await startTributary(config, { logger: pino({ level: 'silent' }) })
  expect(tributary.url).toMatch(/^http:\/\/[^/]+:\d+$/)
  // An extra listener beside Fastify's: it only looks at the request line and headers, never the body.
  tributary.app!.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const entry: Seen = {
      method: request.method ?? '',
      url: request.url ?? '',
      contentType: request.headers['content-type'],
      contentLength: request.headers['content-length'],
      status: 0,
    }
    seen.push(entry)
    response.on('finish', () => (entry.status = response.statusCode))
  })

  previousApiUrl = process.env.PLUGGY_API_URL
  process.env.PLUGGY_API_URL = tributary.url!
  client = new PluggyClient({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, baseUrl: tributary.url! })
})

afterAll(async () => {
  if (previousApiUrl === undefined) delete process.env.PLUGGY_API_URL
  else process.env.PLUGGY_API_URL = previousApiUrl
  await tributary?.stop()
})

const finished = (item: Item) => item.status !== 'UPDATING' && item.status !== 'WAITING_USER_INPUT'

/** Waits (vi.waitFor on the SDK's fetchItem) until `until(item)` holds. */
function pollItem(id: string, until: (item: Item) => boolean = finished, timeoutMs = 20_000): Promise<Item> {
  return vi.waitFor(
    async () => {
      const item = await client.fetchItem(id)
      if (!until(item)) throw new Error(`item ${id} did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(item)}`)
      return item
    },
    { timeout: timeoutMs, interval: 25 },
  )
}

/** The requests seen since `from`, as "METHOD url → status". */
const requestsSince = (from: number) => seen.slice(from).map((r) => `${r.method} ${r.url} → ${r.status}`)

/** A client of its own (not yet authenticated), for a test that counts the requests it sends. */
const freshClient = () => new PluggyClient({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, baseUrl: tributary.url! })

/** A connector-0 item that finished connecting (UPDATED), for a test to act on. */
async function connectedItem(): Promise<string> {
  const created = await client.createItem(0, { user: 'user-ok', password: 'password-ok' })
  expect((await pollItem(created.id)).status).toBe('UPDATED')
  return created.id
}

describe('pluggy-sdk 0.90.0 against a listening Tributary', () => {
  it('talks to PLUGGY_API_URL, authenticates once and lists the sandbox connectors', async () => {
    const sdk = freshClient()
    const from = seen.length
    const page = await sdk.fetchConnectors({ sandbox: true })
    expect(page.page).toBe(1)
    expect(page.total).toBe(page.results.length)
    expect(page.totalPages).toBe(1)
    const sandbox = page.results.filter((c) => c.isSandbox)
    expect(sandbox.map((c) => c.id).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
    expect(sandbox.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Sandbox Bank', 'Sandbox Bank MFA 1-step', 'Sandbox Bank MFA 2-step', 'Sandbox Bank App Authorization', 'Sandbox Bank Trusted Device']),
    )
    // The SDK turns ISO strings with milliseconds into Dates.
    for (const connector of sandbox) expect(connector.createdAt).toBeInstanceOf(Date)
    expect(requestsSince(from)).toEqual(['POST /auth → 200', 'GET /connectors?sandbox=true → 200'])

    // The apiKey is decoded as a JWT with `exp` in the future, so it is reused.
    await sdk.fetchConnectors({ sandbox: true })
    expect(seen.slice(from).filter((r) => r.url === '/auth')).toHaveLength(1)
  })

  it('fetchConnector(0) answers the no-MFA sandbox bank', async () => {
    const connector = await client.fetchConnector(0)
    expect(connector).toMatchObject({ id: 0, name: 'Sandbox Bank', isSandbox: true, hasMFA: false, oauth: false, health: { status: 'ONLINE' } })
    expect(connector.credentials.map((c) => c.name)).toEqual(['user', 'password'])
    expect(connector.createdAt).toBeInstanceOf(Date)
  })

  it('createItem on connector 0 with user-ok ends UPDATED / SUCCESS', async () => {
    const created = await client.createItem(0, { user: 'user-ok', password: 'password-ok' })
    expect(created.status).toBe('UPDATING')
    expect(created.connector.id).toBe(0)
    expect(created.createdAt).toBeInstanceOf(Date)
    const item = await pollItem(created.id)
    expect(item).toMatchObject({ id: created.id, status: 'UPDATED', executionStatus: 'SUCCESS', error: null, parameter: null })
    expect(item.lastUpdatedAt).toBeInstanceOf(Date)
  })

  it('createItem on connector 2 waits for the token, updateItemMFA sends it, the item ends UPDATED / SUCCESS', async () => {
    const created = await client.createItem(2, { user: 'user-ok', password: 'password-ok' })
    expect(created.status).toBe('UPDATING')
    const waiting = await pollItem(created.id, (item) => item.status === 'WAITING_USER_INPUT' || finished(item))
    expect(waiting.status).toBe('WAITING_USER_INPUT')
    expect(waiting.executionStatus).toBe('WAITING_USER_INPUT')
    expect(waiting.parameter?.name).toBe('token')

    const from = seen.length
    const answered = await client.updateItemMFA(created.id, { token: '123456' })
    expect(answered.status).toBe('UPDATING')
    expect(requestsSince(from)).toEqual([`POST /items/${created.id}/mfa → 200`])

    const item = await pollItem(created.id)
    expect(item).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS', error: null, parameter: null })
  })

  it('updateItem(id) without parameters starts a new execution that ends UPDATED', async () => {
    const okItemId = await connectedItem()
    const before = await client.fetchItem(okItemId)
    const from = seen.length
    // The SDK sends PATCH /items/:id with the body { id } (parameters undefined are dropped).
    const updating = await client.updateItem(okItemId)
    expect(requestsSince(from)).toEqual([`PATCH /items/${okItemId} → 200`])
    expect(updating.id).toBe(okItemId)
    expect(updating.status).toBe('UPDATING')
    expect(updating.error).toBeNull()

    const item = await pollItem(okItemId)
    expect(item).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS', error: null })
    expect(item.lastUpdatedAt!.getTime()).toBeGreaterThan(before.lastUpdatedAt!.getTime())
  })

  it('a wrong password ends LOGIN_ERROR with error.code INVALID_CREDENTIALS', async () => {
    const created = await client.createItem(0, { user: 'user-ok', password: 'wrong-password' })
    const item = await pollItem(created.id)
    expect(item.status).toBe('LOGIN_ERROR')
    expect(item.executionStatus).toBe('INVALID_CREDENTIALS')
    expect(item.error?.code).toBe('INVALID_CREDENTIALS')
    expect(item.error?.message).toEqual(expect.any(String))
  })

  it('deleteItem(id) succeeds and a later fetchItem(id) rejects with ITEM_NOT_FOUND', async () => {
    const okItemId = await connectedItem()
    const from = seen.length
    await expect(client.deleteItem(okItemId)).resolves.toBeUndefined()
    expect(requestsSince(from)).toEqual([`DELETE /items/${okItemId} → 200`])

    // The SDK logs failed requests with console.error before rejecting with the error body.
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      await expect(client.fetchItem(okItemId)).rejects.toMatchObject({ code: 404, codeDescription: 'ITEM_NOT_FOUND' })
    } finally {
      consoleError.mockRestore()
    }
  })

  it('sends only the expected requests through a whole lifecycle, every one with Content-Type: application/json', async () => {
    const sdk = freshClient()
    const from = seen.length
    await sdk.fetchConnectors({ sandbox: true })
    await sdk.fetchConnector(0)
    const created = await sdk.createItem(2, { user: 'user-ok', password: 'password-ok' })
    expect((await pollItem(created.id, (item) => item.status === 'WAITING_USER_INPUT' || finished(item))).status).toBe('WAITING_USER_INPUT')
    await sdk.updateItemMFA(created.id, { token: '123456' })
    expect((await pollItem(created.id)).status).toBe('UPDATED')
    // A 2-step item asks for a token on every execution: deleted while it waits.
    await sdk.updateItem(created.id)
    expect((await pollItem(created.id, (item) => item.status === 'WAITING_USER_INPUT' || finished(item))).status).toBe('WAITING_USER_INPUT')
    await sdk.deleteItem(created.id)
    const sent = seen.slice(from)
    // got sends Content-Type: application/json on every request, DELETE (which has no body) included.
    for (const request of sent) expect(request.contentType, `${request.method} ${request.url}`).toBe('application/json')
    expect(new Set(sent.map((r) => `${r.method} ${r.url.replace(/[0-9a-f-]{36}/g, ':id')}`))).toEqual(
      new Set(['POST /auth', 'GET /connectors?sandbox=true', 'GET /connectors/0', 'POST /items', 'GET /items/:id', 'POST /items/:id/mfa', 'PATCH /items/:id', 'DELETE /items/:id']),
    )
  })
})

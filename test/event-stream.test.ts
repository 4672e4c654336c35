import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../src/config.ts'
import { startTributary, type Tributary } from '../src/main.ts'
import { CLIENT } from './support/harness.ts'

// The stream needs a real socket (inject cannot read an endless body), so this suite listens.
let tributary: Tributary
let base: string
let apiKey: string

beforeAll(async () => {
  const config = loadConfig({
    TRIBUTARY_DATA_DIR: ':memory:',
    TRIBUTARY_SANDBOX_DELAY_MS: '20',
    TRIBUTARY_CLIENT_ID: CLIENT.clientId,
    TRIBUTARY_CLIENT_SECRET: CLIENT.clientSecret,
    TRIBUTARY_POLL_INTERVAL_MS: '50',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
  })
  tributary = await startTributary(config, { logger: pino({ level: process.env.TEST_LOG ?? 'silent' }) })
  base = tributary.url!
  const auth = await fetch(`${base}/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(CLIENT) })
  apiKey = (await auth.json()).apiKey
})
afterAll(() => tributary?.stop())

interface SseEvent {
  id: string
  event: string
  data: any
}

/**
 * Reads SSE events in the background and waits (vi.waitFor) until `until` holds for the list so
 * far; then closes the stream. `what` names the wait in the failure, with the events seen.
 */
async function readStream(url: string, headers: Record<string, string>, until: (events: SseEvent[]) => boolean, what: string): Promise<SseEvent[]> {
  const controller = new AbortController()
  const response = await fetch(url, { headers, signal: controller.signal })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toContain('text/event-stream')
  const events: SseEvent[] = []
  let ended = false
  const reading = (async () => {
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += decoder.decode(value, { stream: true })
      let boundary: number
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, boundary)
        buffer = buffer.slice(boundary + 2)
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((l) => l && !l.startsWith(':'))
            .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
        )
        if (fields.data) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) })
      }
    }
  })()
    .catch(() => {})
    .finally(() => (ended = true))
  try {
    await vi.waitFor(
      () => {
        if (!until(events)) throw new Error(`${what}: not in the stream${ended ? ', which ended' : ''}; events so far: ${JSON.stringify(events.map((e) => e.data.executionStatus ?? e.event))}`)
      },
      { timeout: 30_000, interval: 10 },
    )
  } finally {
    controller.abort()
    await reading
  }
  return events
}

async function post(path: string, body: unknown, key = apiKey) {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) })
  return { status: response.status, body: await response.json() }
}

const finished = (events: SseEvent[]) => events.some((e) => ['item/created', 'item/updated', 'item/error'].includes(e.event))

describe('GET /items/{id}/events (Server-Sent Events)', () => {
  it('streams every status change of a 2-step MFA execution in order, then the webhook events', async () => {
    const { body: item } = await post('/items', { connectorId: 2, parameters: { user: 'user-ok', password: 'password-ok' } })
    const stream = readStream(`${base}/items/${item.id}/events`, { 'x-api-key': apiKey }, (events) => events.some((e) => e.data.executionStatus === 'WAITING_USER_INPUT'), 'WAITING_USER_INPUT')
    const untilWaiting = await stream
    expect((await post(`/items/${item.id}/mfa`, { token: '123456' })).status).toBe(200)
    const last = untilWaiting.at(-1)!
    const rest = await readStream(`${base}/items/${item.id}/events`, { 'x-api-key': apiKey, 'last-event-id': last.id }, finished, 'the event that ends the execution')
    const all = [...untilWaiting, ...rest]
    // Resuming from Last-Event-ID repeats nothing and skips nothing.
    const ids = all.map((e) => Number(e.id))
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    expect(new Set(ids).size).toBe(ids.length)
    const statuses = all.filter((e) => e.event === 'item/status').map((e) => e.data.executionStatus)
    expect(statuses).toEqual([
      'CREATED',
      'LOGIN_IN_PROGRESS',
      'WAITING_USER_INPUT',
      'LOGIN_MFA_IN_PROGRESS',
      'ACCOUNTS_IN_PROGRESS',
      'CREDITCARDS_IN_PROGRESS',
      'TRANSACTIONS_IN_PROGRESS',
      'INVESTMENTS_IN_PROGRESS',
      'INVESTMENT_TRANSACTIONS_IN_PROGRESS',
      'PAYMENT_DATA_IN_PROGRESS',
      'IDENTITY_IN_PROGRESS',
      'OPPORTUNITIES_IN_PROGRESS',
      'LOANS_IN_PROGRESS',
      'ACCOUNT_STATEMENTS_IN_PROGRESS',
      'MERGING',
      'SUCCESS',
    ])
    const waiting = all.find((e) => e.data.executionStatus === 'WAITING_USER_INPUT')!
    expect(waiting.data.parameter.name).toBe('token')
    const webhookEvents = all.filter((e) => e.event !== 'item/status').map((e) => e.event)
    // The first execution's success is item/created (SPEC §7.1), not item/updated.
    expect(webhookEvents).toEqual(expect.arrayContaining(['item/waiting_user_input', 'item/login_succeeded', 'item/created']))
    expect(webhookEvents).not.toContain('item/updated')
  })

  it('accepts a connect token in the query (EventSource cannot send headers) but never an API key there', async () => {
    const { body: token } = await post('/connect_token', {})
    const { body: item } = await post('/items', { connectorId: 0, parameters: { user: 'user-locked', password: 'password-ok' } }, token.accessToken)
    const events = await readStream(`${base}/items/${item.id}/events?connectToken=${token.accessToken}`, {}, finished, 'the event that ends the execution')
    expect(events.at(-1)?.event).toBe('item/error')
    expect(events.filter((e) => e.event === 'item/status').at(-1)?.data).toMatchObject({ status: 'LOGIN_ERROR', executionStatus: 'ACCOUNT_LOCKED' })
    const withApiKey = await fetch(`${base}/items/${item.id}/events?connectToken=${apiKey}`)
    expect(withApiKey.status).toBe(401)
  })

  it('refuses another client’s item and a token bound to another item', async () => {
    const { body: mine } = await post('/items', { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } })
    const { body: token } = await post('/connect_token', { itemId: mine.id })
    const { body: other } = await post('/items', { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } })
    expect((await fetch(`${base}/items/${other.id}/events?connectToken=${token.accessToken}`)).status).toBe(403)
    expect((await fetch(`${base}/items/00000000-0000-4000-8000-000000000000/events`, { headers: { 'x-api-key': apiKey } })).status).toBe(404)
  })
})

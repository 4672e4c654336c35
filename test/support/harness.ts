import { vi } from 'vitest'
import type { StartOptions, Tributary } from '../../src/main.ts'
import { startTributary } from '../../src/testing/index.ts'

export const CLIENT = { clientId: 'test-client', clientSecret: 'test-client-secret-0123456789' }
export const OTHER_CLIENT = { clientId: 'other-client', clientSecret: 'other-client-secret-0123456789' }

export interface Reply<T = any> {
  status: number
  body: T
  headers: Record<string, unknown>
}

export interface TestEngine {
  tributary: Tributary
  /** The engine's clock (a ManualClock when the test gave one). */
  clock: Tributary['clock']
  /** An API key of the test client (or another client's, with `client`). */
  apiKey(client?: { clientId: string; clientSecret: string }): Promise<string>
  request<T = any>(method: string, url: string, options?: { body?: unknown; apiKey?: string; headers?: Record<string, string> }): Promise<Reply<T>>
  /** Creates an item and returns its body (throws unless 200). */
  createItem(apiKey: string, body: Record<string, unknown>): Promise<any>
  /** Waits (vi.waitFor on GET /items/:id) until `until(item)` holds; fails after `timeoutMs` with the last answer. */
  waitForItem(apiKey: string, id: string, until?: (item: any) => boolean, timeoutMs?: number): Promise<any>
  executions(apiKey: string, id: string): Promise<any[]>
  /** Returns once the engine has nothing left to run (tributary/testing's settle()): what a test checks after it did not happen. */
  settle(): Promise<void>
  stop(): Promise<void>
}

export const isFinished = (item: any) => item.status !== 'UPDATING' && item.status !== 'WAITING_USER_INPUT'
export const isWaiting = (item: any) => item.status === 'WAITING_USER_INPUT'

/**
 * Starts a whole engine (embedded in-memory database, queue, workers, HTTP app) for one test file,
 * with `tributary/testing`'s startTributary. Requests go through `app.inject`, the same stack as a
 * real socket minus the network; the engine also listens on a loopback port (`tributary.url`), so
 * `listen` is accepted and changes nothing.
 */
export async function startTestEngine(env: Record<string, string> = {}, options: Pick<StartOptions, 'clock' | 'connectors' | 'logger' | 'listen'> = {}): Promise<TestEngine> {
  const fixture = await startTributary({
    env: {
      TRIBUTARY_CLIENT_ID: CLIENT.clientId,
      TRIBUTARY_CLIENT_SECRET: CLIENT.clientSecret,
      TRIBUTARY_CLIENTS: `${OTHER_CLIENT.clientId}:${OTHER_CLIENT.clientSecret}`,
      TRIBUTARY_ITEM_CREATE_RATE_LIMIT: '600',
      ...env,
    },
    clock: options.clock,
    connectors: options.connectors,
    logger: options.logger,
    logLevel: 'silent',
  })
  const tributary = fixture.engine
  const app = tributary.app!

  const request: TestEngine['request'] = async (method, url, opts = {}) => {
    const response = await app.inject({
      method: method as any,
      url,
      headers: { ...(opts.apiKey ? { 'x-api-key': opts.apiKey } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      ...(opts.body !== undefined ? { payload: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}),
    })
    let body: any = response.body
    try {
      body = response.json()
    } catch {}
    return { status: response.statusCode, body, headers: response.headers }
  }

  const engine: TestEngine = {
    tributary,
    clock: tributary.clock,
    settle: () => fixture.clock.settle(),
    async apiKey(client = CLIENT) {
      const reply = await request('POST', '/auth', { body: client })
      if (reply.status !== 200) throw new Error(`auth failed: ${JSON.stringify(reply.body)}`)
      return reply.body.apiKey
    },
    request,
    async createItem(apiKey, body) {
      const reply = await request('POST', '/items', { apiKey, body })
      if (reply.status !== 200) throw new Error(`create failed: ${reply.status} ${JSON.stringify(reply.body)}`)
      return reply.body
    },
    waitForItem: (apiKey, id, until = isFinished, timeoutMs = 20_000) =>
      vi.waitFor(
        async () => {
          const reply = await request('GET', `/items/${id}`, { apiKey })
          if (reply.status !== 200 || !until(reply.body)) throw new Error(`item ${id} did not reach the expected state in ${timeoutMs} ms; last: ${reply.status} ${JSON.stringify(reply.body)}`)
          return reply.body
        },
        { timeout: timeoutMs, interval: 20 },
      ),
    async executions(apiKey, id) {
      const reply = await request('GET', `/items/${id}/executions?pageSize=500`, { apiKey })
      if (reply.status !== 200) throw new Error(`executions failed: ${JSON.stringify(reply.body)}`)
      return reply.body.results
    },
    stop: () => tributary.stop(),
  }
  return engine
}

/** The statuses an execution passed through, in order. */
export const timeline = (execution: { steps: { status: string }[] }) => execution.steps.map((s) => s.status)

export const ALL_PRODUCT_STEPS = [
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
]

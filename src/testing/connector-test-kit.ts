/**
 * The connector test kit: boots the real engine (embedded in-memory database, queue, workers,
 * HTTP app) around the connectors under test and drives it through its HTTP API with
 * `app.inject` — so a test sees exactly what an application would see: item statuses, MFA
 * parameters, errors, `statusDetail` and execution timelines.
 *
 * Terminology (SPEC §1, §2): an *item* is one connection through a connector; each sync of it is
 * an *execution*, whose *timeline* lists every status it passed through, from `CREATED` to its
 * final *outcome* (`SUCCESS`, `INVALID_CREDENTIALS`, …).
 *
 * @example
 * import { afterAll, beforeAll, expect, it } from 'vitest'
 * import { startConnectorTestKit, type ConnectorTestKit } from 'tributary/testing'
 * import myBank from '../src/my-bank.ts'
 *
 * let kit: ConnectorTestKit
 * beforeAll(async () => { kit = await startConnectorTestKit({ connectors: [myBank] }) })
 * afterAll(() => kit?.stop())
 *
 * it('logs in with an SMS code', async () => {
 *   const { itemId } = await kit.connect(myBank.id, { user: 'alice', password: 'right' })
 *   const waiting = await kit.waitForMfa(itemId)
 *   expect(waiting.parameter?.name).toBe('otp')
 *   await kit.sendMfa(itemId, '123456')
 *   const item = await kit.waitForFinal(itemId)
 *   expect([item.status, item.executionStatus]).toEqual(['UPDATED', 'SUCCESS'])
 * })
 */
import { deepStrictEqual } from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import pino from 'pino'
import { loadConfig } from '../config.ts'
import { defineConnector, type ConnectorDefinition } from '../connectors/sdk/index.ts'
import type { z } from 'zod'
import { PRODUCTS_IN_STEP_ORDER, PRODUCT_STEP, type ExecutionStatus, type Product, type StatusDetailKey } from '../domain/statuses.ts'
import type { Account } from '../http/schemas/account.ts'
import type { Execution, ExecutionStep } from '../http/schemas/execution.ts'
import type { Item, MfaParameter, ProductStatus } from '../http/schemas/item.ts'
import type { Transaction } from '../http/schemas/transaction.ts'
import { REDACTED_LOG_PATHS, startTributary, type Tributary } from '../main.ts'
import { takeEmbeddedDatabase } from './embedded-pool.ts'

// ---------------------------------------------------------------------------------------------
// What the API answers (SPEC §3.3), as JSON: the types of the API's own response schemas

export type { StatusDetailKey }

/** One product's entry in `item.statusDetail`. */
export type ProductStatusDetail = ProductStatus

/** An item as `GET /items/{id}` answers it. */
export type KitItem = Item

export type KitExecutionStep = z.infer<typeof ExecutionStep>

/** An execution as `GET /items/{id}/executions` answers it, plus its `timeline`. */
export interface KitExecution extends Execution {
  /** `steps.map(s => s.status)`: `['CREATED', 'LOGIN_IN_PROGRESS', …, 'SUCCESS']`. */
  timeline: ExecutionStatus[]
}

/** An account as `GET /accounts` answers it (SPEC §3.4). */
export type KitAccount = Account

/** A transaction as `GET /transactions` answers it (SPEC §3.4). */
export type KitTransaction = Transaction

export interface KitReply<T = any> {
  status: number
  body: T
  headers: Record<string, unknown>
}

/** A log line the engine (or a connector through `ctx.log`) wrote during the test. */
export interface KitLogLine {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'
  msg: string
  time: number
  itemId?: string
  executionId?: string
  connectorId?: number
  /** The connector's name, on lines written through `ctx.log`. */
  connector?: string
  err?: { type?: string; message?: string; stack?: string }
  [key: string]: unknown
}

/** An API call answered with something other than 200; carries the reply. */
export class KitRequestError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly reply: KitReply,
  ) {
    super(`${method} ${url} answered ${reply.status}: ${JSON.stringify(reply.body)}`)
    this.name = 'KitRequestError'
  }
}

// ---------------------------------------------------------------------------------------------
// Options and the kit

export interface ConnectorTestKitOptions {
  /**
   * The connectors under test (made with `defineConnector`; checked again here, so a broken
   * definition fails the start with a ConnectorContractError naming it). The sandbox banks 0–4
   * are always there too.
   */
  connectors: ConnectorDefinition | readonly ConnectorDefinition[]
  /**
   * Extra engine configuration (SPEC §5), e.g. `{ TRIBUTARY_MFA_TIMEOUT_SECONDS: '2' }` or
   * `{ TRIBUTARY_EXECUTION_DEADLINE_SECONDS: '2' }`. The process environment is NOT read, so a
   * developer's own `TRIBUTARY_CONNECTORS` or `DATABASE_URL` cannot leak into a test.
   */
  env?: Record<string, string>
  /** Lowest level of the log lines kept for `logs()` (default `debug`). */
  logLevel?: KitLogLine['level']
  /** How long the `waitFor…` helpers wait by default (ms, default 20 000). */
  timeoutMs?: number
}

export interface ConnectOptions {
  /** Products to collect (default: every product the connector declares). */
  products?: Product[]
  clientUserId?: string
  webhookUrl?: string
}

export interface WaitOptions {
  timeoutMs?: number
}

export interface ConnectorTestKit {
  /** The running engine, for what the helpers do not cover. */
  readonly tributary: Tributary
  /** An API key of the kit's generated client, for `request`. */
  readonly apiKey: string
  /** Any API call as the kit's client (`X-API-KEY` set); never throws on a 4xx/5xx. */
  request<T = any>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<KitReply<T>>
  /** `POST /items`: starts the first execution. Throws {@link KitRequestError} unless 200. */
  connect(connectorId: number, parameters: Record<string, string>, options?: ConnectOptions): Promise<{ itemId: string; item: KitItem }>
  /** `PATCH /items/{id}`: starts a new execution (parameters are merged into the stored ones). */
  update(itemId: string, parameters?: Record<string, string>): Promise<KitItem>
  /** `GET /items/{id}`. */
  item(itemId: string): Promise<KitItem>
  /** Polls the item until `predicate(item)` holds; rejects after the timeout with the last item seen. */
  waitForStatus(itemId: string, predicate: (item: KitItem) => boolean, options?: WaitOptions): Promise<KitItem>
  /**
   * Waits until the execution ends (item `UPDATED`, `OUTDATED` or `LOGIN_ERROR`). Rejects at once
   * when the item stops at `WAITING_USER_INPUT` — send the value with `sendMfa` first — unless
   * `waitThroughMfa` (e.g. to watch `USER_INPUT_TIMEOUT` with a short `TRIBUTARY_MFA_TIMEOUT_SECONDS`).
   */
  waitForFinal(itemId: string, options?: WaitOptions & { waitThroughMfa?: boolean }): Promise<KitItem>
  /** Waits until the item asks for an MFA value (`WAITING_USER_INPUT`); rejects if it ends first. */
  waitForMfa(itemId: string, options?: WaitOptions): Promise<KitItem & { parameter: MfaParameter }>
  /**
   * `POST /items/{id}/mfa` with `{ [parameter.name]: value }` (the name is read from the waiting
   * item unless given). Throws {@link KitRequestError} unless 200.
   */
  sendMfa(itemId: string, value: string, parameterName?: string): Promise<KitItem>
  /**
   * Open Finance: plays the institution sending the user back (`GET /oauth/callback` with the
   * waiting item's `state` and `params`, e.g. `{ code: 'abc' }` or `{ error: 'access_denied' }`).
   */
  returnFromInstitution(itemId: string, params: Record<string, string>): Promise<KitReply>
  /** `GET /items/{id}/executions`: newest first, each with its `timeline`. */
  executions(itemId: string): Promise<KitExecution[]>
  /** The newest execution of the item. */
  lastExecution(itemId: string): Promise<KitExecution>
  /** `GET /accounts?itemId=`: every account the item's executions stored (all pages). */
  accounts(itemId: string): Promise<KitAccount[]>
  /** `GET /transactions?accountId=`: every stored transaction of the account, newest first (all pages). */
  transactions(accountId: string): Promise<KitTransaction[]>
  /** Log lines written since the kit started (or since `clearLogs`), optionally only one item's. */
  logs(filter?: { itemId?: string; minLevel?: KitLogLine['level'] }): KitLogLine[]
  clearLogs(): void
  /** Stops the engine (aborting executions still running) and frees the database. */
  stop(): Promise<void>
}

const LEVELS: Record<KitLogLine['level'], number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }
const LEVEL_NAMES = Object.fromEntries(Object.entries(LEVELS).map(([name, value]) => [value, name])) as Record<number, KitLogLine['level']>

const isFinal = (item: KitItem) => !['UPDATING', 'WAITING_USER_INPUT', 'WAITING_USER_ACTION'].includes(item.status)
const isWaiting = (item: KitItem) => item.status === 'WAITING_USER_INPUT'
const POLL_MS = 20

/**
 * Boots the real engine with the given connectors and returns helpers that drive it through the
 * HTTP API. One kit per test file is enough (boot takes a few seconds); call `stop()` after.
 *
 * @example
 * const kit = await startConnectorTestKit({ connectors: [myBank], env: { TRIBUTARY_MFA_TIMEOUT_SECONDS: '5' } })
 * const { itemId } = await kit.connect(myBank.id, { user: 'alice', password: 'wrong' })
 * const item = await kit.waitForFinal(itemId)
 * // item.status === 'LOGIN_ERROR', item.executionStatus === 'INVALID_CREDENTIALS'
 * await kit.stop()
 */
export async function startConnectorTestKit(options: ConnectorTestKitOptions): Promise<ConnectorTestKit> {
  // Checked like TRIBUTARY_CONNECTORS modules are, also when a definition skipped defineConnector.
  const given: readonly ConnectorDefinition[] = Array.isArray(options.connectors) ? options.connectors : [options.connectors as ConnectorDefinition]
  const connectors = given.map((c): ConnectorDefinition => defineConnector(c))
  const defaultTimeoutMs = options.timeoutMs ?? 20_000
  const client = { clientId: `kit-${randomBytes(6).toString('hex')}`, clientSecret: randomBytes(24).toString('base64url') }
  const config = loadConfig({
    TRIBUTARY_DATA_DIR: ':memory:',
    TRIBUTARY_SANDBOX_DELAY_MS: '0',
    TRIBUTARY_CLIENT_ID: client.clientId,
    TRIBUTARY_CLIENT_SECRET: client.clientSecret,
    TRIBUTARY_POLL_INTERVAL_MS: '50',
    // A test fires many requests at one item; the limits are the engine's business, not the connector's.
    TRIBUTARY_AUTH_RATE_LIMIT: '100000',
    TRIBUTARY_ITEM_UPDATE_RATE_LIMIT: '100000',
    TRIBUTARY_ITEM_CREATE_RATE_LIMIT: '100000',
    LOG_LEVEL: 'silent',
    ...options.env,
  })

  // Log lines are kept in memory (not printed), so a test can assert on them, e.g. that a
  // connector's failure is named, or that no secret was written. Same redaction as the server.
  let lines: KitLogLine[] = []
  const logger = pino(
    { level: options.logLevel ?? 'debug', redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } },
    {
      write(chunk: string) {
        try {
          const parsed = JSON.parse(chunk) as Record<string, unknown>
          lines.push({ ...parsed, level: LEVEL_NAMES[parsed.level as number] ?? 'info' } as KitLogLine)
        } catch {
          // not JSON: nothing a test could match on
        }
      },
    },
  )

  // In memory, the database comes from the process's pool of migrated ones (embedded-pool.ts).
  const database = config.dataDir === ':memory:' && !config.databaseUrl ? { database: takeEmbeddedDatabase } : {}
  const tributary = await startTributary(config, { connectors, listen: false, logger, ...database })
  const app = tributary.app
  if (!app) {
    await tributary.stop()
    throw new Error('the test kit needs the HTTP API: do not set TRIBUTARY_ROLE=worker in env')
  }

  const inject = async <T = any>(method: string, url: string, body?: unknown, apiKey?: string): Promise<KitReply<T>> => {
    const response = await app.inject({
      method: method as 'GET',
      url,
      headers: { ...(apiKey ? { 'x-api-key': apiKey } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    })
    let parsed: unknown = response.body
    try {
      parsed = response.json()
    } catch {
      // not JSON (e.g. /metrics): keep the text
    }
    return { status: response.statusCode, body: parsed as T, headers: response.headers }
  }

  let apiKey: string
  try {
    const auth = await inject<{ apiKey: string }>('POST', '/auth', client)
    if (auth.status !== 200) throw new KitRequestError('POST', '/auth', auth)
    apiKey = auth.body.apiKey
  } catch (error) {
    await tributary.stop()
    throw error
  }

  const request: ConnectorTestKit['request'] = (method, url, body) => inject(method, url, body, apiKey)
  const ok = async <T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<T> => {
    const reply = await request<T>(method, url, body)
    if (reply.status !== 200) throw new KitRequestError(method, url, reply)
    return reply.body
  }
  const item = (itemId: string) => ok<KitItem>('GET', `/items/${itemId}`)

  const poll = async (itemId: string, done: (item: KitItem) => boolean, stopEarly: ((item: KitItem) => string | null) | null, what: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs
    let last: KitItem | undefined
    for (;;) {
      last = await item(itemId)
      if (done(last)) return last
      const early = stopEarly?.(last)
      if (early) throw new Error(`item ${itemId}: ${early}; item: ${describeItem(last)}`)
      if (Date.now() >= deadline) throw new Error(`item ${itemId} did not ${what} within ${timeoutMs} ms; last seen: ${describeItem(last)}`)
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
  }

  const executions = async (itemId: string): Promise<KitExecution[]> => {
    const page = await ok<{ results: Execution[] }>('GET', `/items/${itemId}/executions?pageSize=500`)
    return page.results.map((execution) => ({ ...execution, timeline: execution.steps.map((s) => s.status) }))
  }

  /** Every result of a paged list (SPEC §3: `{ page, total, totalPages, results }`). */
  const allPages = async <T>(url: string): Promise<T[]> => {
    const results: T[] = []
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await ok<{ results: T[]; totalPages: number }>('GET', `${url}&pageSize=500&page=${pageNumber}`)
      results.push(...page.results)
      if (pageNumber >= page.totalPages) return results
    }
  }

  const kit: ConnectorTestKit = {
    tributary,
    apiKey,
    request,
    async connect(connectorId, parameters, connectOptions = {}) {
      const created = await ok<KitItem>('POST', '/items', { connectorId, parameters, ...connectOptions })
      return { itemId: created.id, item: created }
    },
    update: (itemId, parameters) => ok<KitItem>('PATCH', `/items/${itemId}`, parameters ? { parameters } : {}),
    item,
    waitForStatus: (itemId, predicate, waitOptions = {}) => poll(itemId, predicate, null, 'reach the expected state', waitOptions.timeoutMs ?? defaultTimeoutMs),
    waitForFinal: (itemId, waitOptions = {}) =>
      poll(
        itemId,
        isFinal,
        waitOptions.waitThroughMfa ? null : (i) => (isWaiting(i) ? `is waiting for the MFA value "${i.parameter?.name}" (send it with sendMfa, or pass waitThroughMfa)` : null),
        'finish its execution',
        waitOptions.timeoutMs ?? defaultTimeoutMs,
      ),
    waitForMfa: (itemId, waitOptions = {}) =>
      poll(
        itemId,
        isWaiting,
        (i) => (isFinal(i) ? `finished as ${i.status}/${i.executionStatus} instead of asking for an MFA value` : null),
        'ask for an MFA value',
        waitOptions.timeoutMs ?? defaultTimeoutMs,
      ) as Promise<KitItem & { parameter: MfaParameter }>,
    async returnFromInstitution(itemId, params) {
      const url = (await item(itemId)).userAction?.attributes?.url
      if (!url) throw new Error(`item ${itemId} is not waiting for the user at an institution's page`)
      return request('GET', `/oauth/callback?${new URLSearchParams({ ...params, state: new URL(url).searchParams.get('state') ?? '' })}`)
    },
    async sendMfa(itemId, value, parameterName) {
      let name = parameterName
      if (!name) {
        const current = await item(itemId)
        if (!current.parameter) throw new Error(`item ${itemId} is not waiting for an MFA value; item: ${describeItem(current)}`)
        name = current.parameter.name
      }
      return ok<KitItem>('POST', `/items/${itemId}/mfa`, { [name]: value })
    },
    executions,
    async lastExecution(itemId) {
      const [newest] = await executions(itemId)
      if (!newest) throw new Error(`item ${itemId} has no execution`)
      return newest
    },
    accounts: (itemId) => allPages<KitAccount>(`/accounts?itemId=${encodeURIComponent(itemId)}`),
    transactions: (accountId) => allPages<KitTransaction>(`/transactions?accountId=${encodeURIComponent(accountId)}`),
    logs(filter = {}) {
      const min = LEVELS[filter.minLevel ?? 'trace']
      return lines.filter((line) => LEVELS[line.level] >= min && (!filter.itemId || line.itemId === filter.itemId))
    },
    clearLogs() {
      lines = []
    },
    stop: () => tributary.stop(),
  }
  return kit
}

function describeItem(item: KitItem): string {
  return JSON.stringify({ status: item.status, executionStatus: item.executionStatus, error: item.error, parameter: item.parameter })
}

// ---------------------------------------------------------------------------------------------
// Timeline helpers

/** The statuses an execution passed through, in order. */
export function timelineOf(execution: { steps: { status: string }[] }): string[] {
  return execution.steps.map((step) => step.status)
}

/**
 * Asserts an execution's timeline (framework-neutral: throws node's AssertionError with a diff,
 * which vitest and jest print nicely).
 * @example expectTimeline(await kit.lastExecution(itemId), ['CREATED', 'LOGIN_IN_PROGRESS', 'INVALID_CREDENTIALS'])
 */
export function expectTimeline(execution: { steps: { status: string }[] }, expected: readonly string[]): void {
  deepStrictEqual(timelineOf(execution), [...expected])
}

/**
 * The timeline of a full execution: `CREATED`, login (with the MFA pause and resume when `mfa`
 * is the number of challenges), one step per product in the engine's order, `MERGING`, `outcome`.
 * @example expectTimeline(execution, fullTimeline(['ACCOUNTS', 'TRANSACTIONS'], 'SUCCESS', { mfa: 1 }))
 */
export function fullTimeline(products: readonly Product[], outcome: ExecutionStatus, options: { mfa?: number } = {}): ExecutionStatus[] {
  const mfa: ExecutionStatus[] = []
  for (let i = 0; i < (options.mfa ?? 0); i++) mfa.push('WAITING_USER_INPUT', 'LOGIN_MFA_IN_PROGRESS')
  const steps = PRODUCTS_IN_STEP_ORDER.filter((p) => products.includes(p)).map((p) => PRODUCT_STEP[p])
  return ['CREATED', 'LOGIN_IN_PROGRESS', ...mfa, ...steps, 'MERGING', outcome]
}

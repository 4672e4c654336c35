/**
 * `startTributary()`: a whole Tributary engine in the test's own process — embedded database in
 * memory, queue, workers, the HTTP API on a loopback port — with a client to call it as, and a
 * clock the test can move. Start one per test file (or per test); many run side by side.
 *
 * @example
 * import { PluggyClient } from 'pluggy-sdk'
 * import { startTributary, type TributaryFixture } from 'tributary/testing'
 *
 * let tributary: TributaryFixture
 * beforeAll(async () => { tributary = await startTributary({ clock: 'manual' }) })
 * afterAll(() => tributary.stop())
 *
 * it('connects a sandbox item', async () => {
 *   const pluggy = new PluggyClient({ ...tributary.credentials, baseUrl: tributary.url })
 *   const item = await pluggy.createItem(0, { user: 'user-ok', password: 'password-ok' })
 *   await tributary.clock.settle()
 *   expect((await pluggy.fetchItem(item.id)).status).toBe('UPDATED')
 * })
 */
import { randomBytes } from 'node:crypto'
import pino from 'pino'
import { loadConfig } from '../config.ts'
import type { ConnectorDefinition } from '../connectors/sdk/index.ts'
import { USER_WAIT_EXECUTION_STATUSES } from '../domain/statuses.ts'
import { startTributary as startEngine, type Tributary } from '../main.ts'
import { TASKS } from '../store/queue.ts'
import { countRunnableWork, type RunnableWork } from '../store/runnable-work.ts'
import type { Clock } from '../time/clock.ts'
import { ManualClock } from '../time/manual-clock.ts'
import { takeEmbeddedDatabase } from './embedded-pool.ts'

export interface StartTributaryOptions {
  /**
   * The engine's clock: `'system'` (default) is real time; `'manual'` stands still until the test
   * moves it with `clock.advance()` (auto-sync, MFA and authorization deadlines, webhook retries
   * then happen at once); or any Clock (a ManualClock of the test's own).
   */
  clock?: 'system' | 'manual' | Clock
  /** Keep the database in this directory (default: in memory, gone at `stop()`). */
  dataDir?: string
  /** Connectors of your own, beside the sandbox banks. */
  connectors?: ConnectorDefinition[]
  /**
   * Engine settings (the environment variables of the README), e.g.
   * `{ TRIBUTARY_MFA_TIMEOUT_SECONDS: '60' }`. The process environment is not read.
   */
  env?: Record<string, string>
  /** Wait before each sandbox step (default 0; keep 0 with a manual clock, whose waits never end on their own). */
  sandboxDelayMs?: number
  /** Engine log level (default `silent`). */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** A pino logger of your own for the engine's lines (then `logLevel` is its business). */
  logger?: pino.Logger
}

/** The engine's time, as the test sees it. */
export interface FixtureClock {
  now(): Date
  /** Moves a manual clock forward, firing every timer due on the way (throws on the system clock). */
  advance(ms: number): Promise<void>
  /** Moves a manual clock forward to `at`. */
  advanceTo(at: Date): Promise<void>
  /**
   * Resolves once nothing is runnable: every execution has ended or waits for the user, no queue
   * job is waiting for a worker, no webhook is due. Rejects after `timeoutMs` (default 30 000)
   * with what was still running.
   */
  settle(options?: { timeoutMs?: number }): Promise<void>
}

export interface TributaryFixture {
  /** Where the API answers, e.g. `http://127.0.0.1:41234` (the `baseUrl` of a Pluggy client). */
  url: string
  /** The client the fixture created: `{ clientId, clientSecret }`, as `new PluggyClient(...)` takes them. */
  credentials: { clientId: string; clientSecret: string }
  /** An API key of that client (`X-API-KEY`), ready to use (valid 2 hours of the engine's clock). */
  apiKey: string
  /** A new API key, valid from the engine's current time (after moving a manual clock past the first one's expiry). */
  authenticate(): Promise<string>
  clock: FixtureClock
  /** The engine itself (its database pool, item service, scheduler…), for what the API does not show. */
  engine: Tributary
  /** Stops the engine; an in-memory database is gone. */
  stop(): Promise<void>
}

const silent = pino({ level: 'silent' })

/** Starts an engine in this process and answers once its API does. */
export async function startTributary(options: StartTributaryOptions = {}): Promise<TributaryFixture> {
  const credentials = { clientId: `test-${randomBytes(4).toString('hex')}`, clientSecret: randomBytes(24).toString('base64url') }
  const dataDir = options.dataDir ?? ':memory:'
  const config = loadConfig({
    TRIBUTARY_DATA_DIR: dataDir,
    TRIBUTARY_CLIENT_ID: credentials.clientId,
    TRIBUTARY_CLIENT_SECRET: credentials.clientSecret,
    TRIBUTARY_SANDBOX_DELAY_MS: String(options.sandboxDelayMs ?? 0),
    PORT: '0',
    HOST: '127.0.0.1',
    TRIBUTARY_POLL_INTERVAL_MS: '50',
    // A test fires bursts at one engine; a stop ends the running executions at once.
    TRIBUTARY_AUTH_RATE_LIMIT: '10000',
    TRIBUTARY_ITEM_UPDATE_RATE_LIMIT: '10000',
    TRIBUTARY_ITEM_CREATE_RATE_LIMIT: '100000',
    TRIBUTARY_SHUTDOWN_GRACE_SECONDS: '0',
    LOG_LEVEL: options.logLevel ?? 'silent',
    ...options.env,
  })
  const clock = options.clock === 'manual' ? new ManualClock() : options.clock === 'system' ? undefined : options.clock
  const engine = await startEngine(config, {
    clock,
    connectors: options.connectors,
    logger: options.logger ?? (options.logLevel && options.logLevel !== 'silent' ? pino({ level: options.logLevel }) : silent),
    // In memory, the database comes from the process's pool of migrated ones (embedded-pool.ts).
    ...(config.dataDir === ':memory:' && !config.databaseUrl ? { database: takeEmbeddedDatabase } : {}),
  })
  const client = engine.bootstrapClient ?? credentials
  const authenticate = async (): Promise<string> => {
    // From an address of its own, so the fixture's logins never count against a test's rate limits.
    const auth = await engine.app!.inject({ method: 'POST', url: '/auth', remoteAddress: '192.0.2.1', payload: { clientId: client.clientId, clientSecret: client.clientSecret } })
    if (auth.statusCode !== 200) throw new Error(`the fixture's client could not authenticate: ${auth.body}`)
    return auth.json().apiKey
  }
  try {
    return {
      url: engine.url!.replace('localhost', '127.0.0.1'),
      credentials: { clientId: client.clientId, clientSecret: client.clientSecret },
      apiKey: await authenticate(),
      authenticate,
      clock: fixtureClock(engine),
      engine,
      stop: () => engine.stop(),
    }
  } catch (error) {
    await engine.stop()
    throw error
  }
}

function fixtureClock(engine: Tributary): FixtureClock {
  const manual = () => {
    if (engine.clock instanceof ManualClock) return engine.clock
    throw new Error("this engine runs on the system clock; start it with startTributary({ clock: 'manual' }) to move time")
  }
  return {
    now: () => engine.clock.now(),
    advance: async (ms) => manual().advance(ms),
    advanceTo: async (at) => manual().advanceTo(at),
    settle: (settleOptions) => settle(engine, settleOptions?.timeoutMs ?? 30_000),
  }
}

/** Polls until the engine has nothing runnable, twice in a row (a pass may be about to queue more). */
async function settle(engine: Tributary, timeoutMs: number): Promise<void> {
  // Real time: a guard against an engine that never settles, not a lifecycle wait.
  const giveUpAt = performance.now() + timeoutMs
  let quiet = 0
  let last: (RunnableWork & { passes: boolean }) | undefined
  while (quiet < 2) {
    await new Promise((resolve) => setImmediate(resolve))
    const work = await countRunnableWork(engine.db.pool, engine.clock.now(), USER_WAIT_EXECUTION_STATUSES, TASKS.runExecution)
    last = { ...work, passes: engine.scheduler.busy || engine.webhooks.busy }
    const busy = last.passes || work.executions > 0 || work.jobs > 0 || work.deliveries > 0
    quiet = busy ? 0 : quiet + 1
    if (busy) {
      if (performance.now() > giveUpAt) {
        throw new Error(
          `Tributary did not settle within ${timeoutMs} ms: ${last.executions} executions running, ${last.jobs} queue jobs to run, ${last.deliveries} webhooks due${last.passes ? ', a scheduler or webhook pass under way' : ''}`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
}

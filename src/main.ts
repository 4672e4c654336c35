import { hkdfSync, randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Runner } from 'graphile-worker'
import pino from 'pino'
import { ConfigError, type Config } from './config.ts'
import { createSandboxConnectors } from './connectors/sandbox/sandbox-connectors.ts'
import { defineConnector, type ConnectorDefinition } from './connectors/sdk/index.ts'
import { systemClock, type Clock } from './engine/clock.ts'
import { ConnectorRegistry, loadConnectorModules } from './engine/connector-registry.ts'
import { refreshConnectorHealth } from './engine/connector-health.ts'
import { ExecutionRunner } from './engine/execution-runner.ts'
import { ItemService } from './engine/item-service.ts'
import { reencryptSecrets } from './engine/key-rotation.ts'
import { TASKS, startQueueWorker } from './engine/queue.ts'
import { Wakeups } from './engine/wakeups.ts'
import { WebhookSender } from './events/webhook-sender.ts'
import { TokenAuthority, secretsEqual } from './http/auth.ts'
import { buildHealthApp, buildHttpApp, type App } from './http/app.ts'
import { DatabaseRateWindows, MemoryRateWindows, RateLimiter } from './http/rate-limit.ts'
import { Metrics } from './observability/metrics.ts'
import { createCipher, type Cipher } from './store/cipher.ts'
import { findActiveClient, upsertClient } from './store/clients.ts'
import { openDatabase, type Database } from './store/database.ts'
import { listenForWakeups } from './store/notifications.ts'
import { migrate } from './store/migrate.ts'

/** Log paths that may carry secrets; pino replaces them before anything is written. */
export const REDACTED_LOG_PATHS = [
  'parameters',
  '*.parameters',
  'credentials',
  '*.credentials',
  'password',
  '*.password',
  'clientSecret',
  '*.clientSecret',
  'req.headers["x-api-key"]',
  'req.headers.authorization',
]

export interface Tributary {
  config: Readonly<Config>
  db: Database
  app: App | null
  items: ItemService
  runner: ExecutionRunner
  cipher: Cipher
  /** The bootstrap client's keys (generated on first start when not configured). */
  bootstrapClient: { clientId: string; clientSecret: string } | null
  url: string | null
  stop(): Promise<void>
}

export interface StartOptions {
  clock?: Clock
  logger?: pino.Logger
  /** Connectors to add to the sandbox banks and TRIBUTARY_CONNECTORS (tests, embedding). */
  connectors?: ConnectorDefinition[]
  /** Listen on config.port (default true); tests use app.inject instead. */
  listen?: boolean
}

export function createLogger(level: string): pino.Logger {
  return pino({
    level,
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } } : {}),
  })
}

async function readOrCreate(file: string, create: () => string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    const value = create()
    await writeFile(file, value + '\n', { mode: 0o600 })
    return value
  }
}

const KEY_FILE = 'encryption.key'
const PREVIOUS_KEYS_FILE = 'encryption.previous-keys'

function persistentDataDir(config: Config): boolean {
  return !config.databaseUrl && config.dataDir !== ':memory:'
}

async function readKeyList(file: string): Promise<Buffer[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim()).map((l) => Buffer.from(l.trim(), 'base64'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

/** The encryption keys and bootstrap client: configured, or generated once into the data dir. */
async function loadSecrets(config: Config) {
  const persistent = persistentDataDir(config)
  if (persistent) await mkdir(config.dataDir, { recursive: true })
  const encryptionKey =
    config.encryptionKey ??
    (persistent ? Buffer.from(await readOrCreate(path.join(config.dataDir, KEY_FILE), () => randomBytes(32).toString('base64')), 'base64') : randomBytes(32))
  const previousKeys = [...config.previousEncryptionKeys, ...(persistent && !config.encryptionKey ? await readKeyList(path.join(config.dataDir, PREVIOUS_KEYS_FILE)) : [])]
  // Every process derives the same signing key from the shared encryption key unless one is given.
  const jwtSecret = config.jwtSecret ?? Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'tributary api keys', 32)).toString('base64')
  let bootstrap: { clientId: string; clientSecret: string } | null = null
  if (config.clientId && config.clientSecret) bootstrap = { clientId: config.clientId, clientSecret: config.clientSecret }
  else if (!config.databaseUrl) {
    const generate = () => JSON.stringify({ clientId: `client-${randomBytes(6).toString('hex')}`, clientSecret: randomBytes(24).toString('base64url') })
    bootstrap = JSON.parse(persistent ? await readOrCreate(path.join(config.dataDir, 'bootstrap-client.json'), generate) : generate())
  }
  return { encryptionKey, previousKeys, jwtSecret, bootstrap }
}

/**
 * Re-encrypts every stored secret with a new key. Embedded mode generates the key and keeps the
 * old one as "previous" until the re-encryption finished; with DATABASE_URL the operator sets
 * TRIBUTARY_ENCRYPTION_KEY to the new key and TRIBUTARY_ENCRYPTION_KEY_PREVIOUS to the old one.
 */
export async function rotateEncryptionKey(config: Readonly<Config>): Promise<{ keyId: string; clients: number; items: number }> {
  const persistent = persistentDataDir(config) && !config.encryptionKey
  let keys: Buffer[]
  if (persistent) {
    const { encryptionKey, previousKeys } = await loadSecrets(config)
    const fresh = randomBytes(32)
    await writeFile(path.join(config.dataDir, PREVIOUS_KEYS_FILE), [encryptionKey, ...previousKeys].map((k) => k.toString('base64')).join('\n') + '\n', { mode: 0o600 })
    await writeFile(path.join(config.dataDir, KEY_FILE), fresh.toString('base64') + '\n', { mode: 0o600 })
    keys = [fresh, encryptionKey, ...previousKeys]
  } else {
    if (!config.encryptionKey || config.previousEncryptionKeys.length === 0) {
      throw new ConfigError('TRIBUTARY_ENCRYPTION_KEY_PREVIOUS', 'set TRIBUTARY_ENCRYPTION_KEY to the new key and TRIBUTARY_ENCRYPTION_KEY_PREVIOUS to the old one(s), then run the rotation')
    }
    keys = [config.encryptionKey, ...config.previousEncryptionKeys]
  }
  const cipher = createCipher(keys)
  const db = await openDatabase(config)
  try {
    await migrate(db.pool, db.connectionString)
    const connectors = new ConnectorRegistry([...createSandboxConnectors({ delayMs: 0 }), ...(await loadConnectorModules(config.connectorModules))])
    const counts = await reencryptSecrets(db, cipher, connectors)
    if (persistent) await writeFile(path.join(config.dataDir, PREVIOUS_KEYS_FILE), '', { mode: 0o600 })
    return { keyId: cipher.keyId, ...counts }
  } finally {
    await db.close()
  }
}

/** What the command-line tools need: the database, the cipher and the connectors, no workers or HTTP. */
export interface AdminContext {
  db: Database
  cipher: Cipher
  connectors: ConnectorRegistry
  items: ItemService
  close(): Promise<void>
}

/**
 * Opens the database for an operator command. With the embedded database the server must be
 * stopped (PGlite allows one process); with PostgreSQL it works beside running servers.
 */
export async function openAdminContext(config: Readonly<Config>): Promise<AdminContext> {
  const { encryptionKey, previousKeys } = await loadSecrets(config)
  const db = await openDatabase(config, { poolSize: 2 })
  try {
    await migrate(db.pool, db.connectionString)
  } catch (error) {
    await db.close()
    throw error
  }
  const cipher = createCipher([encryptionKey, ...previousKeys])
  const connectors = new ConnectorRegistry([...createSandboxConnectors({ delayMs: config.sandboxDelayMs }), ...(await loadConnectorModules(config.connectorModules))])
  const logger = pino({ level: 'silent' })
  const items = new ItemService({ db, config, connectors, cipher, clock: systemClock, wakeups: new Wakeups(), logger })
  return { db, cipher, connectors, items, close: () => db.close() }
}

/**
 * Keeps the job queue running: graphile-worker shuts its runner down on some database errors
 * (a server restart), so a runner that ends while the process is not stopping is started again.
 */
async function superviseQueue(start: () => Promise<Runner>, logger: pino.Logger): Promise<{ stop(): Promise<void> }> {
  let current: Runner | null = null
  let stopping = false
  const launch = async (): Promise<void> => {
    try {
      current = await start()
    } catch (error) {
      if (stopping) return
      logger.warn({ err: error }, 'the job queue could not start; retrying in 1 s')
      setTimeout(() => void launch(), 1_000).unref()
      return
    }
    const runner = current
    runner.promise.then(
      () => undefined,
      (error) => logger.warn({ err: error }, 'the job queue stopped on an error'),
    ).finally(() => {
      if (stopping || current !== runner) return
      logger.warn('restarting the job queue')
      current = null
      setTimeout(() => void launch(), 1_000).unref()
    })
  }
  await launch()
  return {
    async stop() {
      stopping = true
      await current?.stop().catch(() => {})
    },
  }
}

/** Up to this many items start auto-syncing per scheduler pass and process. */
const AUTO_SYNC_BATCH = 100

/** Runs auto-sync passes a few times per interval (at most every 30 s, at least every 250 ms). */
function startAutoSyncScheduler(items: ItemService, intervalSeconds: number, logger: pino.Logger): NodeJS.Timeout {
  const everyMs = Math.min(30_000, Math.max(250, (intervalSeconds * 1000) / 4))
  let running = false
  const timer = setInterval(async () => {
    if (running) return
    running = true
    try {
      const started = await items.startDueAutoSyncs(AUTO_SYNC_BATCH)
      if (started > 0) logger.info({ started }, 'auto-sync started executions')
    } catch (error) {
      logger.warn({ err: error }, 'auto-sync pass failed; the next pass retries')
    } finally {
      running = false
    }
  }, everyMs)
  timer.unref()
  return timer
}

/** Builds store → engine → events → http from the configuration and starts what the role runs. */
export async function startTributary(config: Readonly<Config>, options: StartOptions = {}): Promise<Tributary> {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? createLogger(config.logLevel)
  const { encryptionKey, previousKeys, jwtSecret, bootstrap } = await loadSecrets(config)
  const db = await openDatabase(config)
  const stops: (() => Promise<void>)[] = [() => db.close()]
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch((error) => logger.warn({ err: error }, 'error while stopping'))
  }
  try {
    await migrate(db.pool, db.connectionString)
    const cipher = createCipher([encryptionKey, ...previousKeys])
    for (const client of [...(bootstrap ? [bootstrap] : []), ...config.extraClients]) {
      await upsertClient(db.pool, { id: client.clientId, secretEnc: cipher.encrypt(client.clientSecret) })
    }
    const connectors = new ConnectorRegistry([
      ...createSandboxConnectors({ delayMs: config.sandboxDelayMs }),
      ...(await loadConnectorModules(config.connectorModules)),
      ...(options.connectors ?? []).map((c) => defineConnector(c)),
    ])
    const wakeups = new Wakeups()
    const workerId = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
    const metrics = new Metrics(db)
    const runner = new ExecutionRunner({ db, config, connectors, cipher, clock, wakeups, logger, workerId, metrics })
    metrics.countInFlight(() => runner.inFlight)
    const items = new ItemService({ db, config, connectors, cipher, clock, wakeups, logger, runner })
    const webhooks = new WebhookSender({ db, cipher, clock, logger, config, metrics })

    if (config.role !== 'api') {
      // Embedded: this process is the only worker, so every started execution is an orphan.
      await runner.recoverOrphans({ allStarted: db.embedded })
      runner.startHeartbeats()
      if (!db.embedded) {
        // Another process's API may hold the MFA value or the delete for an execution running here.
        const stopListening = listenForWakeups(
          db.connectionString,
          (payload) => (payload.startsWith('cancel:') ? runner.cancelLocal(payload.slice('cancel:'.length)) : wakeups.notify(payload)),
          (error) => logger.warn({ err: error }, 'wake-up listener lost its connection; reconnecting (waiters poll meanwhile)'),
        )
        stops.push(stopListening)
      }
      const sweep = setInterval(() => void runner.recoverOrphans().catch((error) => logger.warn({ err: error }, 'recovery sweep failed')), config.workerLeaseSeconds * 1000)
      sweep.unref()
      const scheduler = startAutoSyncScheduler(items, config.autoSyncIntervalSeconds, logger)
      const healthSweep = setInterval(
        () => void refreshConnectorHealth({ db, connectors, clock, logger }).catch((error) => logger.warn({ err: error }, 'connector health sweep failed')),
        config.connectorHealthIntervalSeconds * 1000,
      )
      healthSweep.unref()
      const queue = await superviseQueue(
        () =>
          startQueueWorker({
            pool: db.pool,
            concurrency: config.workerConcurrency,
            // Embedded PGlite cannot deliver NOTIFY to graphile-worker's listener, so it polls; one
            // local-queue fetch per interval keeps that cheap.
            pollIntervalMs: db.embedded ? 50 : 1000,
            preparedStatements: db.preparesStatements,
            tasks: {
              [TASKS.runExecution]: async (payload) => runner.run((payload as { executionId: string }).executionId),
              [TASKS.authorizationFollowUp]: async (payload) => items.followUpAuthorization((payload as { itemId: string }).itemId),
              [TASKS.deliverWebhooks]: async () => webhooks.deliverDue(),
            },
            // The pool-size advice does not apply with the local queue, which fetches jobs in batches.
            log: (level, message) =>
              (level === 'error' || level === 'warning') && !message.includes('maxPoolSize') ? logger.warn({ queue: true }, message) : logger.debug({ queue: true }, message),
          }),
        logger,
      )
      stops.push(async () => {
        clearInterval(sweep)
        clearInterval(scheduler)
        clearInterval(healthSweep)
        // Stop taking jobs while the running executions get their grace period.
        await Promise.all([queue.stop(), runner.drain(config.shutdownGraceSeconds * 1000)])
        runner.stopHeartbeats()
      })
    }

    let app: App | null = null
    let url: string | null = null
    if (config.role === 'worker') {
      if (config.portGiven && options.listen !== false) {
        const probes = await buildHealthApp(db, logger, metrics)
        stops.push(() => probes.close())
        await probes.listen({ port: config.port, host: config.host })
      }
    } else {
      const tokens = new TokenAuthority(jwtSecret)
      // On PostgreSQL every API process counts against the same limits; embedded, one process does.
      const rateWindows = db.embedded ? new MemoryRateWindows() : new DatabaseRateWindows(db.pool)
      app = await buildHttpApp(
        {
          db,
          items,
          connectors,
          tokens,
          clock,
          startedAt: clock.now(),
          webhookAllowPrivate: config.webhookAllowPrivate,
          metrics,
          demoClientId: config.nodeEnv === 'production' ? null : (bootstrap?.clientId ?? null),
          connectFrameAncestors: config.connectFrameAncestors,
          pollIntervalMs: config.pollIntervalMs,
          limits: {
            auth: new RateLimiter(config.authRateLimit, 60_000, { name: 'auth', windows: rateWindows }),
            itemUpdate: new RateLimiter(config.itemUpdateRateLimit, 60_000, { name: 'item-update', windows: rateWindows }),
            itemCreate: new RateLimiter(config.itemCreateRateLimit, 60_000, { name: 'item-create', windows: rateWindows }),
          },
          async authenticateClient(clientId, clientSecret) {
            const client = await findActiveClient(db.pool, clientId)
            // Compare against something even for an unknown client, so timing tells nothing.
            const expected = client ? cipher.decrypt(client.secretEnc) : randomBytes(24).toString('base64url')
            return secretsEqual(clientSecret, expected) && client !== undefined
          },
        },
        logger,
      )
      const httpApp = app
      stops.push(() => httpApp.close())
      if (options.listen !== false) {
        await app.listen({ port: config.port, host: config.host })
        const address = app.server.address()
        const port = typeof address === 'object' && address ? address.port : config.port
        url = `http://localhost:${port}`
      } else {
        await app.ready()
      }
    }
    return { config, db, app, items, runner, cipher, bootstrapClient: bootstrap, url, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

import { randomBytes } from 'node:crypto'
import os from 'node:os'
import type pino from 'pino'
import type { Config } from './config.ts'
import { defineConnector, OAUTH_CALLBACK_PATH, type ConnectorDefinition } from './connectors/sdk/index.ts'
import { SandboxOpenFinanceBank } from './sandbox-bank/open-finance-bank.ts'
import { registerSandboxBankRoutes } from './sandbox-bank/open-finance-bank-routes.ts'
import { registerPayerBank } from './sandbox-bank/payer-bank-setup.ts'
import { sandboxConnectors } from './sandbox-bank/sandbox-institutions.ts'
import { ConnectorRegistry, loadConnectorModules } from './engine/connector-registry.ts'
import { ExecutionWorker } from './engine/execution-worker.ts'
import { ItemService } from './engine/item-service.ts'
import { PaymentEngine } from './engine/payments/payment-engine.ts'
import { warnExpiringConsents } from './engine/consent-expiry-warnings.ts'
import { UserAuthorizationService } from './engine/user-authorization-service.ts'
import { Wakeups } from './engine/wakeups.ts'
import { WebhookSender } from './events/webhook-sender.ts'
import { DashboardSessions } from './dashboard/dashboard-session.ts'
import { TokenAuthority, secretsEqual } from './http/auth.ts'
import { buildHealthApp, buildHttpApp, type App } from './http/app.ts'
import type { EarlyListener } from './http/early-listener.ts'
import { DatabaseRateWindows, MemoryRateWindows, RateLimiter } from './http/rate-limit.ts'
import { createLogger } from './logger.ts'
import { Metrics } from './observability/metrics.ts'
import { loadSecrets } from './secrets.ts'
import { createApiServices } from './services/api-services.ts'
import { createCipher, type Cipher } from './store/cipher.ts'
import { findActiveClient, upsertClient } from './store/clients.ts'
import type { Database } from './store/database.ts'
import { openMigratedDatabase } from './store/open-migrated.ts'
import { systemClock, type Clock } from './time/clock.ts'
import { DuePass } from './time/due-pass.ts'
import { startWorkerRole } from './worker-role.ts'

export { createLogger, REDACTED_LOG_PATHS } from './logger.ts'
export { openAdminContext, rotateEncryptionKey, type AdminContext } from './admin.ts'

export interface Tributary {
  config: Readonly<Config>
  db: Database
  app: App | null
  items: ItemService
  worker: ExecutionWorker
  /** The engine's clock (a test's ManualClock when one was given). */
  clock: Clock
  /** The scheduler: a pass starts the auto-syncs and device-authorization follow-ups due now. */
  scheduler: DuePass
  webhooks: WebhookSender
  /** The engine's side of payments: intents' jobs, payment timers, the payments pass. */
  payments: PaymentEngine
  cipher: Cipher
  /** The bootstrap client's keys (generated on first start when not configured). */
  bootstrapClient: { clientId: string; clientSecret: string } | null
  url: string | null
  stop(): Promise<void>
}

export interface StartOptions {
  /** The engine's clock; a test passes a ManualClock and moves time instead of sleeping. */
  clock?: Clock
  logger?: pino.Logger
  /** Connectors to add to the sandbox banks and TRIBUTARY_CONNECTORS (tests, embedding). */
  connectors?: ConnectorDefinition[]
  /** Listen on config.port (default true); tests use app.inject instead. */
  listen?: boolean
  /** A new embedded database starts from the migrated snapshot (default: TRIBUTARY_EMBEDDED_SNAPSHOT; false runs every migration). */
  snapshot?: boolean
  /** Opens the (migrated) database the engine runs on, instead of the one `config` names; stop() closes it. */
  database?: () => Promise<Database>
  /** A server already listening on config's port (http/early-listener.ts): the API answers there once built; stop() closes it. */
  listener?: EarlyListener
}

/** Up to this many items start per scheduler pass and process (then the pass goes on). */
const SCHEDULER_BATCH = 100

/** Builds store → engine → events → http from the configuration and starts what the role runs. */
export async function startTributary(config: Readonly<Config>, options: StartOptions = {}): Promise<Tributary> {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? createLogger(config.logLevel)
  const { encryptionKey, previousKeys, jwtSecret, bootstrap } = await loadSecrets(config)
  const db = options.database ? await options.database() : await openMigratedDatabase(config, { snapshot: options.snapshot ?? config.embeddedSnapshot })
  const stops: (() => Promise<void>)[] = [() => db.close()]
  const listener = options.listener
  if (listener) stops.push(() => listener.close())
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch((error) => logger.warn({ err: error }, 'error while stopping'))
  }
  try {
    const cipher = createCipher([encryptionKey, ...previousKeys])
    for (const client of [...(bootstrap ? [bootstrap] : []), ...config.extraClients]) {
      await upsertClient(db.pool, { id: client.clientId, secretEnc: cipher.encrypt(client.clientSecret) })
    }
    // Set once the API listens, unless configured: institutions send the user back there.
    let listeningUrl: string | null = null
    const publicUrl = () => config.publicUrl ?? listeningUrl ?? `http://localhost:${config.port}`
    const connectors = new ConnectorRegistry([
      ...sandboxConnectors({ delayMs: config.sandboxDelayMs, publicUrl }),
      ...(await loadConnectorModules(config.connectorModules)),
      ...(options.connectors ?? []).map((c) => defineConnector(c)),
    ])
    const wakeups = new Wakeups(clock)
    const workerId = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
    const metrics = new Metrics(db)
    // The worker tells the scheduler (built below, on the item service) when a follow-up is due.
    const worker = new ExecutionWorker({ db, config, connectors, cipher, clock, wakeups, logger, workerId, metrics, onFollowUpScheduled: (at) => scheduler.wakeAt(at), publicUrl })
    metrics.countInFlight(() => worker.inFlight)
    const items = new ItemService({ db, config, connectors, cipher, clock, wakeups, logger, cancelLocal: (id) => worker.cancelLocal(id) })
    const webhooks = new WebhookSender({ db, cipher, clock, logger, config, metrics })
    const payments = new PaymentEngine({ db, clock, cipher, connectors, logger, publicUrl, wakeAt: (at) => scheduler.wakeAt(at) })
    const scheduler = new DuePass({
      name: 'scheduler pass',
      clock,
      logger,
      everyMs: Math.min(30_000, Math.max(250, (config.autoSyncIntervalSeconds * 1000) / 4)),
      async pass() {
        // A backlog drains SCHEDULER_BATCH items at a time, one execution each.
        for (let started = SCHEDULER_BATCH; started === SCHEDULER_BATCH; ) {
          started = await items.startDueExecutions(SCHEDULER_BATCH)
          if (started > 0) logger.info({ started }, 'the scheduler started executions')
        }
        for (let warned = SCHEDULER_BATCH; warned === SCHEDULER_BATCH; ) {
          warned = await warnExpiringConsents({ db, clock, warningDays: config.consentExpiryWarningDays }, SCHEDULER_BATCH)
        }
        await payments.pass()
      },
    })

    if (config.role !== 'api') stops.push(await startWorkerRole({ config, db, clock, logger, connectors, wakeups, worker, webhooks, scheduler, payments }))

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
          ...createApiServices({
            db,
            clock,
            webhookAllowPrivate: config.webhookAllowPrivate,
            linkSecret: jwtSecret,
            connectors,
            sandboxControl: config.sandboxControl,
            sandboxUsers: config.sandboxUsers,
            cipher,
            publicUrl,
            ...(config.role === 'api' ? {} : { wakeScheduler: () => void scheduler.run() }),
          }),
          items,
          userAuthorizations: new UserAuthorizationService({ db, cipher, clock, wakeups }),
          connectors,
          tokens,
          clock,
          startedAt: clock.now(),
          metrics,
          demoClientId: config.nodeEnv === 'production' ? null : (bootstrap?.clientId ?? null),
          connectFrameAncestors: config.connectFrameAncestors,
          dashboardSessions: config.dashboard ? new DashboardSessions(jwtSecret) : null,
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
        { server: listener },
      )
      await registerSandboxBankRoutes(app, new SandboxOpenFinanceBank({ clock, callbackUrl: () => `${publicUrl()}${OAUTH_CALLBACK_PATH}` }))
      await registerPayerBank(app, { db, clock, logger, wake: (intentId) => payments.wake(intentId) })
      const httpApp = app
      stops.push(() => httpApp.close())
      if (listener) {
        // Serving already: ready() hands the socket over to the API.
        await app.ready()
        url = `http://localhost:${listener.port}`
        listeningUrl = url
      } else if (options.listen !== false) {
        await app.listen({ port: config.port, host: config.host })
        const address = app.server.address()
        const port = typeof address === 'object' && address ? address.port : config.port
        url = `http://localhost:${port}`
        listeningUrl = url
      } else {
        await app.ready()
      }
    }
    return { config, db, app, items, worker, clock, scheduler, webhooks, payments, cipher, bootstrapClient: bootstrap, url, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

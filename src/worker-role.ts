import type pino from 'pino'
import type { Config } from './config.ts'
import type { ConnectorRegistry } from './engine/connector-registry.ts'
import { refreshConnectorHealth } from './engine/connector-health.ts'
import type { ExecutionWorker } from './engine/execution-worker.ts'
import type { PaymentEngine } from './engine/payments/payment-engine.ts'
import { startQueueWorker } from './engine/queue.ts'
import { superviseQueue } from './engine/queue-supervisor.ts'
import { cancelWakeupKey, type Wakeups } from './engine/wakeups.ts'
import type { WebhookSender } from './events/webhook-sender.ts'
import type { Database } from './store/database.ts'
import { listenForWakeups } from './store/notifications.ts'
import { TASKS } from './store/queue.ts'
import type { Clock } from './time/clock.ts'
import type { DuePass } from './time/due-pass.ts'

export interface WorkerRoleDeps {
  config: Readonly<Config>
  db: Database
  clock: Clock
  logger: pino.Logger
  connectors: ConnectorRegistry
  wakeups: Wakeups
  worker: ExecutionWorker
  webhooks: WebhookSender
  /** The scheduler pass: starts the auto-syncs and device-authorization follow-ups that are due. */
  scheduler: DuePass
  /** The payment tasks (intents, payment timers). */
  payments: PaymentEngine
}

/**
 * Starts what a worker process runs: the queue's tasks (executions, webhook deliveries), the
 * heartbeats and the recovery of stopped workers' executions, the scheduler, the connector
 * health sweep. Every period is a timer of the engine's clock. Returns what stops them.
 */
export async function startWorkerRole(deps: WorkerRoleDeps): Promise<() => Promise<void>> {
  const { config, db, clock, logger, worker, webhooks, scheduler } = deps
  const stops: (() => Promise<void>)[] = []
  // Embedded: this process is the only worker, so every started execution is an orphan.
  await worker.recoverOrphans({ allStarted: db.embedded })
  worker.startHeartbeats()
  if (!db.embedded) {
    // Another process's API may hold the MFA value or the delete for an execution running here.
    const cancelPrefix = cancelWakeupKey('')
    stops.push(
      listenForWakeups(
        db.connectionString,
        (payload) => (payload.startsWith(cancelPrefix) ? worker.cancelLocal(payload.slice(cancelPrefix.length)) : deps.wakeups.notify(payload)),
        (error) => logger.warn({ err: error }, 'wake-up listener lost its connection; reconnecting (waiters poll meanwhile)'),
      ),
    )
  }
  const sweep = clock.setInterval(() => void worker.recoverOrphans().catch((error) => logger.warn({ err: error }, 'recovery sweep failed')), config.workerLeaseSeconds * 1000)
  scheduler.start()
  webhooks.start()
  const healthSweep = clock.setInterval(
    () => void refreshConnectorHealth({ db, connectors: deps.connectors, clock, logger }).catch((error) => logger.warn({ err: error }, 'connector health sweep failed')),
    config.connectorHealthIntervalSeconds * 1000,
  )
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
          [TASKS.runExecution]: async (payload) => worker.run((payload as GraphileWorker.Tasks['run-execution']).executionId),
          [TASKS.deliverWebhooks]: async () => webhooks.deliverDue(),
          ...deps.payments.tasks(),
        },
        // The pool-size advice does not apply with the local queue, which fetches jobs in batches.
        log: (level, message) => ((level === 'error' || level === 'warning') && !message.includes('maxPoolSize') ? logger.warn({ queue: true }, message) : logger.debug({ queue: true }, message)),
      }),
    logger,
  )
  stops.push(async () => {
    sweep.cancel()
    scheduler.stop()
    webhooks.stop()
    healthSweep.cancel()
    // Stop taking jobs while the running executions get their grace period.
    await Promise.all([queue.stop(), worker.drain(config.shutdownGraceSeconds * 1000)])
    worker.stopHeartbeats()
  })
  return async () => {
    for (const stop of stops.reverse()) await stop()
  }
}

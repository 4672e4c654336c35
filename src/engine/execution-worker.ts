import { randomUUID } from 'node:crypto'
import type pino from 'pino'
import { OAUTH_CALLBACK_PATH } from '../connectors/sdk/index.ts'
import { saveConsent } from '../store/consents.ts'
import { saveItemSecrets } from '../store/user-authorizations.ts'
import type { Config } from '../config.ts'
import type { Metrics } from '../observability/metrics.ts'
import type { Cipher } from '../store/cipher.ts'
import type { Database } from '../store/database.ts'
import { untilDatabaseAnswers } from '../store/database-errors.ts'
import { eraseMfaValue, findCheckpoints, findOrphanedExecutions, heartbeatExecutions, releaseExecutions, requeueUnclaimedExecutions, type ExecutionRow } from '../store/executions.ts'
import { findItemForEngine, type ItemRow } from '../store/items.ts'
import { enqueue, TASKS } from '../store/queue.ts'
import type { Clock, Timer } from '../time/clock.ts'
import { ClaimWriter } from './claim-writer.ts'
import type { ConnectorRegistry } from './connector-registry.ts'
import { ExecutionStopped } from './execution-errors.ts'
import { ExecutionProgress, type ProgressDeps, type Writers } from './execution-progress.ts'
import { ExecutionWorkflow, type WorkflowDeps } from './execution-workflow.ts'
import { FinishWriter } from './finish-writer.ts'
import { SandboxInstructionsReader } from './sandbox-instructions.ts'
import { StepWriter } from './step-writer.ts'
import { mfaWakeupKey, type Wakeups } from './wakeups.ts'

export interface EngineDeps {
  db: Database
  config: Pick<
    Config,
    | 'mfaTimeoutSeconds'
    | 'autoSyncIntervalSeconds'
    | 'authPendingRetrySeconds'
    | 'authPendingDeadlineSeconds'
    | 'workerLeaseSeconds'
    | 'pollIntervalMs'
    | 'connectorConcurrency'
    | 'executionMaxAttempts'
    | 'databaseOutageSeconds'
    | 'userActionTimeoutSeconds'
    | 'sandboxControl'
    | 'sandboxUsers'
  >
  /** The address browsers reach the API at (known once it listens). */
  publicUrl: () => string
  connectors: ConnectorRegistry
  cipher: Cipher
  clock: Clock
  wakeups: Wakeups
  logger: pino.Logger
  workerId: string
  metrics?: Metrics
  /** Told when an outcome scheduled a device-authorization follow-up, so it starts on time. */
  onFollowUpScheduled?: (at: Date) => void
}

/**
 * An execution whose connector is at its concurrency limit is tried again this much later. It
 * paces the queue, in the database's time (not a lifecycle promise, so not on the engine's clock).
 */
const CONNECTOR_BUSY_RETRY_MS = 500
/** After a shutdown stops the running executions, how long handing them over may take. */
const SHUTDOWN_WRITE_MS = 5_000

/**
 * A process's worker: claims executions from the queue (one runner per execution, by a guarded
 * claim), heart-beats the ones it holds, drains them on shutdown, and recovers the executions of
 * workers that stopped. Each claimed execution runs as an {@link ExecutionWorkflow}.
 */
export class ExecutionWorker {
  /** Executions started in this process, by id, with what stops each. */
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>()
  /** Of those, the ones whose claim succeeded: what the heartbeat keeps (a claim may still be waiting). */
  private readonly held = new Set<string>()
  private heartbeatTimer: Timer | undefined
  private readonly writers: Writers
  private readonly claims: ClaimWriter
  private readonly sandboxInstructions: SandboxInstructionsReader

  constructor(private readonly deps: EngineDeps) {
    const outage = { outageWindowMs: deps.config.databaseOutageSeconds * 1000 }
    // TRIBUTARY_SANDBOX_USERS_FILE's custom sandbox users, by user name.
    const fileUsers = new Map(deps.config.sandboxUsers.map((user) => [user.user, user]))
    this.sandboxInstructions = new SandboxInstructionsReader({ db: deps.db.pool, cipher: deps.cipher, fileUsers }, outage)
    this.writers = { steps: new StepWriter(deps.db.pool, outage), finishes: new FinishWriter(deps.db.pool, outage) }
    this.claims = new ClaimWriter(
      {
        db: deps.db.pool,
        clock: deps.clock,
        workerId: deps.workerId,
        leaseSeconds: deps.config.workerLeaseSeconds,
        // An institution is never hit by more than `connectorConcurrency` sessions at once; a
        // sandbox bank has no institution behind it, so it runs at the worker's own capacity.
        connectorLimit: deps.config.connectorConcurrency,
        uncappedConnectors: deps.connectors.uncapped(),
      },
      outage,
    )
  }

  get inFlight(): number {
    return this.running.size
  }

  /** Stops an execution running in this process (its item was deleted). */
  cancelLocal(executionId: string): void {
    this.running.get(executionId)?.controller.abort(new ExecutionStopped('cancelled'))
    this.deps.wakeups.notify(mfaWakeupKey(executionId))
  }

  startHeartbeats(): void {
    const everyMs = Math.max(500, (this.deps.config.workerLeaseSeconds * 1000) / 4)
    this.heartbeatTimer = this.deps.clock.setInterval(() => void this.heartbeat(), everyMs)
  }

  stopHeartbeats(): void {
    this.heartbeatTimer?.cancel()
  }

  /**
   * Graceful shutdown: lets running executions go on for `graceMs`, then hands the rest over right
   * away (rather than leaving them to another worker's sweep after the lease).
   */
  async drain(graceMs: number): Promise<void> {
    const { clock } = this.deps
    const allDone = () => Promise.allSettled([...this.running.values()].map((r) => r.done))
    if (this.running.size > 0 && graceMs > 0) await Promise.race([allDone(), clock.sleep(graceMs)])
    for (const { controller } of this.running.values()) controller.abort(new ExecutionStopped('shutdown'))
    // Each aborted execution saves its outcome; give those writes a moment before the pool closes.
    if (this.running.size > 0) await Promise.race([allDone(), clock.sleep(SHUTDOWN_WRITE_MS)])
  }

  private async heartbeat(): Promise<void> {
    const ids = [...this.held]
    if (ids.length === 0) return
    try {
      const held = new Set(await heartbeatExecutions(this.deps.db.pool, this.deps.workerId, ids, this.deps.clock.now()))
      // An execution this worker no longer holds was finished or taken over elsewhere: stop it
      // (its writes would be refused anyway: they carry a claim that is no longer the execution's).
      const lost = ids.filter((id) => !held.has(id) && this.running.has(id))
      for (const id of lost) this.running.get(id)?.controller.abort(new ExecutionStopped('lost'))
      if (lost.length > 0) this.deps.logger.warn({ executions: lost.length }, 'executions no longer held by this worker (taken over by another, or ended): stopped here')
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'heartbeat failed; will retry')
    }
  }

  /**
   * Takes over the executions whose worker stopped heart-beating: each is queued again, and the
   * worker that claims it resumes it from where it was. One that already had
   * TRIBUTARY_EXECUTION_MAX_ATTEMPTS workers, or whose deadline passed, ends as ERROR instead.
   * With `allStarted`, every started execution is taken over at once (embedded mode at start: this
   * process is the only worker, so the ones it held before it stopped are all orphans).
   */
  async recoverOrphans(options: { allStarted?: boolean } = {}): Promise<{ resumed: number; ended: number }> {
    const { db, clock, config, logger } = this.deps
    const now = clock.now()
    const staleBefore = options.allStarted ? new Date(now.getTime() + 1) : new Date(now.getTime() - config.workerLeaseSeconds * 1000)
    const orphans = (await findOrphanedExecutions(db.pool, staleBefore)).filter((orphan) => !this.running.has(orphan.id))
    const resumable = orphans.filter((orphan) => orphan.attempt < config.executionMaxAttempts && orphan.deadlineAt.getTime() > now.getTime())
    // A gone worker's claim is let go at once; a silent one's lapses with its lease.
    if (options.allStarted && resumable.length > 0)
      await releaseExecutions(
        db.pool,
        resumable.map((orphan) => orphan.id),
      )
    for (const orphan of resumable) await enqueue(db.pool, TASKS.runExecution, { executionId: orphan.id })
    let ended = 0
    for (const orphan of orphans.filter((o) => !resumable.includes(o))) {
      const item = await findItemForEngine(db.pool, orphan.itemId)
      if (!item || item.currentExecutionId !== orphan.id) continue
      const outOfTime = orphan.deadlineAt.getTime() <= now.getTime()
      if (await this.progressOf(item, orphan, new AbortController()).finish({ type: outOfTime ? 'DEADLINE_EXCEEDED' : 'WORKER_LOST' })) ended++
    }
    if (resumable.length > 0) logger.warn({ executions: resumable.length }, 'queued executions of a stopped worker to be taken over')
    if (ended > 0) logger.warn({ ended }, 'ended as ERROR executions of stopped workers that ran out of attempts or time')
    // Executions never claimed whose job a dead worker fetched (and locked) before it died: queue
    // them again; adding a job under the same key replaces a locked one.
    const requeued = await requeueUnclaimedExecutions(db.pool, staleBefore)
    if (requeued > 0) logger.warn({ requeued }, 'queued again executions whose job a stopped worker held')
    return { resumed: resumable.length, ended }
  }

  /** The queue's task: runs one execution if this worker can claim it. */
  async run(executionId: string): Promise<void> {
    if (this.running.has(executionId)) return // a duplicate job while this worker runs it
    // Taken before the claim, so two jobs of one execution in this process cannot both claim it.
    const controller = new AbortController()
    let finished!: () => void
    this.running.set(executionId, { controller, done: new Promise((resolve) => (finished = resolve)) })
    let deadline: Timer | undefined
    try {
      const claim = await this.claims.save(executionId)
      if (claim.outcome === 'busy') {
        await enqueue(this.deps.db.pool, TASKS.runExecution, { executionId }, { delayMs: CONNECTOR_BUSY_RETRY_MS })
        return
      }
      if (claim.outcome !== 'claimed') return
      this.held.add(executionId)
      const { execution, item } = claim
      if (item.currentExecutionId !== execution.id) return
      const left = execution.deadlineAt.getTime() - this.deps.clock.now().getTime()
      deadline = this.deps.clock.setTimeout(() => controller.abort(new ExecutionStopped('deadline')), Math.max(0, left))
      const connector = this.deps.connectors.get(item.connectorId)
      const progress = this.progressOf(item, execution, controller)
      await new ExecutionWorkflow(this.workflowDeps(), progress, connector, controller, this.logOf(item, execution)).drive()
    } finally {
      deadline?.cancel()
      this.running.delete(executionId)
      this.held.delete(executionId)
      finished()
    }
  }

  /**
   * On shutdown: an execution with attempts left is let go and queued again, for another worker
   * (or this process once restarted) to resume; one out of attempts ends as ERROR.
   */
  private async handOver(progress: ExecutionProgress): Promise<void> {
    const { db, config } = this.deps
    const { execution } = progress
    if (execution.attempt >= config.executionMaxAttempts) {
      await progress.finish({ type: 'WORKER_LOST' })
      return
    }
    await releaseExecutions(db.pool, [execution.id], this.deps.workerId)
    await enqueue(db.pool, TASKS.runExecution, { executionId: execution.id })
  }

  private progressOf(item: ItemRow, execution: ExecutionRow, controller: AbortController): ExecutionProgress {
    const { clock, cipher, metrics, onFollowUpScheduled } = this.deps
    const deps: ProgressDeps = { writers: this.writers, clock, cipher, schedule: this.deps.config, metrics, onFollowUpScheduled }
    return new ExecutionProgress(deps, item, execution, this.deps.connectors.get(item.connectorId), controller, this.logOf(item, execution))
  }

  private workflowDeps(): WorkflowDeps {
    const { db, clock, cipher, wakeups, config, publicUrl } = this.deps
    return {
      clock,
      cipher,
      schedule: config,
      handOver: (progress) => this.handOver(progress),
      ...(config.sandboxControl
        ? {
            sandboxInstructions: (progress: ExecutionProgress) => this.sandboxInstructions.save({ item: progress.item, executionId: progress.execution.id }),
          }
        : {}),
      checkpointsOf: (executionId) => untilDatabaseAnswers(() => findCheckpoints(db.pool, executionId), { windowMs: config.databaseOutageSeconds * 1000 }),
      eraseMfaValue: (executionId, attempt) => untilDatabaseAnswers(() => eraseMfaValue(db.pool, executionId, attempt), { windowMs: config.databaseOutageSeconds * 1000 }),
      mfa: { db: db.pool, clock, cipher, wakeups, mfaTimeoutSeconds: config.mfaTimeoutSeconds, pollIntervalMs: config.pollIntervalMs, outageWindowMs: config.databaseOutageSeconds * 1000 },
      userAuthorization: {
        db: db.pool,
        clock,
        cipher,
        wakeups,
        timeoutSeconds: config.userActionTimeoutSeconds,
        get callbackUrl() {
          return `${publicUrl()}${OAUTH_CALLBACK_PATH}`
        },
        pollIntervalMs: config.pollIntervalMs,
        outageWindowMs: config.databaseOutageSeconds * 1000,
      },
      saveSecrets: (itemId, secretsEnc) => untilDatabaseAnswers(() => saveItemSecrets(db.pool, itemId, secretsEnc), { windowMs: config.databaseOutageSeconds * 1000 }),
      saveConsent: (itemId, consent) =>
        untilDatabaseAnswers(() => saveConsent(db.pool, { id: randomUUID(), itemId, ...consent, revokedAt: consent.revokedAt ?? null }), { windowMs: config.databaseOutageSeconds * 1000 }),
    }
  }

  private logOf(item: ItemRow, execution: ExecutionRow): pino.Logger {
    return this.deps.logger.child({ itemId: item.id, executionId: execution.id, clientId: item.clientId, connectorId: item.connectorId })
  }
}

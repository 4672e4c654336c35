import type pino from 'pino'
import type { Config } from '../config.ts'
import {
  ConnectorError,
  ProductError,
  PRODUCT_FETCHER,
  type Collected,
  type ConnectorContext,
  type ConnectorDefinition,
  type MfaRequest,
  type ProductWarning,
  type UserAction,
} from '../connectors/sdk/index.ts'
import { isUpdatable, nextAutoSyncAt } from '../domain/auto-sync.ts'
import { invariantViolations, transition, type Effect, type LifecycleEvent, type LifecycleState } from '../domain/lifecycle.ts'
import {
  PRODUCTS_IN_STEP_ORDER,
  PRODUCT_DETAIL_KEY,
  PRODUCT_STEP,
  type ExecutionStatus,
  type FinalOutcome,
  type Product,
} from '../domain/statuses.ts'
import { itemEvent, statusEvent } from '../events/item-events.ts'
import type { Cipher } from '../store/cipher.ts'
import type { Database } from '../store/database.ts'
import type { NewEvent } from '../store/events.ts'
import {
  findExecution,
  findOrphanedExecutions,
  requeueUnclaimedExecutions,
  heartbeatExecutions,
  takeMfaValue,
  type ExecutionRow,
  type StatusReached,
} from '../store/executions.ts'
import { findItemForEngine, lifecycleOf, type ItemRow, type StatusDetail } from '../store/items.ts'
import type { Clock } from './clock.ts'
import type { ConnectorRegistry } from './connector-registry.ts'
import { loginAttemptHash } from './credential-hashes.ts'
import { ClaimWriter } from './claim-writer.ts'
import { FinishWriter } from './finish-writer.ts'
import { StepWriter } from './step-writer.ts'
import { TASKS, enqueue } from './queue.ts'
import type { Metrics } from '../observability/metrics.ts'
import type { Wakeups } from './wakeups.ts'

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
  >
  connectors: ConnectorRegistry
  cipher: Cipher
  clock: Clock
  wakeups: Wakeups
  logger: pino.Logger
  workerId: string
  metrics?: Metrics
}

/** Why a running execution stops without the connector deciding. */
export class ExecutionStopped extends Error {
  constructor(readonly reason: 'cancelled' | 'deadline' | 'lost' | 'shutdown') {
    super(`execution ${reason}`)
  }
}
/** A step could not be written (the database refused it or was away): the execution ends as ERROR. */
class StepNotSaved extends Error {
  constructor(cause: unknown) {
    super('a step of the execution could not be saved', { cause })
  }
}
/** The MFA wait ended the execution (USER_INPUT_TIMEOUT was saved); unwinds the connector. */
class MfaTimedOut extends Error {}
/** Thrown by `ctx.requestAuthorization`; the engine ends the execution as pending. */
class AuthorizationRequested extends Error {
  constructor(readonly userAction: UserAction) {
    super('authorization requested')
  }
}

export const mfaWakeupKey = (executionId: string) => `mfa:${executionId}`
/** An execution whose connector is at its concurrency limit is tried again this much later. */
const CONNECTOR_BUSY_RETRY_MS = 500
export const cancelWakeupKey = (executionId: string) => `cancel:${executionId}`

/** The product list an execution collects: requested (or all) ∩ supported, in step order. */
export function productsToCollect(connector: ConnectorDefinition, requested: readonly Product[] | null): Product[] {
  return PRODUCTS_IN_STEP_ORDER.filter((p) => connector.products.includes(p) && (!requested || requested.includes(p)))
}

/**
 * Runs executions: drives a connector through the steps, applies each lifecycle transition,
 * saves it (guarded on the expected status) with its events in one transaction, waits for MFA,
 * enforces the deadline, and recovers executions whose worker died.
 */
export class ExecutionRunner {
  private readonly running = new Map<string, AbortController>()
  /** Of those, the ones whose claim succeeded: what the heartbeat keeps (a claim may still be waiting). */
  private readonly held = new Set<string>()
  private heartbeatTimer: NodeJS.Timeout | undefined
  private readonly writers: Writers
  private readonly claims: ClaimWriter

  constructor(private readonly deps: EngineDeps) {
    this.writers = { steps: new StepWriter(deps.db.pool), finishes: new FinishWriter(deps.db.pool) }
    this.claims = new ClaimWriter({
      db: deps.db.pool,
      clock: deps.clock,
      workerId: deps.workerId,
      leaseSeconds: deps.config.workerLeaseSeconds,
      // An institution is never hit by more than `connectorConcurrency` sessions at once.
      connectorLimit: deps.config.connectorConcurrency,
    })
  }

  get inFlight(): number {
    return this.running.size
  }

  /** Stops an execution running in this process (the item was deleted). */
  cancelLocal(executionId: string): void {
    this.running.get(executionId)?.abort(new ExecutionStopped('cancelled'))
    this.deps.wakeups.notify(mfaWakeupKey(executionId))
  }

  startHeartbeats(): void {
    const everyMs = Math.max(500, (this.deps.config.workerLeaseSeconds * 1000) / 4)
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), everyMs)
    this.heartbeatTimer.unref()
  }

  stopHeartbeats(): void {
    clearInterval(this.heartbeatTimer)
  }

  /**
   * Graceful shutdown: lets running executions go on for `graceMs`, then ends the rest as ERROR
   * right away (rather than leaving them to another worker's sweep after the lease).
   */
  async drain(graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs
    while (this.running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    for (const controller of this.running.values()) controller.abort(new ExecutionStopped('shutdown'))
    // Each aborted execution saves its outcome; give those writes a moment before the pool closes.
    const saved = Date.now() + 5_000
    while (this.running.size > 0 && Date.now() < saved) await new Promise((r) => setTimeout(r, 20))
  }

  private async heartbeat(): Promise<void> {
    const ids = [...this.held]
    if (ids.length === 0) return
    try {
      const held = new Set(await heartbeatExecutions(this.deps.db.pool, this.deps.workerId, ids, this.deps.clock.now()))
      // An execution this worker no longer holds was finished or taken over elsewhere: stop it.
      for (const id of ids) if (!held.has(id)) this.running.get(id)?.abort(new ExecutionStopped('lost'))
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'heartbeat failed; will retry')
    }
  }

  /**
   * Finishes as ERROR the executions whose worker stopped heart-beating; with `allStarted`, every
   * started one (embedded mode at start: this process is the only worker, so they are all orphans).
   */
  async recoverOrphans(options: { allStarted?: boolean } = {}): Promise<number> {
    const now = this.deps.clock.now()
    const staleBefore = options.allStarted ? new Date(now.getTime() + 1) : new Date(now.getTime() - this.deps.config.workerLeaseSeconds * 1000)
    const orphans = await findOrphanedExecutions(this.deps.db.pool, staleBefore)
    let recovered = 0
    for (const orphan of orphans) {
      if (this.running.has(orphan.id)) continue
      const item = await findItemForEngine(this.deps.db.pool, orphan.itemId)
      if (!item || item.currentExecutionId !== orphan.id) continue
      const connector = this.deps.connectors.get(item.connectorId)
      const run = new ExecutionRun(this.deps, this.writers, item, orphan, connector, new AbortController())
      if (await run.finishWith({ type: 'WORKER_LOST' })) recovered++
    }
    if (recovered > 0) this.deps.logger.warn({ recovered }, 'finished executions of a stopped worker as ERROR')
    // Executions never claimed whose job a dead worker fetched (and locked) before it died: queue
    // them again; adding a job under the same key replaces a locked one.
    const requeued = await requeueUnclaimedExecutions(this.deps.db.pool, staleBefore)
    if (requeued > 0) this.deps.logger.warn({ requeued }, 'queued again executions whose job a stopped worker held')
    return recovered
  }

  /** The queue's task: runs one execution if this worker can claim it. */
  async run(executionId: string): Promise<void> {
    const { db, clock } = this.deps
    if (this.running.has(executionId)) return // a duplicate job while this worker runs it
    // Taken before the claim, so two jobs of one execution in this process cannot both claim it.
    const controller = new AbortController()
    this.running.set(executionId, controller)
    let deadline: NodeJS.Timeout | undefined
    try {
      const claim = await this.claims.save(executionId)
      const now = clock.now()
      if (claim.outcome === 'busy') {
        await enqueue(db.pool, TASKS.runExecution, { executionId }, { runAt: new Date(now.getTime() + CONNECTOR_BUSY_RETRY_MS), jobKey: `execution:${executionId}` })
        return
      }
      if (claim.outcome !== 'claimed') return
      this.held.add(executionId)
      const { execution, item } = claim
      if (item.currentExecutionId !== execution.id) return
      deadline = setTimeout(() => controller.abort(new ExecutionStopped('deadline')), Math.max(0, execution.deadlineAt.getTime() - now.getTime()))
      const connector = this.deps.connectors.get(item.connectorId)
      await new ExecutionRun(this.deps, this.writers, item, execution, connector, controller).drive()
    } finally {
      clearTimeout(deadline)
      this.running.delete(executionId)
      this.held.delete(executionId)
    }
  }
}

/** What saves the executions' changes, shared by the executions of this process. */
interface Writers {
  steps: StepWriter
  finishes: FinishWriter
}

/** A status reached by the engine and not yet written, with what it writes. */
interface UnsavedStep {
  reached: StatusReached
  state: LifecycleState
  events: NewEvent[]
}

/** One execution being driven; holds its lifecycle state between transitions. */
class ExecutionRun {
  private state: LifecycleState
  /** The execution status the database has: what the next write of this execution expects. */
  private savedStatus: ExecutionStatus
  /** Steps reached and not yet written, oldest first; an end writes whatever is left. */
  private unsaved: UnsavedStep[] = []
  /** The write of the unsaved steps under way, if any (it never rejects). */
  private saving: Promise<void> | undefined
  private readonly warnings: Partial<Record<Product, ProductWarning[]>> = {}
  private readonly log: pino.Logger
  private mfaAnswered = false
  private statusSince: Date

  constructor(
    private readonly deps: EngineDeps,
    private readonly writers: Writers,
    private readonly item: ItemRow,
    private readonly execution: ExecutionRow,
    private readonly connector: ConnectorDefinition | undefined,
    private readonly controller: AbortController,
  ) {
    this.state = lifecycleOf(item, execution.failedProducts)
    this.savedStatus = this.state.executionStatus
    this.statusSince = deps.clock.now()
    this.log = deps.logger.child({ itemId: item.id, executionId: execution.id, clientId: item.clientId, connectorId: item.connectorId })
  }

  async drive(): Promise<void> {
    const connector = this.connector
    if (!connector) {
      await this.finishWith({ type: 'CONNECTOR_FAILED', outcome: 'ERROR', message: `Connector ${this.item.connectorId} is not installed on this engine.` }, { fromAnyStep: true })
      return
    }
    try {
      await this.advance({ type: 'STEP_STARTED', step: 'LOGIN_IN_PROGRESS' })
      const ctx = this.context(connector)
      await this.guard(connector.login(ctx))
      const collected: Collected = { accounts: [], creditCards: [], transactions: [], investments: [] }
      for (const product of this.execution.products) {
        await this.advance({ type: 'STEP_STARTED', step: PRODUCT_STEP[product] })
        try {
          const fetcher = connector[PRODUCT_FETCHER[product]] as (c: ConnectorContext, d: Collected) => Promise<unknown>
          const data = await this.guard(fetcher.call(connector, ctx, collected))
          const expected = product === 'IDENTITY' ? 'an object' : 'an array'
          if (product === 'IDENTITY' ? typeof data !== 'object' || data === null || Array.isArray(data) : !Array.isArray(data)) {
            throw new Error(`${PRODUCT_FETCHER[product]}() of connector ${connector.name} (id ${connector.id}) returned ${data === null ? 'null' : typeof data}, not ${expected}`)
          }
          ;(collected as unknown as Record<string, unknown>)[PRODUCT_DETAIL_KEY[product]] = data
        } catch (error) {
          if (!(error instanceof ProductError)) throw error
          this.log.warn({ product, reason: error.message }, 'product failed; the execution goes on')
          await this.advance({ type: 'PRODUCT_FAILED', product })
        }
      }
      await this.advance({ type: 'STEP_STARTED', step: 'MERGING' })
      const merged = await this.finishWith({ type: 'MERGE_SUCCEEDED' }, { merge: collected }).catch((error) => {
        if (error instanceof ExecutionStopped) throw error
        this.log.error({ err: error }, 'merge failed; stored data left unchanged')
        return 'merge-failed' as const
      })
      if (merged === 'merge-failed') await this.finishWith({ type: 'MERGE_FAILED' })
    } catch (error) {
      await this.fail(error)
    }
  }

  /** Races a connector call against cancellation, so a connector that never returns cannot hold the execution. */
  private guard<T>(promise: Promise<T>): Promise<T> {
    const signal = this.controller.signal
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason)
      signal.addEventListener('abort', onAbort, { once: true })
      // Observed in every case: a connector that fails after being abandoned must not become an unhandled rejection.
      promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
      if (signal.aborted) onAbort()
    })
  }

  private async fail(error: unknown): Promise<void> {
    if (error instanceof MfaTimedOut) return
    if (error instanceof StepNotSaved) {
      this.log.error({ err: error.cause }, 'a step could not be saved; the execution ends')
      await this.finishWith({ type: 'CONNECTOR_FAILED', outcome: 'ERROR', message: 'The progress of the execution could not be saved. Try again later.' }, { fromAnyStep: true })
      return
    }
    if (error instanceof ExecutionStopped) {
      if (error.reason === 'deadline') await this.finishWith({ type: 'DEADLINE_EXCEEDED' }).catch((e) => this.log.error({ err: e }, 'could not save the deadline outcome'))
      if (error.reason === 'shutdown') await this.finishWith({ type: 'WORKER_LOST' }).catch((e) => this.log.error({ err: e }, 'could not save the shutdown outcome'))
      // cancelled: the item is gone; lost: another worker owns the execution now.
      return
    }
    if (error instanceof AuthorizationRequested) {
      const deadlinePassed =
        this.item.authPendingSince !== null &&
        this.deps.clock.now().getTime() >= this.item.authPendingSince.getTime() + this.deps.config.authPendingDeadlineSeconds * 1000
      const event: LifecycleEvent = deadlinePassed ? { type: 'AUTHORIZATION_DEADLINE_PASSED' } : { type: 'AUTHORIZATION_PENDING', userAction: error.userAction }
      if (transition(this.state, event).ok) {
        await this.finishWith(event)
        return
      }
      this.log.error({ step: this.state.executionStatus }, `connector ${this.connector?.name} requested device authorization outside the login step`)
      await this.finishWith({ type: 'CONNECTOR_FAILED', outcome: 'ERROR' }, { fromAnyStep: true })
      return
    }
    if (error instanceof ConnectorError) {
      // The connector's own words are for the developer (the item gets the outcome's sentence).
      this.log.warn({ outcome: error.outcome, reason: error.message, cause: error.cause }, `connector ${this.connector?.name} ended the execution`)
      const event: LifecycleEvent = { type: 'CONNECTOR_FAILED', outcome: error.outcome, providerMessage: error.providerMessage }
      if (transition(this.state, event).ok) {
        await this.finishWith(event)
        return
      }
      this.log.error({ outcome: error.outcome, step: this.state.executionStatus }, `connector ${this.connector?.name} reported ${error.outcome} outside the login steps`)
    } else {
      this.log.error({ err: error }, `connector ${this.connector?.name} (id ${this.item.connectorId}) threw an error that is not a typed connector error`)
    }
    await this.finishWith({ type: 'CONNECTOR_FAILED', outcome: 'ERROR' }, { fromAnyStep: true })
  }

  private context(connector: ConnectorDefinition): ConnectorContext {
    const { clock, cipher } = this.deps
    const signal = this.controller.signal
    const credentials = Object.freeze(JSON.parse(cipher.decrypt(this.item.credentialsEnc)) as Record<string, string>)
    const log = this.log.child({ connector: connector.name })
    return {
      credentials,
      products: this.execution.products,
      signal,
      log: {
        info: (message, fields) => log.info(fields ?? {}, message),
        warn: (message, fields) => log.warn(fields ?? {}, message),
        error: (message, fields) => log.error(fields ?? {}, message),
      },
      deviceTrusted: this.item.deviceTrusted,
      authorization: this.item.authPendingSince ? { pendingSince: this.item.authPendingSince, pendingExecutions: this.item.authPendingExecutions } : null,
      now: () => clock.now(),
      sleep: (ms) => clock.sleep(ms, signal),
      askUser: (request) => this.askUser(request),
      requestAuthorization: (userAction) => {
        throw new AuthorizationRequested(userAction)
      },
      warn: (product, warning) => {
        ;(this.warnings[product] ??= []).push({ code: warning.code, message: warning.message, ...(warning.providerMessage ? { providerMessage: warning.providerMessage } : {}) })
      },
    }
  }

  /** Pauses at WAITING_USER_INPUT until the value is posted (by any process) or the parameter expires. */
  private async askUser(request: MfaRequest): Promise<string> {
    const { clock, config, wakeups, db, cipher } = this.deps
    const expiresAt = new Date(clock.now().getTime() + config.mfaTimeoutSeconds * 1000)
    // Saved before waiting: the API accepts the value only once the item waits for it.
    await this.advance({ type: 'MFA_REQUESTED', parameter: { ...request, expiresAt: expiresAt.toISOString() } }, { durable: true })
    const signal = this.controller.signal
    for (;;) {
      if (signal.aborted) throw signal.reason
      const execution = await findExecution(db.pool, this.execution.id)
      if (!execution) throw new ExecutionStopped('cancelled')
      if (execution.status === 'LOGIN_MFA_IN_PROGRESS') {
        // The API saved MFA_SUBMITTED with the value; take it and go on from there.
        const applied = transition(this.state, { type: 'MFA_SUBMITTED' })
        if (!applied.ok) throw new Error(applied.reason)
        this.observeStep(clock.now())
        this.state = applied.next
        this.savedStatus = applied.next.executionStatus
        const value = await takeMfaValue(db.pool, this.execution.id)
        if (value === undefined) throw new Error('the MFA value was already taken')
        this.mfaAnswered = true
        return cipher.decrypt(value)
      }
      if (execution.status !== 'WAITING_USER_INPUT') throw new ExecutionStopped('lost')
      const left = expiresAt.getTime() - clock.now().getTime()
      if (left <= 0) {
        // Guarded on WAITING_USER_INPUT: if the value arrived at the same instant, it wins.
        if (await this.finishWith({ type: 'MFA_TIMED_OUT' })) throw new MfaTimedOut()
        continue
      }
      await wakeups.wait(mfaWakeupKey(this.execution.id), Math.min(left, config.pollIntervalMs), signal)
    }
  }

  /**
   * Applies a non-final transition and starts saving it with its events. The execution does not
   * wait for the database at every step: an execution writes one change at a time, and the steps
   * it reaches while one is being written share the next (with institutions that answer at once,
   * a handful of writes rather than one per step). A step the database refuses stops the
   * execution. With `durable`, returns once the step is saved.
   */
  private async advance(event: LifecycleEvent, options: { durable?: boolean } = {}): Promise<void> {
    const signal = this.controller.signal
    if (signal.aborted) throw signal.reason
    const result = this.apply(event)
    // A failed product changes no status: it is kept with the execution and saved when it ends.
    if (result.next.executionStatus === this.state.executionStatus) {
      this.state = result.next
      return
    }
    const at = this.deps.clock.now()
    this.unsaved.push({ reached: { status: result.next.executionStatus, at }, state: result.next, events: this.eventsFor(result.effects, result.next, at) })
    this.observeStep(at)
    this.state = result.next
    this.log.debug({ executionStatus: result.next.executionStatus }, 'step')
    this.saving ??= this.saveSteps()
    if (options.durable) {
      await this.saving
      if (signal.aborted) throw signal.reason
    }
  }

  /** Writes the unsaved steps until none is left; one the database refuses stops the execution. */
  private async saveSteps(): Promise<void> {
    try {
      while (this.unsaved.length > 0) {
        const steps = this.unsaved.slice()
        const last = steps[steps.length - 1]
        const saved = await this.writers.steps.save({
          itemId: this.item.id,
          executionId: this.execution.id,
          expected: this.savedStatus,
          state: last.state,
          reached: steps.map((s) => s.reached),
          events: steps.flatMap((s) => s.events),
        })
        // The item was deleted, or another worker took the execution over.
        if (!saved) throw new ExecutionStopped('cancelled')
        this.unsaved.splice(0, steps.length)
        this.savedStatus = last.state.executionStatus
      }
    } catch (error) {
      this.controller.abort(error instanceof ExecutionStopped ? error : new StepNotSaved(error))
    } finally {
      // Cleared in the same turn as the last check for unsaved steps: a step reached after it
      // starts a write of its own.
      this.saving = undefined
    }
  }

  /** Records how long the status being left lasted. */
  private observeStep(at: Date): void {
    this.deps.metrics?.stepDuration.observe({ connector: String(this.item.connectorId), step: this.state.executionStatus }, (at.getTime() - this.statusSince.getTime()) / 1000)
    this.statusSince = at
  }

  private apply(event: LifecycleEvent, options: { fromAnyStep?: boolean } = {}) {
    let result = transition(this.state, event)
    // A connector failure outside login (e.g. a plain Error while merging) still must end the execution.
    if (!result.ok && options.fromAnyStep && event.type === 'CONNECTOR_FAILED') result = transition(this.state, { type: 'WORKER_LOST' })
    if (!result.ok) throw new Error(`engine refused its own transition: ${result.reason}`)
    const broken = invariantViolations(result.next)
    if (broken.length > 0) throw new Error(`transition ${event.type} breaks invariants: ${broken.join('; ')}`)
    if (options.fromAnyStep && event.type === 'CONNECTOR_FAILED' && result.next.error) {
      result.next.error = { ...result.next.error, message: event.message ?? result.next.error.message }
    }
    return result
  }

  /**
   * Applies a final transition and saves it together with everything the outcome changes (and,
   * for a successful merge, the merged data) in one transaction. Returns false when the guard
   * found the execution already ended or the item deleted.
   */
  async finishWith(event: LifecycleEvent, options: { merge?: Collected; fromAnyStep?: boolean } = {}): Promise<boolean> {
    // Steps being written come first; those left unsaved are written with the end.
    await this.saving
    const result = this.apply(event, options)
    const finished = result.effects.find((e): e is Extract<Effect, { type: 'EXECUTION_FINISHED' }> => e.type === 'EXECUTION_FINISHED')
    if (!finished) throw new Error(`${event.type} did not finish the execution`)
    const at = this.deps.clock.now()
    const next = result.next
    const { config } = this.deps
    const since = this.item.authPendingSince ?? at
    const saved = await this.writers.finishes.save({
      transition: {
        ...this.finishFields(next, finished.outcome, at),
        expected: this.savedStatus,
        reached: this.unsaved.map((s) => s.reached),
        failedProducts: next.failedProducts,
        warnings: this.warnings as Record<string, ProductWarning[]>,
        events: [...this.unsaved.flatMap((s) => s.events), ...this.eventsFor(result.effects, next, at)],
      },
      // Saved only when the transition is: nothing is merged for an execution that no longer runs.
      merge: options.merge && {
        scope: { itemId: this.item.id, clientId: this.item.clientId, at, products: this.execution.products, failedProducts: next.failedProducts, triggeredBy: this.execution.triggeredBy, clientUserId: this.item.clientUserId, webhookUrl: this.item.webhookUrl },
        collected: options.merge,
      },
      followUp: result.effects.some((e) => e.type === 'SCHEDULE_AUTHORIZATION_FOLLOW_UP')
        ? { runAt: new Date(Math.min(at.getTime() + config.authPendingRetrySeconds * 1000, since.getTime() + config.authPendingDeadlineSeconds * 1000)) }
        : undefined,
    })
    if (saved) {
      this.observeStep(at)
      this.state = next
      this.savedStatus = next.executionStatus
      this.unsaved = []
      this.deps.metrics?.executionsFinished.inc({ connector: String(this.item.connectorId), status: finished.outcome })
      this.log.info({ outcome: finished.outcome, status: next.status }, 'execution finished')
    }
    return saved
  }

  private finishFields(next: LifecycleState, outcome: FinalOutcome, at: Date) {
    const { item, connector, execution, deps } = this
    const success = outcome === 'SUCCESS' || outcome === 'PARTIAL_SUCCESS'
    const pending = outcome === 'USER_AUTHORIZATION_PENDING'
    const loginError = next.status === 'LOGIN_ERROR'
    // A trusted-device connector trusts the device after one successful execution that answered MFA.
    const deviceTrusted = !loginError && (item.deviceTrusted || Boolean(connector?.trustsDevice && success && this.mfaAnswered))
    const consecutiveFailedExecutions = success ? 0 : pending ? item.consecutiveFailedExecutions : item.consecutiveFailedExecutions + 1
    const updatable = connector
      ? isUpdatable({
          status: next.status,
          hasOneStepMfa: connector.credentials.some((f) => f.mfa),
          hasMFA: connector.hasMFA,
          trustsDevice: Boolean(connector.trustsDevice),
          deviceTrusted,
        })
      : false
    return {
      itemId: item.id,
      executionId: execution.id,
      state: next,
      at,
      statusDetail: success ? this.statusDetail(next, at) : item.statusDetail,
      lastUpdatedAt: success ? at : item.lastUpdatedAt,
      consecutiveFailedExecutions,
      rejectedCredentialsHash: loginError && connector ? loginAttemptHash(deps.cipher, connector, JSON.parse(deps.cipher.decrypt(item.credentialsEnc))) : null,
      lastLoginErrorAt: loginError ? at : item.lastLoginErrorAt,
      deviceTrusted,
      authPendingSince: pending ? (item.authPendingSince ?? at) : null,
      authPendingExecutions: pending ? item.authPendingExecutions + 1 : 0,
      nextAutoSyncAt: updatable ? nextAutoSyncAt(at, deps.config.autoSyncIntervalSeconds, consecutiveFailedExecutions, Math.random()) : null,
    }
  }

  private statusDetail(next: LifecycleState, at: Date): StatusDetail {
    const previous = this.item.statusDetail ?? {}
    const detail: StatusDetail = {}
    for (const product of PRODUCTS_IN_STEP_ORDER) {
      const key = PRODUCT_DETAIL_KEY[product]
      if (!this.execution.products.includes(product)) {
        detail[key] = null
        continue
      }
      const failed = next.failedProducts.includes(product)
      detail[key] = {
        isUpdated: !failed,
        lastUpdatedAt: failed ? (previous[key]?.lastUpdatedAt ?? null) : at.toISOString(),
        warnings: this.warnings[product] ?? [],
      }
    }
    return detail
  }

  /** The status change for the live stream, then the webhook events the transition emits. */
  private eventsFor(effects: Effect[], next: LifecycleState, at: Date): NewEvent[] {
    const { triggeredBy } = this.execution
    return [
      statusEvent(this.item, next, this.execution.id, triggeredBy, at),
      ...effects
        .filter((e): e is Extract<Effect, { type: 'EMIT' }> => e.type === 'EMIT')
        .map((e) => itemEvent(e.event, this.item, triggeredBy, at, e.event === 'item/error' ? { error: next.error } : {})),
    ]
  }
}

import type pino from 'pino'
import {
  ConnectorError,
  PRODUCT_FETCHER,
  ProductError,
  type Collected,
  type ConnectorContext,
  type ConnectorDefinition,
  type ConsentReport,
  type SandboxInstructions,
} from '../connectors/sdk/index.ts'
import { authorizationRequested, type ScheduleSettings } from '../domain/execution-outcome.ts'
import { LOGIN_STARTED, MERGE_STARTED, productStarted, type LifecycleEvent } from '../domain/lifecycle.ts'
import { PRODUCT_DETAIL_KEY } from '../domain/statuses.ts'
import type { Cipher } from '../store/cipher.ts'
import type { Clock } from '../time/clock.ts'
import { connectorContext } from './connector-context.ts'
import { DatabaseUnavailable } from '../store/database-errors.ts'
import { AuthorizationRequested, CannotResume, ExecutionStopped, MfaTimedOut, StepNotSaved, UserAuthorizationEnded } from './execution-errors.ts'
import type { ExecutionProgress } from './execution-progress.ts'
import { waitForMfaValue, type MfaWaitDeps } from './mfa-wait.ts'
import { waitForUserAuthorization, type UserAuthorizationWaitDeps } from './user-authorization-wait.ts'

export interface WorkflowDeps {
  clock: Clock
  cipher: Cipher
  schedule: ScheduleSettings
  mfa: MfaWaitDeps
  userAuthorization: UserAuthorizationWaitDeps
  /** Open Finance: what a connector keeps of the item between executions. */
  saveSecrets(itemId: string, secretsEnc: string | null): Promise<void>
  saveConsent(itemId: string, consent: ConsentReport): Promise<void>
  /** The products an execution kept durably before a takeover (connectors with checkpoints). */
  checkpointsOf(executionId: string): Promise<Map<string, unknown>>
  /**
   * What the sandbox control API asked of an execution of a sandbox institution; absent when the
   * control API is off (the connector then gets no instructions).
   */
  sandboxInstructions?(progress: ExecutionProgress): Promise<SandboxInstructions | null>
  /** Erases the user's MFA answer once the login passed (fenced on the attempt). */
  eraseMfaValue(executionId: string, attempt: number): Promise<void>
  /** Leaves the execution to another worker (this process is stopping), or ends it when it is out of attempts. */
  handOver(progress: ExecutionProgress): Promise<void>
}

/**
 * The workflow of one execution: login, one step per product, the merge — the connector does the
 * I/O, the domain decides every status (through {@link ExecutionProgress}), and whatever the
 * connector throws becomes the outcome the lifecycle gives it.
 */
export class ExecutionWorkflow {
  constructor(
    private readonly deps: WorkflowDeps,
    private readonly progress: ExecutionProgress,
    private readonly connector: ConnectorDefinition | undefined,
    private readonly controller: AbortController,
    private readonly log: pino.Logger,
  ) {}

  async drive(): Promise<void> {
    const connector = this.connector
    if (!connector) {
      await this.progress.finish({ type: 'UNEXPECTED_ERROR', message: `Connector ${this.progress.item.connectorId} is not installed on this engine.` })
      return
    }
    const { progress } = this
    try {
      await progress.advance(LOGIN_STARTED)
      const signal = this.controller.signal
      const sandbox = connector.isSandbox && this.deps.sandboxInstructions ? await this.deps.sandboxInstructions(progress) : null
      const ctx = connectorContext({
        sandbox,
        connector,
        progress,
        signal,
        clock: this.deps.clock,
        cipher: this.deps.cipher,
        log: this.log,
        askUser: (request) => {
          asked = true
          return waitForMfaValue(this.deps.mfa, progress, request, signal)
        },
        requestUserAuthorization: (request) => waitForUserAuthorization(this.deps.userAuthorization, progress, request, signal),
        saveSecrets: (secretsEnc) => this.deps.saveSecrets(progress.item.id, secretsEnc),
        saveConsent: (consent) => this.deps.saveConsent(progress.item.id, consent),
      })
      let asked = false
      await this.guard(connector.login(ctx))
      // The login passed: the user's answer is no longer needed, even by a run that takes over.
      if (asked) await this.deps.eraseMfaValue(progress.execution.id, progress.execution.attempt)
      // A run that took the execution over uses what the stopped one kept durably.
      const kept = progress.resumedFrom !== null && connector.checkpoints ? await this.deps.checkpointsOf(progress.execution.id) : new Map<string, unknown>()
      const collected: Collected = { accounts: [], creditCards: [], transactions: [], investments: [] }
      for (const product of progress.execution.products) {
        const started = productStarted(product)
        await progress.advance(started)
        try {
          const fetcher = connector[PRODUCT_FETCHER[product]] as (c: ConnectorContext, d: Collected) => Promise<unknown>
          const data = kept.has(product) ? kept.get(product) : await this.guard(fetcher.call(connector, ctx, collected))
          const expected = product === 'IDENTITY' ? 'an object' : 'an array'
          if (product === 'IDENTITY' ? typeof data !== 'object' || data === null || Array.isArray(data) : !Array.isArray(data)) {
            throw new Error(`${PRODUCT_FETCHER[product]}() of connector ${connector.name} (id ${connector.id}) returned ${data === null ? 'null' : typeof data}, not ${expected}`)
          }
          ;(collected as unknown as Record<string, unknown>)[PRODUCT_DETAIL_KEY[product]] = data
          if (connector.checkpoints && !kept.has(product)) progress.checkpoint(product, data)
        } catch (error) {
          if (!(error instanceof ProductError)) throw error
          this.log.warn({ product, reason: error.message }, 'product failed; the execution goes on')
          if (progress.replays(started)) progress.productFailedOnResume(product)
          else await progress.advance({ type: 'PRODUCT_FAILED', product })
        }
      }
      await progress.advance(MERGE_STARTED)
      await this.logout(connector, ctx)
      const merged = await progress.finish({ type: 'MERGE_SUCCEEDED', firstConnection: progress.item.lastUpdatedAt === null }, { merge: collected }).catch((error) => {
        // Not the merge's fault: the execution stopped, or the database stayed out of reach.
        if (error instanceof ExecutionStopped || error instanceof DatabaseUnavailable) throw error
        this.log.error({ err: error }, 'merge failed; stored data left unchanged')
        return 'merge-failed' as const
      })
      if (merged === 'merge-failed') await progress.finish({ type: 'MERGE_FAILED' })
    } catch (error) {
      await this.fail(error)
    }
  }

  /**
   * Lets the connector close its session while MERGING (a slow institution makes that step
   * observable). The data is collected by then, so a failure is only logged.
   */
  private async logout(connector: ConnectorDefinition, ctx: ConnectorContext): Promise<void> {
    if (!connector.logout) return
    try {
      await this.guard(connector.logout(ctx))
    } catch (error) {
      if (this.controller.signal.aborted) throw error
      this.log.warn({ err: error }, 'the connector could not log out; the collected data is merged anyway')
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

  /** Ends the execution with the outcome the lifecycle gives what was thrown. */
  private async fail(error: unknown): Promise<void> {
    const { progress, log } = this
    const name = `connector ${this.connector?.name} (id ${progress.item.connectorId})`
    if (error instanceof MfaTimedOut || error instanceof UserAuthorizationEnded) return
    if (error instanceof ExecutionStopped) {
      // cancelled: the item is gone; lost: another worker owns the execution now.
      if (error.reason === 'deadline') await progress.finish({ type: 'DEADLINE_EXCEEDED' }).catch((e) => log.error({ err: e }, 'could not save the deadline outcome'))
      // This process is stopping: another worker (or this one once restarted) takes the execution on.
      if (error.reason === 'shutdown') await this.deps.handOver(progress).catch((e) => log.error({ err: e }, 'could not hand the execution over'))
      return
    }
    let event: LifecycleEvent
    const unsaved = error instanceof StepNotSaved ? error.cause : error instanceof DatabaseUnavailable ? error : undefined
    if (unsaved !== undefined) {
      log.error({ err: unsaved }, 'the progress of the execution could not be saved; the execution ends')
      event = {
        type: 'UNEXPECTED_ERROR',
        message:
          unsaved instanceof DatabaseUnavailable
            ? `Tributary could not reach its database for ${Math.round(unsaved.waitedMs / 1000)} s and stopped the sync; the institution was not at fault. Try again.`
            : 'The progress of the execution could not be saved. Try again later.',
      }
    } else if (error instanceof CannotResume) {
      log.warn({ reason: error.message }, `the execution could not resume on this worker`)
      event = { type: 'UNEXPECTED_ERROR', message: `The worker running the sync stopped, and another could not resume it (${error.message}). Try again.` }
    } else if (error instanceof AuthorizationRequested) {
      event = authorizationRequested(progress.item, this.deps.clock.now(), error.userAction, this.deps.schedule)
      if (!progress.accepts(event)) {
        log.error({ step: progress.current.executionStatus }, `${name} requested device authorization outside the login step`)
        event = { type: 'UNEXPECTED_ERROR' }
      }
    } else if (error instanceof ConnectorError) {
      // The connector's own words are for the developer (the item gets the outcome's sentence).
      log.warn({ outcome: error.outcome, reason: error.message, cause: error.cause }, `${name} ended the execution`)
      event = { type: 'CONNECTOR_FAILED', outcome: error.outcome, providerMessage: error.providerMessage }
      if (!progress.accepts(event)) {
        log.error({ outcome: error.outcome, step: progress.current.executionStatus }, `${name} reported ${error.outcome} outside the steps where it can happen`)
        event = { type: 'UNEXPECTED_ERROR' }
      }
    } else {
      log.error({ err: error }, `${name} threw an error that is not a typed connector error`)
      event = { type: 'UNEXPECTED_ERROR' }
    }
    await progress.finish(event)
  }
}

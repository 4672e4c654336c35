import type pino from 'pino'
import type { Collected, ConnectorDefinition } from '../connectors/sdk/index.ts'
import { settleOutcome, type ScheduleSettings } from '../domain/execution-outcome.ts'
import {
  executionRank,
  hasProgress,
  invariantViolations,
  timelinePassedMfa,
  transition,
  withProductFailedOnResume,
  type Effect,
  type LifecycleEvent,
  type LifecycleState,
} from '../domain/lifecycle.ts'
import type { ProductWarning } from '../domain/status-detail.ts'
import type { ExecutionStatus, Product } from '../domain/statuses.ts'
import { itemEvent, statusEvent } from '../events/item-events.ts'
import type { Metrics } from '../observability/metrics.ts'
import type { Cipher } from '../store/cipher.ts'
import type { NewEvent } from '../store/events.ts'
import { takeoverAttempt, type ExecutionRow, type StatusReached } from '../store/executions.ts'
import { lifecycleOf, type ItemRow } from '../store/items.ts'
import type { Clock } from '../time/clock.ts'
import { connectorTraits } from './connector-registry.ts'
import { loginAttemptHash } from './credential-hashes.ts'
import { ExecutionStopped, StepNotSaved } from './execution-errors.ts'
import type { FinishWriter } from './finish-writer.ts'
import type { StepWriter } from './step-writer.ts'

/** What saves the executions' changes, shared by the executions of a process. */
export interface Writers {
  steps: StepWriter
  finishes: FinishWriter
}

export interface ProgressDeps {
  writers: Writers
  clock: Clock
  cipher: Cipher
  schedule: ScheduleSettings
  metrics?: Metrics
  /** Told when an outcome scheduled a device-authorization follow-up, so it starts on time. */
  onFollowUpScheduled?: (at: Date) => void
}

/** A status reached by the engine and not yet written, with what it writes. */
interface UnsavedStep {
  reached: StatusReached
  state: LifecycleState
  events: NewEvent[]
  checkpoints: { product: Product; data: unknown }[]
}

/**
 * One execution's lifecycle state and how it reaches the database. Every status the execution
 * passes through is a domain transition applied here and written from here, with its timeline
 * entry and its events — except MFA_SUBMITTED, which the API writes and this adopts.
 *
 * The execution does not wait for the database at every step: it writes one change at a time,
 * and the steps it reaches while one is being written share the next (with institutions that
 * answer at once, a handful of writes rather than one per step). A step the database refuses
 * stops the execution.
 *
 * A run that took the execution over from a worker that stopped resumes it: the statuses up to
 * the one the execution had reached are durable already, so reaching them again writes nothing
 * (the timeline only moves forward), and the run goes on writing from there.
 */
export class ExecutionProgress {
  private state: LifecycleState
  /** The execution status the database has: what the next write of this execution expects. */
  private savedStatus: ExecutionStatus
  /** Steps reached and not yet written, oldest first; the end writes whatever is left. */
  private unsaved: UnsavedStep[] = []
  /** The write of the unsaved steps under way, if any (it never rejects). */
  private saving: Promise<void> | undefined
  private statusSince: Date
  private mfaAnswered: boolean
  /** Products collected since the last write, kept with the next one (connectors with checkpoints). */
  private collectedSinceWrite: { product: Product; data: unknown }[] = []
  /** On a run that took the execution over: the status it had reached. */
  readonly resumedFrom: ExecutionStatus | null
  readonly warnings: Partial<Record<Product, ProductWarning[]>> = {}

  constructor(
    private readonly deps: ProgressDeps,
    readonly item: ItemRow,
    readonly execution: ExecutionRow,
    private readonly connector: ConnectorDefinition | undefined,
    private readonly controller: AbortController,
    private readonly log: pino.Logger,
  ) {
    this.state = lifecycleOf(item, execution.failedProducts)
    this.savedStatus = this.state.executionStatus
    this.statusSince = deps.clock.now()
    this.resumedFrom = hasProgress(execution.status) ? execution.status : null
    // Answered and checked before a takeover, when the timeline shows it.
    this.mfaAnswered = timelinePassedMfa(execution.steps.map((step) => step.status))
  }

  /** Whether reaching `event`'s status is replaying what the execution had reached before a takeover. */
  replays(event: LifecycleEvent): boolean {
    return this.resumedFrom !== null && event.type === 'STEP_STARTED' && executionRank(event.step) <= executionRank(this.resumedFrom)
  }

  /** What a resumed connector is told (ConnectorContext.resume). */
  get resume(): { fromStatus: string; attempt: number; mfaAnswered: boolean } | null {
    return this.resumedFrom === null ? null : { fromStatus: this.resumedFrom, attempt: this.execution.attempt, mfaAnswered: this.mfaAnswered }
  }

  /** Keeps a collected product durably with the next write (a connector with checkpoints). */
  checkpoint(product: Product, data: unknown): void {
    this.collectedSinceWrite.push({ product, data })
  }

  /** A product collected again on a resumed run failed this time (its step is already past). */
  productFailedOnResume(product: Product): void {
    this.state = withProductFailedOnResume(this.state, product)
  }

  get current(): LifecycleState {
    return this.state
  }

  /** Whether the lifecycle accepts `event` now (a connector's report that may come at the wrong step). */
  accepts(event: LifecycleEvent): boolean {
    return transition(this.state, event).ok
  }

  /**
   * Applies a non-final transition and starts saving it with its events. With `durable`,
   * returns once it is saved.
   */
  async advance(event: LifecycleEvent, options: { durable?: boolean } = {}): Promise<void> {
    const signal = this.controller.signal
    if (signal.aborted) throw signal.reason
    if (this.replays(event)) return
    const result = this.apply(event)
    // A failed product changes no status: it is kept with the execution and saved when it ends.
    if (result.next.executionStatus === this.state.executionStatus) {
      this.state = result.next
      return
    }
    const at = this.deps.clock.now()
    const checkpoints = this.collectedSinceWrite.splice(0)
    this.unsaved.push({
      reached: { status: result.next.executionStatus, at, attempt: takeoverAttempt(this.execution.attempt) },
      state: result.next,
      events: this.eventsFor(result.effects, result.next, at),
      checkpoints,
    })
    this.observeStep(at)
    this.state = result.next
    this.log.debug({ executionStatus: result.next.executionStatus }, 'step')
    this.saving ??= this.saveSteps()
    if (options.durable) {
      await this.saving
      if (signal.aborted) throw signal.reason
    }
  }

  /** Whether `saved` is the state the API writes when it accepts the MFA value this execution waits for. */
  isMfaAnswer(saved: ItemRow): boolean {
    const answered = transition(this.state, { type: 'MFA_SUBMITTED' })
    return answered.ok && answered.next.status === saved.status && answered.next.executionStatus === saved.executionStatus
  }

  /** Takes over the state the API saved when it accepted the MFA value (the one transition it writes). */
  adoptMfaAnswer(saved: ItemRow): void {
    this.observeStep(this.deps.clock.now())
    this.state = lifecycleOf(saved, this.state.failedProducts)
    this.savedStatus = this.state.executionStatus
    this.mfaAnswered = true
  }

  /** A run that took the execution over took the value the user had posted before it. */
  takePostedMfaAnswer(): void {
    this.mfaAnswered = true
  }

  /** Writes the unsaved steps until none is left; one the database refuses stops the execution. */
  private async saveSteps(): Promise<void> {
    try {
      while (this.unsaved.length > 0) {
        const steps = this.unsaved.slice()
        const last = steps[steps.length - 1]
        const saved = await this.deps.writers.steps.save({
          itemId: this.item.id,
          executionId: this.execution.id,
          attempt: this.execution.attempt,
          expected: this.savedStatus,
          state: last.state,
          reached: steps.map((s) => s.reached),
          events: steps.flatMap((s) => s.events),
          checkpoints: steps.flatMap((s) => s.checkpoints),
        })
        if (!saved) {
          this.log.warn('a step was refused: the execution is no longer held by this worker (its item was deleted, or another worker took it over)')
          throw new ExecutionStopped('cancelled')
        }
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

  /**
   * Applies a final transition and saves it together with everything the outcome changes (and,
   * for a successful merge, the merged data) in one transaction. Returns false when the guard
   * found the execution already ended or the item deleted.
   */
  async finish(event: LifecycleEvent, options: { merge?: Collected } = {}): Promise<boolean> {
    // Steps being written come first; those left unsaved are written with the end.
    await this.saving
    const result = this.apply(event)
    const finished = result.effects.find((e): e is Extract<Effect, { type: 'EXECUTION_FINISHED' }> => e.type === 'EXECUTION_FINISHED')
    if (!finished) throw new Error(`${event.type} did not finish the execution`)
    const at = this.deps.clock.now()
    const { item, execution, connector, deps } = this
    const next = result.next
    const { rememberRejectedCredentials, ...bookkeeping } = settleOutcome({
      item,
      next,
      outcome: finished.outcome,
      at,
      connector: connector ? connectorTraits(connector) : null,
      execution: { products: execution.products, mfaAnswered: this.mfaAnswered, warnings: this.warnings },
      schedule: deps.schedule,
      jitter: Math.random(),
    })
    const saved = await deps.writers.finishes.save({
      transition: {
        ...bookkeeping,
        itemId: item.id,
        executionId: execution.id,
        attempt: execution.attempt,
        state: next,
        at,
        rejectedCredentialsHash: rememberRejectedCredentials && connector ? loginAttemptHash(deps.cipher, connector, JSON.parse(deps.cipher.decrypt(item.credentialsEnc))) : null,
        expected: this.savedStatus,
        reached: this.unsaved.map((s) => s.reached),
        failedProducts: next.failedProducts,
        warnings: this.warnings as Record<string, ProductWarning[]>,
        events: [...this.unsaved.flatMap((s) => s.events), ...this.eventsFor(result.effects, next, at)],
        dropCheckpoints: Boolean(connector?.checkpoints),
      },
      // Saved only when the transition is: nothing is merged for an execution that no longer runs.
      merge: options.merge && {
        scope: {
          itemId: item.id,
          clientId: item.clientId,
          at,
          products: execution.products,
          failedProducts: next.failedProducts,
          triggeredBy: execution.triggeredBy,
          clientUserId: item.clientUserId,
          webhookUrl: item.webhookUrl,
        },
        collected: options.merge,
      },
    })
    if (saved) {
      this.observeStep(at)
      this.state = next
      this.savedStatus = next.executionStatus
      this.unsaved = []
      deps.metrics?.executionsFinished.inc({ connector: String(item.connectorId), status: finished.outcome })
      if (bookkeeping.followUpAt) deps.onFollowUpScheduled?.(bookkeeping.followUpAt)
      this.log.info({ outcome: finished.outcome, status: next.status }, 'execution finished')
    }
    return saved
  }

  /** The transition of `event`, which the engine must not break: a refusal here is a bug. */
  private apply(event: LifecycleEvent) {
    const result = transition(this.state, event)
    if (!result.ok) throw new Error(`engine refused its own transition: ${result.reason}`)
    const broken = invariantViolations(result.next)
    if (broken.length > 0) throw new Error(`transition ${event.type} breaks invariants: ${broken.join('; ')}`)
    return result
  }

  /** Records how long the status being left lasted. */
  private observeStep(at: Date): void {
    this.deps.metrics?.stepDuration.observe({ connector: String(this.item.connectorId), step: this.state.executionStatus }, (at.getTime() - this.statusSince.getTime()) / 1000)
    this.statusSince = at
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

import type { TaskList } from 'graphile-worker'
import { enqueue, TASKS, type TaskPayloads } from '../../store/queue.ts'
import { PREAUTHORIZATION_AWAITING_PAYER } from '../../domain/payments/payment-execution.ts'
import { SETTLEMENT_STATUSES } from '../../domain/payments/settlement.ts'
import { enqueueUnfinishedIntents, fireDuePaymentChecks, nextPaymentCheckAt } from '../../store/payments/payment-execution.ts'
import { enqueueUnfinishedSmartTransfers } from '../../store/payments/smart-transfer-execution.ts'
import { PaymentCheckRunner } from './payment-check-runner.ts'
import { PaymentIntentRunner, type PaymentRunnerDeps } from './payment-intent-runner.ts'
import { SmartTransferRunner } from './smart-transfer-runner.ts'

/** Timers fired and intents looked at per pass (a backlog drains over the following passes). */
const PASS_BATCH = 200

/**
 * The engine's side of payments: the queue's payment tasks (an intent's job, a due timer's job),
 * and the pass the scheduler runs on the engine's clock, which fires the durable timers that came
 * due and queues a job for every intent not finished (resuming any whose job a crash lost, and
 * looking again at intents that wait for the bank).
 */
export class PaymentEngine {
  readonly intents: PaymentIntentRunner
  readonly checks: PaymentCheckRunner
  readonly smartTransfers: SmartTransferRunner

  constructor(private readonly deps: PaymentRunnerDeps & { wakeAt?: (at: Date) => void }) {
    this.intents = new PaymentIntentRunner(deps)
    this.smartTransfers = new SmartTransferRunner(deps)
    this.checks = new PaymentCheckRunner(deps, this.smartTransfers)
  }

  tasks(): TaskList {
    return {
      [TASKS.runPaymentIntent]: async (payload) => this.intents.run((payload as TaskPayloads['run-payment-intent']).intentId),
      [TASKS.runPaymentCheck]: async (payload) => this.checks.run(payload as TaskPayloads['run-payment-check']),
      [TASKS.runSmartTransferPayment]: async (payload) => this.smartTransfers.runPayment((payload as TaskPayloads['run-smart-transfer-payment']).paymentId),
      [TASKS.runSmartTransferPreauthorization]: async (payload) => this.smartTransfers.runPreauthorization((payload as TaskPayloads['run-smart-transfer-preauthorization']).preauthorizationId),
    }
  }

  /** One pass: due timers fire (as jobs), unfinished intents get a job; the next timer is hinted. */
  async pass(): Promise<void> {
    const { db, clock } = this.deps
    for (let fired = PASS_BATCH; fired === PASS_BATCH; ) fired = (await fireDuePaymentChecks(db.pool, clock.now(), TASKS.runPaymentCheck, PASS_BATCH)).length
    await enqueueUnfinishedIntents(db.pool, TASKS.runPaymentIntent, PASS_BATCH)
    await enqueueUnfinishedSmartTransfers(
      db.pool,
      { preauthorization: TASKS.runSmartTransferPreauthorization, payment: TASKS.runSmartTransferPayment },
      PREAUTHORIZATION_AWAITING_PAYER,
      SETTLEMENT_STATUSES,
      PASS_BATCH,
    )
    const next = await nextPaymentCheckAt(db.pool)
    if (next) this.deps.wakeAt?.(next)
  }

  /**
   * The payer answered at their bank, or a payment changed there: the job of what `reference` names
   * (an intent, a preauthorization or a transfer: the bank knows only the id) looks now.
   */
  async wake(reference: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/i.test(reference)) return
    const { pool } = this.deps.db
    await enqueue(pool, TASKS.runPaymentIntent, { intentId: reference })
    await enqueue(pool, TASKS.runSmartTransferPreauthorization, { preauthorizationId: reference })
    await enqueue(pool, TASKS.runSmartTransferPayment, { paymentId: reference })
  }
}

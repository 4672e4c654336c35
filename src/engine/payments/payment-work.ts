import type { Queryable } from '../../store/database.ts'
import { enqueue, TASKS } from '../../store/queue.ts'

/**
 * Hands a started intent to the engine: queues its durable job in the caller's transaction (the
 * one that starts the intent), so the job exists exactly when the intent does. The job drives the
 * intent a step at a time; queueing it again while it is pending changes nothing (job key).
 * `now` is the engine's time of the start: the job runs at once, whatever the clock says.
 */
export async function enqueuePaymentIntentWork(tx: Queryable, intentId: string, _now: Date): Promise<void> {
  await enqueue(tx, TASKS.runPaymentIntent, { intentId })
}

/** As enqueuePaymentIntentWork, for a smart-transfer payment, in the transaction that creates it. */
export async function enqueueSmartTransferPaymentWork(tx: Queryable, paymentId: string, _now: Date): Promise<void> {
  await enqueue(tx, TASKS.runSmartTransferPayment, { paymentId })
}

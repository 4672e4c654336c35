/**
 * The job queue's tasks, declared once. graphile-worker only wakes workers: what runs, and
 * whether it already ran, is decided by the engine's own tables.
 *
 * Terminology:
 * - task: a kind of job, with its payload type and its job key.
 * - job key: de-duplicates; one pending job per key (adding again replaces the pending one).
 */
import type { Queryable } from './database.ts'

/** Each task's payload. */
export interface TaskPayloads {
  /** Runs (or resumes) one execution, if this worker can claim it. */
  'run-execution': { executionId: string }
  /** Sends the webhook deliveries that are due. */
  'deliver-webhooks': Record<string, never>
  /** Drives one payment intent a step at a time (consent, the payer's answer, settlement), if it is not finished. */
  'run-payment-intent': { intentId: string }
  /** Drives one smart-transfer payment through settlement, if it is not finished. */
  'run-smart-transfer-payment': { paymentId: string }
  /** Asks the payer's bank for a smart-transfer preauthorization's consent, then for the payer's answer. */
  'run-smart-transfer-preauthorization': { preauthorizationId: string }
  /** Performs a durable payment timer that came due (a CHECK_AT effect): consent expiry, a payment's date, an authorization's expiry. */
  'run-payment-check': { subjectKind: string; subjectId: string; check: string; clientId: string }
}
export type TaskName = keyof TaskPayloads

declare global {
  namespace GraphileWorker {
    // Types the task list the worker is started with.
    interface Tasks extends TaskPayloads {}
  }
}

export const TASKS = {
  runExecution: 'run-execution',
  deliverWebhooks: 'deliver-webhooks',
  runPaymentIntent: 'run-payment-intent',
  runSmartTransferPayment: 'run-smart-transfer-payment',
  runSmartTransferPreauthorization: 'run-smart-transfer-preauthorization',
  runPaymentCheck: 'run-payment-check',
} as const satisfies Record<string, TaskName>

/** Each task's job key for a payload. */
export const JOB_KEYS: { [K in TaskName]: (payload: TaskPayloads[K]) => string } = {
  'run-execution': ({ executionId }) => `${EXECUTION_JOB_KEY_PREFIX}${executionId}`,
  'deliver-webhooks': () => 'deliver-webhooks',
  'run-payment-intent': ({ intentId }) => `payment-intent:${intentId}`,
  'run-smart-transfer-payment': ({ paymentId }) => `smart-transfer-payment:${paymentId}`,
  'run-smart-transfer-preauthorization': ({ preauthorizationId }) => `smart-transfer-preauthorization:${preauthorizationId}`,
  // Built the same way by fireDuePaymentChecks' statement.
  'run-payment-check': ({ subjectKind, subjectId, check }) => `payment-check:${subjectKind}:${subjectId}:${check}`,
}
/** The prefix of run-execution job keys, for statements that build them for many executions. */
export const EXECUTION_JOB_KEY_PREFIX = 'execution:'

/**
 * Queues a job in the caller's transaction, so the job exists exactly when the change that needs
 * it committed. `delayMs` counts in the database's time: it paces the queue (a busy connector is
 * tried again shortly), it does not schedule anything the lifecycle promises — those are timers of
 * the engine's clock.
 */
export async function enqueue<K extends TaskName>(db: Queryable, task: K, payload: TaskPayloads[K], options: { delayMs?: number } = {}): Promise<void> {
  await db.query(`select graphile_worker.add_job($1, $2::json, run_at := now() + $3 * interval '1 millisecond', job_key := $4, max_attempts := 5)`, [
    task,
    JSON.stringify(payload),
    options.delayMs ?? 0,
    JOB_KEYS[task](payload),
  ])
}

/** Queues one job of `task` per payload in one statement, in the caller's transaction (see {@link enqueue}). */
export async function enqueueAll<K extends TaskName>(db: Queryable, task: K, payloads: TaskPayloads[K][]): Promise<void> {
  const specs = payloads.map((payload) => ({ identifier: task, payload, max_attempts: 5, job_key: JOB_KEYS[task](payload) }))
  await db.query(`select from graphile_worker.add_jobs(array(select json_populate_recordset(null::graphile_worker.job_spec, $1::json)))`, [JSON.stringify(specs)])
}

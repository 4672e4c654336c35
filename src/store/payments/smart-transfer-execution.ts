import type { Queryable } from '../database.ts'

/**
 * What the engine reads and writes to execute smart transfers, beside smart-transfers.ts: the
 * client of a job's subject (job payloads name only the id), the consent URL the payer's bank gave
 * a preauthorization, and the sweep that queues the jobs of those not finished.
 */

/** The client a preauthorization or a transfer belongs to, by id alone (for the engine's jobs). */
export async function findSmartTransferClient(db: Queryable, kind: 'PREAUTHORIZATION' | 'PAYMENT', id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ clientId: string }>(
    kind === 'PREAUTHORIZATION' ? `select client_id as "clientId" from smart_transfer_preauthorizations where id = $1` : `select client_id as "clientId" from smart_transfer_payments where id = $1`,
    [id],
  )
  return rows[0]?.clientId
}

/** Sets the consent URL the payer's bank gave a preauthorization still in `expectedStatus`. */
export async function setPreauthorizationConsentUrl(db: Queryable, id: string, consentUrl: string, expectedStatus: string, at: Date): Promise<void> {
  await db.query(`update smart_transfer_preauthorizations set consent_url = $2, updated_at = $4 where id = $1 and status = $3`, [id, consentUrl, expectedStatus, at])
}

/**
 * Queues the jobs of preauthorizations in `waitingStatus` and of transfers in `runningStatuses`
 * (up to `limit` of each), keyed per subject. Answers how many were queued.
 */
export async function enqueueUnfinishedSmartTransfers(
  db: Queryable,
  tasks: { preauthorization: string; payment: string },
  waitingStatus: string,
  runningStatuses: readonly string[],
  limit: number,
): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `select (select count(graphile_worker.add_job($1::text, json_build_object('preauthorizationId', p.id), job_key := 'smart-transfer-preauthorization:' || p.id, max_attempts := 5))
               from (select id from smart_transfer_preauthorizations where status = $3 order by updated_at limit $5) p)::int
          + (select count(graphile_worker.add_job($2::text, json_build_object('paymentId', t.id), job_key := 'smart-transfer-payment:' || t.id, max_attempts := 5))
               from (select id from smart_transfer_payments where status = any($4::text[]) order by updated_at limit $5) t)::int as count`,
    [tasks.preauthorization, tasks.payment, waitingStatus, runningStatuses, limit],
  )
  return rows[0]?.count ?? 0
}

import { spawnSync } from 'node:child_process'
import os from 'node:os'
import { expect } from 'vitest'
import { isFinalOutcome, itemStatusAfter } from '../../src/domain/statuses.ts'
import { duplicateData, executionProblems, executionsOf, postgresClusterVersion, waitFor, type ProcessGroup, type TestDatabase, type WebhookReceiver } from './processes.ts'

// What every fault test of the scale-out checks once its items settled (SPEC §2.2, §2.8, §3.5):
// each item ended as its sandbox user does, nothing ran twice, nothing was stored twice, every
// final event was delivered.

/** The parts of a running deployment the checks read. */
export interface Run {
  db: TestDatabase
  group: ProcessGroup
  receiver: WebhookReceiver
  /** How long items may take to settle (a bound on recovery, never an assertion on speed). */
  settleTimeoutMs: number
  leaseSeconds: number
}

const DELIVERY_TIMEOUT_MS = 60_000

/** The item status each final execution status leaves (SPEC §2.2, as the domain defines it). */
const finalItemStatus = (executionStatus: string) => (isFinalOutcome(executionStatus) ? itemStatusAfter(executionStatus) : undefined)

const FAILING = [
  { user: 'user-error', password: 'password-ok' },
  { user: 'user-logged', password: 'password-ok' },
  { user: 'user-unavailable', password: 'password-ok' },
  { user: 'user-connection-error', password: 'password-ok' },
  { user: 'user-locked', password: 'password-ok' },
  { user: 'user-merge-error', password: 'password-ok' },
  { user: 'user-ok', password: 'wrong-password' },
  { user: 'user-ok-account-error', password: 'password-ok' },
]

/** The outcome each sandbox user ends with (SPEC §4): anything else is the engine's fault, not the bank's. */
const OUTCOME_OF_USER: Record<string, string> = {
  'user-ok': 'SUCCESS',
  'user-ok-account-error': 'PARTIAL_SUCCESS',
  'user-error': 'ERROR',
  'user-logged': 'ALREADY_LOGGED_IN',
  'user-unavailable': 'SITE_NOT_AVAILABLE',
  'user-connection-error': 'CONNECTION_ERROR',
  'user-locked': 'ACCOUNT_LOCKED',
  'user-merge-error': 'MERGE_ERROR',
}
export const expectedOutcome = (body: Record<string, any>) => (body.parameters.password === 'password-ok' ? OUTCOME_OF_USER[body.parameters.user] : 'INVALID_CREDENTIALS')

/** `count` item bodies tagged `<tag>-<n>` in clientUserId: ~65% connector 0 user-ok, ~15% failing users, 20% connector 2 (2-step MFA). */
export function batch(tag: string, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => {
    const slot = i % 20
    const clientUserId = `${tag}-${i}`
    if (slot >= 16) return { connectorId: 2, parameters: { user: 'user-ok', password: 'password-ok' }, clientUserId }
    if (slot >= 13) return { connectorId: 0, parameters: FAILING[Math.floor(i / 20 + slot) % FAILING.length], clientUserId }
    return { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' }, clientUserId }
  })
}

const tagged = (tag: string) => `${tag}-%`

/** Waits until no item of the batch is UPDATING or WAITING_USER_INPUT; the failure message says who holds what. */
export async function waitUntilSettled(run: Run, tag: string): Promise<void> {
  const { db, group } = run
  await waitFor(
    async () => {
      const [{ n }] = await db.query(`select count(*)::int as n from items where client_user_id like $1 and status in ('UPDATING', 'WAITING_USER_INPUT')`, [tagged(tag)])
      return n === 0
    },
    {
      timeoutMs: run.settleTimeoutMs,
      intervalMs: 500,
      describe: async () => {
        const stuck = await db.query(
          `select i.id, i.status, i.execution_status, e.id as execution_id, e.status as execution, e.worker_id, e.heartbeat_at, e.attempt,
                  j.locked_by as job_locked_by, j.locked_at as job_locked_at, j.attempts as job_attempts, j.last_error as job_error
           from items i left join executions e on e.id = i.current_execution_id
           left join graphile_worker.jobs j on j.key = 'execution:' || e.id::text
           where i.client_user_id like $1 and i.status in ('UPDATING', 'WAITING_USER_INPUT') order by i.created_at limit 15`,
          [tagged(tag)],
        )
        const [{ n }] = await db.query(`select count(*)::int as n from items where client_user_id like $1 and status in ('UPDATING', 'WAITING_USER_INPUT')`, [tagged(tag)])
        return `${n} items of "${tag}" still UPDATING / WAITING_USER_INPUT after waiting ${run.settleTimeoutMs / 1000} s (the lease is ${run.leaseSeconds} s: SPEC §2.2 wants them taken over or finished as ERROR within a bounded time); first ones:\n${JSON.stringify(stuck, null, 1)}\n${group.output(2500)}`
      },
    },
  )
}

/**
 * The guarantees of SPEC §2.2, §2.8 and §3.5 for the items of one batch, and that each ended as
 * its sandbox user does: no item ends in error because a process or the database failed.
 */
export async function checkGuarantees(run: Run, tag: string, bodies: Record<string, any>[]): Promise<void> {
  const { db, group, receiver } = run
  const expectedItems = bodies.length
  const items = await db.query(
    `select i.id, i.client_user_id as "clientUserId", i.status, i.execution_status as "executionStatus", i.error, i.parameter, e.status as "currentExecution", e.finished_at as "currentFinishedAt"
     from items i left join executions e on e.id = i.current_execution_id where i.client_user_id like $1`,
    [tagged(tag)],
  )
  expect(items).toHaveLength(expectedItems)
  const expectedByUser = new Map(bodies.map((body) => [body.clientUserId, expectedOutcome(body)]))
  const faulted = items
    .filter((i) => i.executionStatus !== expectedByUser.get(i.clientUserId))
    .map((i) => `${i.clientUserId}: ${i.executionStatus} (expected ${expectedByUser.get(i.clientUserId)}) ${JSON.stringify(i.error)}`)
  expect(faulted, `every item ends as its sandbox user does: none in error because of a fault\n${faulted.length > 0 ? group.output(3000) : ''}`).toEqual([])
  const inconsistent = items.filter(
    (i) =>
      finalItemStatus(i.executionStatus) !== i.status ||
      i.currentExecution !== i.executionStatus ||
      i.currentFinishedAt === null ||
      i.parameter !== null ||
      (i.error === null) !== (i.status === 'UPDATED'),
  )
  expect(inconsistent, 'every item final, its status matching its last execution (SPEC §2.2)').toEqual([])

  // No execution row left unfinished, none overlapping another of its item, every timeline forward only.
  const itemIds = new Set(items.map((i) => i.id))
  const executions = (await executionsOf(db)).filter((e) => itemIds.has(e.itemId))
  expect(executions.filter((e) => e.finishedAt === null).map((e) => `${e.id} ${e.status} worker=${e.workerId}`)).toEqual([])
  expect(executionProblems(executions)).toEqual([])

  // Merged once: no account or transaction stored twice (SPEC §2.8).
  expect(await duplicateData(db)).toEqual([])

  // The outbox: each finished execution wrote exactly one item/created (its first success), item/updated or item/error with its final status (SPEC §3.5).
  const outcomes = await db.query(
    `select i.id, (select count(*)::int from executions e where e.item_id = i.id and e.finished_at is not null) as finished,
            (select count(*)::int from events v where v.item_id = i.id and v.type in ('item/created', 'item/updated', 'item/error')) as events
     from items i where i.client_user_id like $1`,
    [tagged(tag)],
  )
  expect(outcomes.filter((o) => o.finished !== o.events)).toEqual([])

  // Every item/created, item/updated and item/error event reached the receiver at least once (allowing time for retries).
  const events = await db.query<{ id: string; type: string; item_id: string }>(
    `select v.id, v.type, v.item_id from events v join items i on i.id = v.item_id
     where i.client_user_id like $1 and v.type in ('item/created', 'item/updated', 'item/error')`,
    [tagged(tag)],
  )
  expect(events.length).toBeGreaterThanOrEqual(expectedItems)
  await waitFor(() => events.every((e) => receiver.received.has(e.id)), {
    timeoutMs: DELIVERY_TIMEOUT_MS,
    intervalMs: 500,
    describe: async () => {
      const missing = events.filter((e) => !receiver.received.has(e.id))
      const deliveries = await db.query(`select event_id, event_type, status, attempts, next_attempt_at, locked_until, last_error from webhook_deliveries where event_id = any($1::uuid[]) limit 10`, [
        missing.map((e) => e.id),
      ])
      const jobs = await db.query(`select id, key, run_at, locked_by, locked_at, attempts, last_error from graphile_worker.jobs where task_identifier = 'deliver-webhooks'`)
      return `${missing.length} of ${events.length} item/created|item/updated|item/error events never reached the receiver; deliveries: ${JSON.stringify(deliveries)}; delivery jobs: ${JSON.stringify(jobs)}\n${group.output(2000)}`
    },
  })
}

/** Whether this machine lets the suite restart the PostgreSQL cluster (decided once, when the file loads). */
export function probePostgresRestart(): { ok: true; version: string } | { ok: false; reason: string } {
  if (process.env.TRIBUTARY_TEST_SKIP_PG_RESTART) return { ok: false, reason: 'TRIBUTARY_TEST_SKIP_PG_RESTART is set' }
  const version = postgresClusterVersion()
  if (!version) return { ok: false, reason: 'no cluster under /etc/postgresql/<version>/main' }
  const isRoot = process.getuid?.() === 0
  if (!isRoot && os.userInfo().username !== 'postgres') return { ok: false, reason: 'restarting the cluster needs root or the postgres user' }
  const status = spawnSync('pg_ctlcluster', [version, 'main', 'status'], { encoding: 'utf8', timeout: 10_000 })
  if (status.error || status.status !== 0) {
    return { ok: false, reason: `\`pg_ctlcluster ${version} main status\` failed: ${status.error?.message ?? status.stderr?.trim() ?? status.status}` }
  }
  return { ok: true, version }
}

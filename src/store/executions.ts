import type { ItemError } from '../domain/lifecycle.ts'
import type { ExecutionStatus, Product, Trigger } from '../domain/statuses.ts'
import type { Queryable } from './database.ts'
import { EXECUTION_JOB_KEY_PREFIX, TASKS } from './queue.ts'

export interface ExecutionStep {
  status: ExecutionStatus
  startedAt: string
  finishedAt: string | null
  /** Set on the steps a worker wrote after taking the execution over: which attempt it was (2 or more). */
  attempt?: number
}

export interface ExecutionRow {
  id: string
  itemId: string
  clientId: string
  status: ExecutionStatus
  triggeredBy: Trigger
  error: ItemError | null
  steps: ExecutionStep[]
  products: Product[]
  failedProducts: Product[]
  warnings: Record<string, { code: string; message: string; providerMessage?: string }[]>
  workerId: string | null
  heartbeatAt: Date | null
  attempt: number
  deadlineAt: Date
  createdAt: Date
  finishedAt: Date | null
}

const COLUMNS = `
  id, item_id as "itemId", client_id as "clientId", status, triggered_by as "triggeredBy", error, steps,
  products, failed_products as "failedProducts", warnings, worker_id as "workerId",
  heartbeat_at as "heartbeatAt", attempt, deadline_at as "deadlineAt", created_at as "createdAt",
  finished_at as "finishedAt"`

export interface NewExecution {
  id: string
  itemId: string
  clientId: string
  connectorId: number
  status: ExecutionStatus
  triggeredBy: Trigger
  products: Product[]
  deadlineAt: Date
  at: Date
}

/** New executions, each with its timeline's first entry open (many creations share the statement). */
export async function insertExecutions(db: Queryable, executions: NewExecution[]): Promise<void> {
  const rows = executions.map((e) => ({
    id: e.id,
    item_id: e.itemId,
    client_id: e.clientId,
    connector_id: e.connectorId,
    status: e.status,
    triggered_by: e.triggeredBy,
    steps: timelineEntries([{ status: e.status, at: e.at }], false),
    products: e.products,
    deadline_at: e.deadlineAt,
    created_at: e.at,
  }))
  await db.query(
    `insert into executions (id, item_id, client_id, connector_id, status, triggered_by, steps, products, deadline_at, created_at)
     select id, item_id, client_id, connector_id, status, triggered_by, steps, products, deadline_at, created_at
     from json_populate_recordset(null::executions, $1::json)`,
    [JSON.stringify(rows)],
  )
}

/** The timeline with the last entry closed at `at` and `entries` (a jsonb array) after it; arguments are SQL expressions. */
export function appendedSteps(at: string, entries: string): string {
  return `jsonb_set(steps, '{-1,finishedAt}', to_jsonb(${at}::text)) || ${entries}`
}

/** A status an execution reached, and when (and by which attempt, after a takeover). */
export interface StatusReached {
  status: ExecutionStatus
  at: Date
  attempt?: number
}

/**
 * Timeline entries for statuses reached one after the other: each ends when the next starts;
 * the last stays open unless `final`.
 */
export function timelineEntries(reached: readonly StatusReached[], final: boolean): ExecutionStep[] {
  return reached.map(({ status, at, attempt }, i) => {
    const next = reached[i + 1]
    return { status, startedAt: at.toISOString(), finishedAt: next ? next.at.toISOString() : final ? at.toISOString() : null, ...(attempt ? { attempt } : {}) }
  })
}

/**
 * Claims executions for a worker in one statement (migrations 007 and 020): each is `claimed`,
 * `busy` when its connector already has `connectorLimit` executions held by live workers (0: no
 * limit; connectors in `uncappedConnectors` have none), or `gone` when it ended, was deleted, or
 * another live worker holds it.
 */
export async function claimExecutions(
  db: Queryable,
  claim: { executionIds: string[]; workerId: string; at: Date; staleBefore: Date; connectorLimit: number; uncappedConnectors: readonly number[] },
): Promise<Map<string, 'claimed' | 'busy' | 'gone'>> {
  const { rows } = await db.query<{ executionId: string; outcome: 'claimed' | 'busy' | 'gone' }>(
    `select execution_id as "executionId", outcome from tributary_claim_executions($1::uuid[], $2, $3, $4, $5, $6::integer[])`,
    [claim.executionIds, claim.workerId, claim.at, claim.staleBefore, claim.connectorLimit, claim.uncappedConnectors],
  )
  return new Map(rows.map((r) => [r.executionId, r.outcome]))
}

/** Heart-beats a worker's running executions; returns the ids it still holds. */
export async function heartbeatExecutions(db: Queryable, workerId: string, executionIds: string[], at: Date): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`update executions set heartbeat_at = $3 where id = any($2::uuid[]) and worker_id = $1 and finished_at is null returning id`, [
    workerId,
    executionIds,
    at,
  ])
  return rows.map((r) => r.id)
}

/** Executions whose worker stopped heart-beating (or, with `anyWorker`, every started one). */
export async function findOrphanedExecutions(db: Queryable, staleBefore: Date): Promise<ExecutionRow[]> {
  const { rows } = await db.query<ExecutionRow>(
    `select ${COLUMNS} from executions where finished_at is null and worker_id is not null and heartbeat_at < $1
     order by heartbeat_at limit 500`,
    [staleBefore],
  )
  return rows
}

/**
 * Keeps the MFA value posted for an execution waiting for it (in status `expected`), until the
 * execution takes it. Guarded: of two concurrent posts only the first stores a value. Returns who started the
 * execution, or undefined when nothing was stored.
 */
/**
 * Keeps the posted MFA value for the waiting execution; answers who triggered the execution and
 * the attempt that holds it (read under the row's lock, so no takeover slips in before commit).
 */
export async function storeMfaValue(db: Queryable, change: { executionId: string; valueEnc: string; expected: ExecutionStatus }): Promise<{ triggeredBy: Trigger; attempt: number } | undefined> {
  const { rows } = await db.query<{ triggeredBy: Trigger; attempt: number }>(
    `update executions set mfa_value_enc = $2 where id = $1 and status = $3 and mfa_value_enc is null and finished_at is null
     returning triggered_by as "triggeredBy", attempt`,
    [change.executionId, change.valueEnc, change.expected],
  )
  return rows[0]
}

/**
 * The MFA value the user posted. It stays stored until the login passes (eraseMfaValue) or the
 * execution ends, so that a run which takes the execution over before then can still use it.
 */
export async function readMfaValue(db: Queryable, executionId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ value: string }>(`select mfa_value_enc as value from executions where id = $1 and mfa_value_enc is not null`, [executionId])
  return rows[0]?.value
}

/** Erases the posted MFA value once used, if `attempt` still holds the execution. */
export async function eraseMfaValue(db: Queryable, executionId: string, attempt: number): Promise<void> {
  await db.query(`update executions set mfa_value_enc = null where id = $1 and attempt = $2 and mfa_value_enc is not null`, [executionId, attempt])
}

/** Where executions stand: their status and the attempt (claim) that holds them. */
export async function findExecutionStatuses(db: Queryable, executionIds: string[]): Promise<Map<string, { status: ExecutionStatus; attempt: number }>> {
  const { rows } = await db.query<{ id: string; status: ExecutionStatus; attempt: number }>(`select id, status, attempt from executions where id = any($1::uuid[])`, [executionIds])
  return new Map(rows.map((r) => [r.id, { status: r.status, attempt: r.attempt }]))
}

/** The attempt a timeline entry is marked with: only a takeover's (the first run is the usual case). */
export function takeoverAttempt(attempt: number | null): number | undefined {
  return attempt !== null && attempt > 1 ? attempt : undefined
}

/**
 * Lets go of executions whose worker is known to be gone (the embedded database's one process
 * restarted) or is stopping (`heldBy`, only while it still holds them): any worker may claim them
 * at once, without waiting for the lease to run out.
 */
export async function releaseExecutions(db: Queryable, executionIds: string[], heldBy: string | null = null): Promise<void> {
  await db.query(`update executions set worker_id = null, heartbeat_at = null where id = any($1::uuid[]) and finished_at is null and ($2::text is null or worker_id = $2)`, [executionIds, heldBy])
}

/** The products an execution kept durably (see ConnectorDefinition.checkpoints). */
export async function findCheckpoints(db: Queryable, executionId: string): Promise<Map<string, unknown>> {
  const { rows } = await db.query<{ product: string; data: unknown }>(`select product, data from execution_checkpoints where execution_id = $1`, [executionId])
  return new Map(rows.map((r) => [r.product, r.data]))
}

export async function findExecutions(db: Queryable, executionIds: string[]): Promise<ExecutionRow[]> {
  const { rows } = await db.query<ExecutionRow>(`select ${COLUMNS} from executions where id = any($1::uuid[])`, [executionIds])
  return rows
}

export async function findExecution(db: Queryable, executionId: string): Promise<ExecutionRow | undefined> {
  const { rows } = await db.query<ExecutionRow>(`select ${COLUMNS} from executions where id = $1`, [executionId])
  return rows[0]
}

export async function listExecutions(db: Queryable, clientId: string, itemId: string, page: { limit: number; offset: number }): Promise<{ rows: ExecutionRow[]; total: number }> {
  const { rows } = await db.query<ExecutionRow & { total: number }>(
    `select ${COLUMNS}, count(*) over () as total from executions where item_id = $1 and client_id = $2
     order by created_at desc, id limit $3 offset $4`,
    [itemId, clientId, page.limit, page.offset],
  )
  return { rows, total: rows[0]?.total ?? 0 }
}

/**
 * Queues again every execution still unclaimed since before `staleBefore` whose job is missing
 * or has been locked since then (a worker fetched it and died). A live worker claims it; a
 * duplicate job finds it claimed and does nothing.
 */
export async function requeueUnclaimedExecutions(db: Queryable, staleBefore: Date): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `select count(graphile_worker.add_job($2::text, json_build_object('executionId', e.id), job_key := $3 || e.id, max_attempts := 5))::int as count
     from executions e
     where e.finished_at is null and e.worker_id is null and e.created_at < $1
       and not exists (
         select 1 from graphile_worker.jobs j
         where j.key = $3 || e.id and (j.locked_at is null or j.locked_at >= $1)
       )`,
    [staleBefore, TASKS.runExecution, EXECUTION_JOB_KEY_PREFIX],
  )
  return rows[0]?.count ?? 0
}

export interface ExecutionSummary {
  connectorId: number
  status: ExecutionStatus
  createdAt: Date
  finishedAt: Date | null
}

/** The client's executions started since `since`, newest first, with their item's connector (the dashboard's connector charts). */
export async function listClientExecutionSummaries(db: Queryable, clientId: string, since: Date, limit: number): Promise<ExecutionSummary[]> {
  const { rows } = await db.query<ExecutionSummary>(
    `select i.connector_id as "connectorId", e.status, e.created_at as "createdAt", e.finished_at as "finishedAt"
     from executions e join items i on i.id = e.item_id
     where e.client_id = $1 and e.created_at >= $2 order by e.created_at desc limit $3`,
    [clientId, since, limit],
  )
  return rows
}

import { randomUUID } from 'node:crypto'
import type pino from 'pino'
import type { Config } from '../config.ts'
import type { ConnectorDefinition } from '../connectors/sdk/index.ts'
import { transition, type LifecycleState } from '../domain/lifecycle.ts'
import type { Product, Trigger } from '../domain/statuses.ts'
import { itemEvent, statusEvent } from '../events/item-events.ts'
import type { Cipher } from '../store/cipher.ts'
import { withTransaction, type Database, type Queryable } from '../store/database.ts'
import { insertEvents } from '../store/events.ts'
import { notifyProcesses } from '../store/notifications.ts'
import { dropPendingDeliveries } from '../store/webhooks.ts'
import { insertExecution, listExecutions, recordExecutionStatus, storeMfaValue, type ExecutionRow } from '../store/executions.ts'
import {
  deleteItem,
  disableAutoSync,
  findItem,
  findItemForEngine,
  findItemsWithCredentials,
  insertItem,
  lifecycleOf,
  listItems,
  lockDueItems,
  startItemExecution,
  updateItemLifecycle,
  type ItemRow,
} from '../store/items.ts'
import type { Clock } from './clock.ts'
import type { ConnectorRegistry } from './connector-registry.ts'
import { cancelWakeupKey, mfaWakeupKey, productsToCollect, type ExecutionRunner } from './execution-runner.ts'
import { TASKS, enqueue } from './queue.ts'
import { Refusal } from './refusal.ts'
import { credentialsHash, loginAttemptHash } from './credential-hashes.ts'
import { pickCredentials, validateParameters } from './validate-parameters.ts'
import type { Wakeups } from './wakeups.ts'

/** Who asks: a client with its API key, or a browser with a connect token of that client. */
export interface Actor {
  clientId: string
  /** The connect token's id when the request carries one; items it creates remember it. */
  connectTokenId: string | null
}

export interface CreateItemInput {
  connectorId: number
  parameters: Record<string, unknown>
  webhookUrl?: string | null
  clientUserId?: string | null
  products?: Product[] | null
  avoidDuplicates?: boolean
}

export interface UpdateItemInput {
  parameters?: Record<string, unknown>
  webhookUrl?: string | null
  clientUserId?: string | null
  products?: Product[] | null
}

/** Two LOGIN_ERRORs in a row with the same credentials block a retry with them for this long. */
export const LOGIN_FAILURE_COOL_DOWN_MS = 15 * 60 * 1000

export interface ItemServiceDeps {
  db: Database
  config: Pick<Config, 'executionDeadlineSeconds' | 'mfaTimeoutSeconds'>
  connectors: ConnectorRegistry
  cipher: Cipher
  clock: Clock
  wakeups: Wakeups
  logger: pino.Logger
  /** The local runner, to stop an execution of a deleted item right away (others notice by heartbeat). */
  runner?: ExecutionRunner
}

const itemNotFound = (id: string) => new Refusal('not_found', 'ITEM_NOT_FOUND', `Item ${id} was not found.`)

/** The lifecycle operations the API offers on items. Every read and write is scoped to the actor's client. */
export class ItemService {
  constructor(private readonly deps: ItemServiceDeps) {}

  connector(id: number): ConnectorDefinition {
    const connector = this.deps.connectors.get(id)
    if (!connector) throw new Refusal('bad_request', 'CONNECTOR_NOT_FOUND', `Connector ${id} does not exist; list connectors with GET /connectors.`)
    return connector
  }

  async get(actor: Actor, id: string): Promise<ItemRow> {
    const item = await findItem(this.deps.db.pool, actor.clientId, id)
    if (!item) throw itemNotFound(id)
    return item
  }

  list(actor: Actor, filter: { clientUserId?: string; limit: number; offset: number }) {
    return listItems(this.deps.db.pool, actor.clientId, filter)
  }

  async executions(actor: Actor, itemId: string, page: { limit: number; offset: number }): Promise<{ rows: ExecutionRow[]; total: number }> {
    await this.get(actor, itemId)
    return listExecutions(this.deps.db.pool, actor.clientId, itemId, page)
  }

  async create(actor: Actor, input: CreateItemInput): Promise<ItemRow> {
    const connector = this.connector(input.connectorId)
    const errors = validateParameters(connector.credentials, input.parameters)
    if (errors.length > 0) throw validationRefusal(errors)
    const credentials = pickCredentials(connector, input.parameters)
    const credentialsHash = this.credentialsHash(connector, credentials)
    if (input.avoidDuplicates) {
      const duplicates = await findItemsWithCredentials(this.deps.db.pool, actor.clientId, connector.id, credentialsHash)
      if (duplicates.length > 0) {
        throw new Refusal('bad_request', 'ITEM_USER_ALREADY_EXISTS', 'An item for this connector with the same credentials already exists; update it instead of creating another.', {
          data: { items: duplicates.map((d) => ({ id: d.id, status: d.status, executionStatus: d.executionStatus, createdAt: d.createdAt.toISOString() })) },
        })
      }
    }
    const at = this.deps.clock.now()
    const itemId = randomUUID()
    const executionId = randomUUID()
    const state = this.startedState(null)
    const products = input.products ?? null
    return withTransaction(this.deps.db.pool, async (tx) => {
      const item = await insertItem(tx, {
        id: itemId,
        clientId: actor.clientId,
        connectorId: connector.id,
        state,
        currentExecutionId: executionId,
        credentialsEnc: this.deps.cipher.encrypt(JSON.stringify(credentials)),
        credentialsHash,
        lastMfaHash: this.oneStepMfaHash(connector, credentials),
        webhookUrl: input.webhookUrl ?? null,
        clientUserId: input.clientUserId ?? null,
        products,
        createdByToken: actor.connectTokenId,
        at,
      })
      await this.queueExecution(tx, item, connector, executionId, actor.connectTokenId ? 'USER' : 'CLIENT', at)
      const trigger: Trigger = actor.connectTokenId ? 'USER' : 'CLIENT'
      await insertEvents(tx, [itemEvent('item/created', item, trigger, at), statusEvent(item, state, executionId, trigger, at)])
      return item
    })
  }

  async update(actor: Actor, id: string, input: UpdateItemInput): Promise<ItemRow> {
    const item = await this.get(actor, id)
    const connector = this.connector(item.connectorId)
    if (item.status === 'UPDATING' || item.status === 'WAITING_USER_INPUT') throw alreadyUpdating(id)
    const given = input.parameters && Object.keys(input.parameters).length > 0 ? input.parameters : undefined
    if (item.status === 'LOGIN_ERROR' && !given) {
      throw new Refusal('bad_request', 'PARAMETERS_NOT_PROVIDED', 'The item is LOGIN_ERROR: send new credentials in `parameters` to update it.')
    }
    const stored = JSON.parse(this.deps.cipher.decrypt(item.credentialsEnc)) as Record<string, string>
    // 1-step MFA fields are never reused: each execution needs a value given in this request.
    const mfaFields = connector.credentials.filter((f) => f.mfa)
    for (const field of mfaFields) if (field.name in stored) delete stored[field.name]
    const credentials = { ...stored, ...pickCredentials(connector, given ?? {}) }
    for (const field of mfaFields) {
      if (given?.[field.name] === undefined || given[field.name] === '') {
        throw new Refusal('bad_request', 'CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR', `${field.label} (\`${field.name}\`) must be sent with every update of this item.`, {
          data: { parameter: field.name },
        })
      }
    }
    const errors = validateParameters(connector.credentials, credentials)
    if (errors.length > 0) throw validationRefusal(errors)
    const lastMfaHash = this.oneStepMfaHash(connector, credentials)
    if (lastMfaHash && lastMfaHash === item.lastMfaHash) {
      throw new Refusal('bad_request', 'MFA_PARAMERTER_WAS_ALREADY_USED_ERROR', 'This one-time code was already used by the previous execution; send a new one.', {
        data: { parameter: mfaFields[0].name },
      })
    }
    const credentialsHash = this.credentialsHash(connector, credentials)
    const at = this.deps.clock.now()
    if (
      item.consecutiveFailedLoginAttempts >= 2 &&
      item.lastLoginErrorAt &&
      at.getTime() - item.lastLoginErrorAt.getTime() < LOGIN_FAILURE_COOL_DOWN_MS &&
      item.rejectedCredentialsHash === loginAttemptHash(this.deps.cipher, connector, credentials)
    ) {
      const canRetryAfterDate = new Date(item.lastLoginErrorAt.getTime() + LOGIN_FAILURE_COOL_DOWN_MS).toISOString()
      throw new Refusal(
        'bad_request',
        'TOO_MANY_CONSECUTIVE_LOGIN_FAILURES',
        `These credentials were rejected twice in a row; to protect the user from a lock-out, send different credentials or retry after ${canRetryAfterDate}.`,
        { data: { canRetryAfterDate } },
      )
    }
    const executionId = randomUUID()
    const trigger: Trigger = actor.connectTokenId ? 'USER' : 'CLIENT'
    return withTransaction(this.deps.db.pool, async (tx) => {
      const started = await startItemExecution(tx, {
        id,
        clientId: actor.clientId,
        executionId,
        state: this.startedState(item),
        at,
        ...(given ? { credentialsEnc: this.deps.cipher.encrypt(JSON.stringify(credentials)), credentialsHash } : {}),
        ...(mfaFields.length > 0 ? { lastMfaHash } : {}),
        ...(input.webhookUrl !== undefined ? { webhookUrl: input.webhookUrl } : {}),
        ...(input.clientUserId !== undefined ? { clientUserId: input.clientUserId } : {}),
        ...(input.products !== undefined ? { products: input.products } : {}),
      })
      if (!started) throw alreadyUpdating(id)
      await this.queueExecution(tx, started, connector, executionId, trigger, at)
      await insertEvents(tx, [statusEvent(started, started, executionId, trigger, at)])
      return started
    })
  }

  /** Starts a follow-up execution of an item whose device authorization is pending (SPEC §2.5). */
  async followUpAuthorization(itemId: string): Promise<void> {
    const item = await findItemForEngine(this.deps.db.pool, itemId)
    if (!item || item.executionStatus !== 'USER_AUTHORIZATION_PENDING') return
    await withTransaction(this.deps.db.pool, (tx) => this.startByEngine(tx, item, 'INTERNAL'))
  }

  /**
   * One auto-sync pass (SPEC §2.4): starts executions for up to `limit` items whose
   * `nextAutoSyncAt` has passed. A backlog after downtime drains `limit` items per pass, so the
   * catch-up is spread out and each item gets one execution, not one per missed interval.
   */
  async startDueAutoSyncs(limit: number): Promise<number> {
    return withTransaction(this.deps.db.pool, async (tx) => {
      const due = await lockDueItems(tx, this.deps.clock.now(), limit)
      let started = 0
      for (const item of due) if (await this.startByEngine(tx, item, 'SYNC')) started++
      return started
    })
  }

  private async startByEngine(tx: Queryable, item: ItemRow, trigger: 'INTERNAL' | 'SYNC'): Promise<boolean> {
    const connector = this.deps.connectors.get(item.connectorId)
    if (!connector) return false
    const executionId = randomUUID()
    const at = this.deps.clock.now()
    const started = await startItemExecution(tx, { id: item.id, clientId: item.clientId, executionId, state: this.startedState(item), at })
    if (!started) return false
    await this.queueExecution(tx, started, connector, executionId, trigger, at)
    await insertEvents(tx, [statusEvent(started, started, executionId, trigger, at)])
    return true
  }

  async submitMfa(actor: Actor, id: string, body: Record<string, unknown>): Promise<ItemRow> {
    const item = await this.get(actor, id)
    const notWaiting = new Refusal('not_found', 'ITEM_NOT_WAITING_USER_INPUT', `Item ${id} is not waiting for user input (its status is ${item.status}).`)
    if (item.status !== 'WAITING_USER_INPUT' || !item.parameter || !item.currentExecutionId) throw notWaiting
    const parameter = item.parameter
    const errors = validateParameters([{ ...parameter, optional: false }], body)
    if (errors.length > 0) throw validationRefusal(errors)
    const applied = transition(lifecycleOf(item), { type: 'MFA_SUBMITTED' })
    if (!applied.ok) throw notWaiting
    const at = this.deps.clock.now()
    const executionId = item.currentExecutionId
    const valueEnc = this.deps.cipher.encrypt(String(body[parameter.name]))
    const saved = await withTransaction(this.deps.db.pool, async (tx) => {
      // Guarded on WAITING_USER_INPUT: of two concurrent posts exactly one changes the row.
      if (!(await updateItemLifecycle(tx, { itemId: id, executionId, expected: 'WAITING_USER_INPUT', state: applied.next, at }))) return false
      await storeMfaValue(tx, executionId, valueEnc)
      await recordExecutionStatus(tx, { executionId, status: 'LOGIN_MFA_IN_PROGRESS', at, final: false })
      await insertEvents(tx, [statusEvent(item, applied.next, executionId, actor.connectTokenId ? 'USER' : 'CLIENT', at)])
      // The execution may wait in another process: wake it there too.
      await notifyProcesses(tx, mfaWakeupKey(executionId))
      return true
    })
    if (!saved) throw new Refusal('not_found', 'ITEM_NOT_WAITING_USER_INPUT', `Item ${id} is no longer waiting for user input: a value was already sent or the code expired.`)
    this.deps.wakeups.notify(mfaWakeupKey(executionId))
    return this.get(actor, id)
  }

  async delete(actor: Actor, id: string): Promise<void> {
    const at = this.deps.clock.now()
    const deleted = await withTransaction(this.deps.db.pool, async (tx) => {
      const item = await deleteItem(tx, actor.clientId, id)
      if (item) await dropPendingDeliveries(tx, actor.clientId, id)
      if (item?.currentExecutionId) await notifyProcesses(tx, cancelWakeupKey(item.currentExecutionId))
      if (item) await insertEvents(tx, [itemEvent('item/deleted', item, actor.connectTokenId ? 'USER' : 'CLIENT', at)])
      return item
    })
    if (!deleted) throw itemNotFound(id)
    if (deleted.currentExecutionId) this.deps.runner?.cancelLocal(deleted.currentExecutionId)
  }

  async disableAutoSync(actor: Actor, id: string): Promise<ItemRow> {
    const item = await disableAutoSync(this.deps.db.pool, actor.clientId, id, this.deps.clock.now())
    if (!item) throw itemNotFound(id)
    return item
  }

  private startedState(item: ItemRow | null): LifecycleState {
    const base = item ? lifecycleOf(item) : { status: 'UPDATED' as const, executionStatus: 'SUCCESS' as const, error: null, parameter: null, userAction: null, consecutiveFailedLoginAttempts: 0, failedProducts: [] }
    const result = transition(base, { type: 'EXECUTION_CREATED' })
    if (!result.ok) throw alreadyUpdating(item?.id ?? '')
    return result.next
  }

  private async queueExecution(tx: Queryable, item: ItemRow, connector: ConnectorDefinition, executionId: string, trigger: Trigger, at: Date): Promise<void> {
    const { executionDeadlineSeconds, mfaTimeoutSeconds } = this.deps.config
    const deadlineSeconds = executionDeadlineSeconds + (connector.hasMFA ? mfaTimeoutSeconds : 0)
    await insertExecution(tx, {
      id: executionId,
      itemId: item.id,
      clientId: item.clientId,
      connectorId: item.connectorId,
      triggeredBy: trigger,
      products: productsToCollect(connector, item.products),
      deadlineAt: new Date(at.getTime() + deadlineSeconds * 1000),
      at,
    })
    await enqueue(tx, TASKS.runExecution, { executionId }, { jobKey: `execution:${executionId}` })
  }

  private credentialsHash(connector: ConnectorDefinition, credentials: Record<string, string>): string {
    return credentialsHash(this.deps.cipher, connector, credentials)
  }

  private oneStepMfaHash(connector: ConnectorDefinition, credentials: Record<string, string>): string | null {
    const field = connector.credentials.find((f) => f.mfa)
    return field && credentials[field.name] ? this.deps.cipher.keyedHash(`mfa:${connector.id}:${credentials[field.name]}`) : null
  }
}

function alreadyUpdating(id: string): Refusal {
  return new Refusal('conflict', 'ITEM_ALREADY_UPDATING', `Item ${id} already has an execution in progress; wait for it to finish (or listen to its events) before updating again.`)
}

function validationRefusal(errors: { code: string; message: string; parameter: string }[]): Refusal {
  return new Refusal('bad_request', 'CONNECTOR_VALIDATION_ERROR', `The parameters do not match the connector's credential fields: ${errors.map((e) => e.message).join(' ')}`, {
    details: errors,
  })
}

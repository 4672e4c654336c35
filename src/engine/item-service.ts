import { randomUUID } from 'node:crypto'
import type pino from 'pino'
import type { Config } from '../config.ts'
import type { ConnectorDefinition } from '../connectors/sdk/index.ts'
import { scheduledTrigger } from '../domain/auto-sync.ts'
import { initialLifecycleState, transition, type LifecycleState } from '../domain/lifecycle.ts'
import { productsToCollect, type ItemStatus, type Product, type Trigger } from '../domain/statuses.ts'
import { ALREADY_UPDATING, refuseUpdateAfterValidation, refuseUpdateBeforeValidation, type UpdateRefusal, type UpdateRefusalCode } from '../domain/update-guards.ts'
import { itemEvent, statusEvent } from '../events/item-events.ts'
import type { Cipher } from '../store/cipher.ts'
import { withTransaction, type Database, type Queryable } from '../store/database.ts'
import { insertEvents } from '../store/events.ts'
import { notifyProcesses } from '../store/notifications.ts'
import { dropPendingDeliveries } from '../store/webhooks.ts'
import { insertExecutions, listExecutions, type NewExecution, storeMfaValue, takeoverAttempt, type ExecutionRow } from '../store/executions.ts'
import { enqueue, TASKS } from '../store/queue.ts'
import { saveStepTransitions } from '../store/step-transitions.ts'
import { deleteItem, disableAutoSync, findItem, findItemsWithCredentials, lifecycleOf, listItems, lockDueItems, startItemExecution, type ItemRow, type ItemView, type NewItem } from '../store/items.ts'
import type { Clock } from '../time/clock.ts'
import type { ConnectorRegistry } from './connector-registry.ts'
import { Refusal, type RefusalKind } from './refusal.ts'
import { credentialsHash, loginAttemptHash } from './credential-hashes.ts'
import { pickCredentials, validateParameters } from './validate-parameters.ts'
import { cancelWakeupKey, mfaWakeupKey, type Wakeups } from './wakeups.ts'
import { ItemViewReader } from './item-view-reader.ts'
import { ItemCreationWriter } from './item-creation-writer.ts'

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
  /** Open Finance: where the user goes back to after the institution's page (validated by the caller). */
  oauthRedirectUri?: string | null
}

export interface UpdateItemInput {
  parameters?: Record<string, unknown>
  oauthRedirectUri?: string | null
  webhookUrl?: string | null
  clientUserId?: string | null
  products?: Product[] | null
}

export interface ItemServiceDeps {
  db: Database
  config: Pick<Config, 'executionDeadlineSeconds' | 'mfaTimeoutSeconds' | 'userActionTimeoutSeconds'>
  connectors: ConnectorRegistry
  cipher: Cipher
  clock: Clock
  wakeups: Wakeups
  logger: pino.Logger
  /** Stops an execution of a deleted item running in this process right away (other processes hear of it by notification). */
  cancelLocal?: (executionId: string) => void
}

const itemNotFound = (id: string) => new Refusal('not_found', 'ITEM_NOT_FOUND', `Item ${id} was not found.`)

/** The lifecycle operations the API offers on items. Every read and write is scoped to the actor's client. */
export class ItemService {
  private readonly views: ItemViewReader
  private readonly creations: ItemCreationWriter

  constructor(private readonly deps: ItemServiceDeps) {
    this.views = new ItemViewReader(deps.db.pool)
    this.creations = new ItemCreationWriter(deps.db)
  }

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

  /** The item as its answer shows it (only the columns shown; requests arriving together share a statement). */
  async view(actor: Actor, id: string): Promise<ItemView> {
    const item = await this.views.read(actor.clientId, id)
    if (!item) throw itemNotFound(id)
    return item
  }

  list(actor: Actor, filter: { clientUserId?: string; status?: ItemStatus; connectorId?: number; limit: number; offset: number }) {
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
    const item: NewItem = {
      id: randomUUID(),
      clientId: actor.clientId,
      connectorId: connector.id,
      state: startedState(null),
      currentExecutionId: randomUUID(),
      credentialsEnc: this.deps.cipher.encrypt(JSON.stringify(credentials)),
      credentialsHash,
      lastMfaHash: this.oneStepMfaHash(connector, credentials),
      webhookUrl: input.webhookUrl ?? null,
      clientUserId: input.clientUserId ?? null,
      products: input.products ?? null,
      createdByToken: actor.connectTokenId,
      oauthRedirectUri: input.oauthRedirectUri ?? null,
      at,
    }
    const trigger = triggerOf(actor)
    // item/created is sent when the item first finishes connecting successfully (the lifecycle's MERGE_SUCCEEDED), not now.
    return this.creations.save({
      item,
      execution: this.newExecution({ ...item, executionStatus: item.state.executionStatus }, connector, item.currentExecutionId, trigger, at),
      event: statusEvent(item, item.state, item.currentExecutionId, trigger, at),
    })
  }

  /**
   * Starts a new execution of `item` (already read for the actor) with the update guards of SPEC
   * §2.6; the parameters given are merged into the stored ones (SPEC §4a.4).
   */
  async update(actor: Actor, item: ItemRow, input: UpdateItemInput): Promise<ItemRow> {
    const connector = this.connector(item.connectorId)
    const given = input.parameters && Object.keys(input.parameters).length > 0 ? input.parameters : undefined
    const picked = pickCredentials(connector, given ?? {})
    const oneStepMfaFields = connector.credentials.filter((f) => f.mfa)
    const early = refuseUpdateBeforeValidation({
      status: item.status,
      parametersGiven: given !== undefined,
      oneStepMfaFields,
      givenFields: new Set(Object.keys(picked).filter((name) => picked[name] !== '')),
    })
    if (early) throw updateRefusal(early)
    // 1-step MFA fields are never reused: each execution needs a value given in this request.
    const stored = JSON.parse(this.deps.cipher.decrypt(item.credentialsEnc)) as Record<string, string>
    for (const field of oneStepMfaFields) delete stored[field.name]
    const credentials = { ...stored, ...picked }
    const errors = validateParameters(connector.credentials, credentials)
    if (errors.length > 0) throw validationRefusal(errors)
    const lastMfaHash = this.oneStepMfaHash(connector, credentials)
    const at = this.deps.clock.now()
    const late = refuseUpdateAfterValidation({
      oneStepMfaFields,
      mfaValueReused: lastMfaHash !== null && lastMfaHash === item.lastMfaHash,
      consecutiveFailedLoginAttempts: item.consecutiveFailedLoginAttempts,
      lastLoginErrorAt: item.lastLoginErrorAt,
      sameAsRejectedCredentials: item.rejectedCredentialsHash === loginAttemptHash(this.deps.cipher, connector, credentials),
      now: at,
    })
    if (late) throw updateRefusal(late)
    const executionId = randomUUID()
    const trigger = triggerOf(actor)
    return withTransaction(this.deps.db.pool, async (tx) => {
      const started = await startItemExecution(tx, {
        id: item.id,
        clientId: actor.clientId,
        executionId,
        state: startedState(item),
        at,
        ...(given ? { credentialsEnc: this.deps.cipher.encrypt(JSON.stringify(credentials)), credentialsHash: this.credentialsHash(connector, credentials) } : {}),
        ...(oneStepMfaFields.length > 0 ? { lastMfaHash } : {}),
        ...(input.webhookUrl !== undefined ? { webhookUrl: input.webhookUrl } : {}),
        ...(input.clientUserId !== undefined ? { clientUserId: input.clientUserId } : {}),
        ...(input.products !== undefined ? { products: input.products } : {}),
        ...(input.oauthRedirectUri !== undefined ? { oauthRedirectUri: input.oauthRedirectUri } : {}),
      })
      if (!started) throw alreadyUpdating()
      await this.queueExecution(tx, started, connector, executionId, trigger, at)
      await insertEvents(tx, [statusEvent(started, started, executionId, trigger, at)])
      return started
    })
  }

  /**
   * One scheduler pass (SPEC §2.4, §2.5): starts executions for up to `limit` items whose
   * auto-sync or device-authorization follow-up is due. A backlog after downtime drains `limit`
   * items per pass, so the catch-up is spread out and each item gets one execution, not one per
   * missed interval.
   */
  async startDueExecutions(limit: number): Promise<number> {
    return withTransaction(this.deps.db.pool, async (tx) => {
      const now = this.deps.clock.now()
      const due = await lockDueItems(tx, now, limit)
      let started = 0
      for (const item of due) if (await this.startByEngine(tx, item, scheduledTrigger(item, now))) started++
      return started
    })
  }

  private async startByEngine(tx: Queryable, item: ItemRow, trigger: 'INTERNAL' | 'SYNC'): Promise<boolean> {
    const connector = this.deps.connectors.get(item.connectorId)
    if (!connector) return false
    const executionId = randomUUID()
    const at = this.deps.clock.now()
    const started = await startItemExecution(tx, { id: item.id, clientId: item.clientId, executionId, state: startedState(item), at })
    if (!started) return false
    await this.queueExecution(tx, started, connector, executionId, trigger, at)
    await insertEvents(tx, [statusEvent(started, started, executionId, trigger, at)])
    return true
  }

  /**
   * Accepts the MFA value of `item` (already read for the actor). This is the one place that
   * records MFA_SUBMITTED: the item's state, its timeline entry and its event are written here
   * with the encrypted value, guarded on WAITING_USER_INPUT (of two concurrent posts exactly one
   * wins); the waiting execution is woken, adopts the saved state and reads the value.
   */
  async submitMfa(item: ItemRow, body: Record<string, unknown>): Promise<ItemRow> {
    const notWaiting = (why: string) => new Refusal('not_found', 'ITEM_NOT_WAITING_USER_INPUT', `Item ${item.id} ${why}.`)
    const applied = transition(lifecycleOf(item), { type: 'MFA_SUBMITTED' })
    if (!applied.ok || !item.parameter || !item.currentExecutionId) throw notWaiting(`is not waiting for user input (its status is ${item.status})`)
    const parameter = item.parameter
    const errors = validateParameters([{ ...parameter, optional: false }], body)
    if (errors.length > 0) throw validationRefusal(errors)
    const at = this.deps.clock.now()
    const executionId = item.currentExecutionId
    const valueEnc = this.deps.cipher.encrypt(String(body[parameter.name]))
    const saved = await withTransaction(this.deps.db.pool, async (tx) => {
      const stored = await storeMfaValue(tx, { executionId, valueEnc, expected: item.executionStatus })
      if (!stored) return false
      // The entry carries the attempt holding the execution, as the worker's own entries do.
      const reached = [{ status: applied.next.executionStatus, at, attempt: takeoverAttempt(stored.attempt) }]
      const step = { itemId: item.id, executionId, attempt: null, expected: item.executionStatus, state: applied.next, reached }
      const written = await saveStepTransitions(tx, [{ ...step, events: [statusEvent(item, applied.next, executionId, stored.triggeredBy, at)] }])
      if (!written.has(executionId)) throw new MfaAlreadyAnswered()
      // The execution may wait in another process: wake it there too.
      await notifyProcesses(tx, mfaWakeupKey(executionId))
      return true
    }).catch((error) => {
      if (error instanceof MfaAlreadyAnswered) return false
      throw error
    })
    if (!saved) throw notWaiting('is no longer waiting for user input: a value was already sent or the code expired')
    this.deps.wakeups.notify(mfaWakeupKey(executionId))
    return { ...item, ...applied.next, updatedAt: at }
  }

  async delete(actor: Actor, id: string): Promise<void> {
    const at = this.deps.clock.now()
    const deleted = await withTransaction(this.deps.db.pool, async (tx) => {
      const item = await deleteItem(tx, actor.clientId, id)
      if (item) await dropPendingDeliveries(tx, actor.clientId, id)
      if (item?.currentExecutionId) await notifyProcesses(tx, cancelWakeupKey(item.currentExecutionId))
      if (item) await insertEvents(tx, [itemEvent('item/deleted', item, triggerOf(actor), at)])
      return item
    })
    if (!deleted) throw itemNotFound(id)
    if (deleted.currentExecutionId) this.deps.cancelLocal?.(deleted.currentExecutionId)
  }

  async disableAutoSync(actor: Actor, id: string): Promise<ItemRow> {
    const item = await disableAutoSync(this.deps.db.pool, actor.clientId, id, this.deps.clock.now())
    if (!item) throw itemNotFound(id)
    return item
  }

  /** The execution that starts for `item`, in the state the item was saved in. */
  private newExecution(
    item: Pick<ItemRow, 'id' | 'clientId' | 'connectorId' | 'executionStatus' | 'products'>,
    connector: ConnectorDefinition,
    executionId: string,
    trigger: Trigger,
    at: Date,
  ): NewExecution {
    const { executionDeadlineSeconds, mfaTimeoutSeconds, userActionTimeoutSeconds } = this.deps.config
    // A wait for the user comes on top of the time the institution takes.
    const deadlineSeconds = executionDeadlineSeconds + (connector.hasMFA ? mfaTimeoutSeconds : 0) + (connector.oauth ? userActionTimeoutSeconds : 0)
    return {
      id: executionId,
      itemId: item.id,
      clientId: item.clientId,
      connectorId: item.connectorId,
      // The item was saved in the state a new execution starts in: the execution starts there too.
      status: item.executionStatus,
      triggeredBy: trigger,
      products: productsToCollect(connector.products, item.products),
      deadlineAt: new Date(at.getTime() + deadlineSeconds * 1000),
      at,
    }
  }

  private async queueExecution(tx: Queryable, item: ItemRow, connector: ConnectorDefinition, executionId: string, trigger: Trigger, at: Date): Promise<void> {
    await insertExecutions(tx, [this.newExecution(item, connector, executionId, trigger, at)])
    await enqueue(tx, TASKS.runExecution, { executionId })
  }

  private credentialsHash(connector: ConnectorDefinition, credentials: Record<string, string>): string {
    return credentialsHash(this.deps.cipher, connector, credentials)
  }

  private oneStepMfaHash(connector: ConnectorDefinition, credentials: Record<string, string>): string | null {
    const field = connector.credentials.find((f) => f.mfa)
    return field && credentials[field.name] ? this.deps.cipher.keyedHash(`mfa:${connector.id}:${credentials[field.name]}`) : null
  }
}

/** Thrown inside the MFA transaction to roll the stored value back when the item moved on. */
class MfaAlreadyAnswered extends Error {}

const UPDATE_REFUSAL_KIND: Record<UpdateRefusalCode, RefusalKind> = {
  ITEM_ALREADY_UPDATING: 'conflict',
  PARAMETERS_NOT_PROVIDED: 'bad_request',
  CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR: 'bad_request',
  MFA_PARAMERTER_WAS_ALREADY_USED_ERROR: 'bad_request',
  TOO_MANY_CONSECUTIVE_LOGIN_FAILURES: 'bad_request',
}

function updateRefusal(refusal: UpdateRefusal): Refusal {
  return new Refusal(UPDATE_REFUSAL_KIND[refusal.code], refusal.code, refusal.message, refusal.data ? { data: refusal.data } : {})
}

function alreadyUpdating(): Refusal {
  return updateRefusal(ALREADY_UPDATING)
}

/** The execution a request starts is the user's when it comes with a connect token, else the client's. */
function triggerOf(actor: Actor): Trigger {
  return actor.connectTokenId ? 'USER' : 'CLIENT'
}

/** The state of an item whose new execution was just created. */
function startedState(item: ItemRow | null): LifecycleState {
  const result = transition(item ? lifecycleOf(item) : initialLifecycleState(), { type: 'EXECUTION_CREATED' })
  if (!result.ok) throw alreadyUpdating()
  return result.next
}

function validationRefusal(errors: { code: string; message: string; parameter: string }[]): Refusal {
  return new Refusal('bad_request', 'CONNECTOR_VALIDATION_ERROR', `The parameters do not match the connector's credential fields: ${errors.map((e) => e.message).join(' ')}`, {
    details: errors,
  })
}

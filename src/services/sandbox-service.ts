import { FIRED_ITEM_ERROR, forcedOutcomeProblem, sandboxTime, type ForcedOutcome, type OutageMode } from '../domain/sandbox-control.ts'
import type { FinalOutcome, Product } from '../domain/statuses.ts'
import type { ConnectorRegistry } from '../engine/connector-registry.ts'
import { Refusal } from '../engine/refusal.ts'
import { credentialsFingerprint } from '../engine/sandbox-instructions.ts'
import { itemEvent, type EventType } from '../events/item-events.ts'
import { findAccount, listAccounts } from '../store/accounts.ts'
import type { Queryable } from '../store/database.ts'
import { insertEvents, type NewEvent } from '../store/events.ts'
import { findItemEventContext } from '../store/item-event-context.ts'
import type { ItemRow } from '../store/items.ts'
import { deleteOutage, findOutage, saveOutage, type OutageRow } from '../store/sandbox-controls.ts'
import { advanceSandboxClock, clearForcedOutcome, findClockAdvances, findSandboxControl, saveForcedOutcome, saveLoginReset, type SandboxControlRow } from '../store/sandbox-controls.ts'
import { listTransactions } from '../store/transactions.ts'
import type { Clock } from '../time/clock.ts'
import { ownedItem } from './owned-item.ts'
import { resourceId } from './resource-id.ts'

export type { OutageRow }

export interface ForcedOutcomeRequest {
  executionStatus: FinalOutcome
  failingProducts?: Product[]
  providerMessage?: string | null
  /** Only the next execution (default), or every one until cleared. */
  once?: boolean
}

export interface FireWebhookRequest {
  event: Exclude<EventType, 'connector/status_updated'>
  /** transactions/*: the account the event is about (default: the item's first account). */
  accountId?: string
  /** transactions/updated|deleted: the ids it names (default: the account's latest transactions). */
  transactionIds?: string[]
}

/** How many of the account's latest transactions a fired transactions/updated|deleted names by default. */
const FIRED_TRANSACTION_IDS = 5

/**
 * The sandbox control API (SPEC §7.6, docs/sandbox.md): instructions for the sandbox institutions
 * about a client's items, and events fired on demand. Every call is scoped to the client named and
 * refused for items of other connectors; the whole service answers nothing when it is off.
 */
export class SandboxService {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly connectors: ConnectorRegistry,
    /** TRIBUTARY_SANDBOX_CONTROL (off by default when NODE_ENV=production). */
    private readonly enabled: boolean,
    /** Runs a scheduler pass in this process (absent where no scheduler runs): what a clock advance made due starts now. */
    private readonly wakeScheduler?: () => void,
  ) {}

  /**
   * Moves the client's sandbox clock forward: its sandbox items' auto-syncs, follow-ups, device
   * authorization deadlines and MFA expiries come that much earlier (so whatever falls within it is
   * due now), and the sandbox institutions' calendar for its items moves that much ahead.
   */
  async advanceClock(clientId: string, seconds: number): Promise<{ advanced: number; movedItems: number; totalAdvance: number; sandboxNow: Date }> {
    this.assertEnabled()
    const at = this.clock.now()
    const connectorIds = this.connectors
      .list()
      .filter((c) => c.isSandbox)
      .map((c) => c.id)
    const movedItems = await advanceSandboxClock(this.db, { clientId, connectorIds, seconds, at })
    this.wakeScheduler?.()
    return { advanced: seconds, movedItems, ...(await this.sandboxClock(clientId)) }
  }

  /** Puts a sandbox institution in an outage for the client's items, until cleared (replacing the mode it had). */
  async startOutage(clientId: string, rawConnectorId: number, outage: { mode: OutageMode; delaySeconds?: number }): Promise<OutageRow> {
    const connectorId = this.sandboxConnector(rawConnectorId)
    return saveOutage(this.db, { clientId, connectorId, mode: outage.mode, delayMs: (outage.mode === 'SLOW' ? (outage.delaySeconds ?? 30) : 0) * 1000, at: this.clock.now() })
  }

  async outage(clientId: string, rawConnectorId: number): Promise<OutageRow> {
    const connectorId = this.sandboxConnector(rawConnectorId)
    const outage = await findOutage(this.db, clientId, connectorId)
    if (!outage) throw outageNotFound(connectorId)
    return outage
  }

  async endOutage(clientId: string, rawConnectorId: number): Promise<number> {
    const connectorId = this.sandboxConnector(rawConnectorId)
    if (!(await deleteOutage(this.db, clientId, connectorId))) throw outageNotFound(connectorId)
    return 1
  }

  /** The client's sandbox time now, and how far ahead of the engine's it is. */
  async sandboxClock(clientId: string): Promise<{ totalAdvance: number; sandboxNow: Date }> {
    this.assertEnabled()
    const advances = await findClockAdvances(this.db, clientId)
    return { totalAdvance: advances.reduce((sum, a) => sum + a.seconds, 0), sandboxNow: sandboxTime(this.clock.now(), advances) }
  }

  async forceOutcome(clientId: string, rawId: string, request: ForcedOutcomeRequest): Promise<SandboxControlRow & { outcome: ForcedOutcome }> {
    const item = await this.sandboxItem(clientId, rawId)
    const failingProducts = [...new Set(request.failingProducts ?? [])]
    const once = request.once ?? true
    const problem = forcedOutcomeProblem({ executionStatus: request.executionStatus, failingProducts, once })
    if (problem) throw new Refusal('bad_request', 'SANDBOX_OUTCOME_INVALID', problem.problem, { data: { field: problem.field } })
    const outcome: ForcedOutcome = { executionStatus: request.executionStatus, failingProducts, providerMessage: request.providerMessage ?? null }
    const saved = await saveForcedOutcome(this.db, { itemId: item.id, clientId, outcome, once, at: this.clock.now() })
    return { ...saved, outcome }
  }

  /** The item's forced outcome (a `once` one stays readable after use, with the execution it applied to). */
  async forcedOutcome(clientId: string, rawId: string): Promise<SandboxControlRow & { outcome: ForcedOutcome }> {
    const item = await this.sandboxItem(clientId, rawId)
    const control = await findSandboxControl(this.db, clientId, item.id)
    if (!control?.outcome) throw outcomeNotFound(item.id)
    return control as SandboxControlRow & { outcome: ForcedOutcome }
  }

  async clearOutcome(clientId: string, rawId: string): Promise<number> {
    const item = await this.sandboxItem(clientId, rawId)
    if (!(await clearForcedOutcome(this.db, clientId, item.id))) throw outcomeNotFound(item.id)
    return 1
  }

  /** The password "changed at the institution": logins fail until the item is given credentials again. */
  async resetLogin(clientId: string, rawId: string): Promise<SandboxControlRow> {
    const item = await this.sandboxItem(clientId, rawId)
    return saveLoginReset(this.db, { itemId: item.id, clientId, credentialsFingerprint: credentialsFingerprint(item.credentialsEnc), at: this.clock.now() })
  }

  /** Whether the item's login is reset now (no update with credentials since). */
  isLoginReset(item: ItemRow, control: SandboxControlRow | undefined): boolean {
    return control?.loginResetFor != null && control.loginResetFor === credentialsFingerprint(item.credentialsEnc)
  }

  /** The item's control as a whole, for GET /sandbox/items/{id}. */
  async control(clientId: string, rawId: string): Promise<{ item: ItemRow; control: SandboxControlRow | undefined }> {
    const item = await this.sandboxItem(clientId, rawId)
    return { item, control: await findSandboxControl(this.db, clientId, item.id) }
  }

  /**
   * Sends an item event as the engine would: written to the outbox, delivered (signed) to the
   * client's webhooks for it and the item's webhookUrl, listed in the delivery log and GET /events.
   */
  async fireWebhook(clientId: string, rawId: string, request: FireWebhookRequest): Promise<NewEvent> {
    const item = await this.sandboxItem(clientId, rawId)
    const context = await findItemEventContext(this.db, item.id)
    const at = this.clock.now()
    const extra = request.event.startsWith('transactions/') ? await this.transactionFacts(clientId, item, request) : {}
    if (request.event === 'item/error') {
      extra.error = item.error ?? { ...FIRED_ITEM_ERROR }
    }
    const event = itemEvent(request.event, item, context?.triggeredBy ?? 'CLIENT', at, extra)
    await insertEvents(this.db, [event])
    return event
  }

  private async transactionFacts(clientId: string, item: ItemRow, request: FireWebhookRequest): Promise<Record<string, unknown>> {
    const accountId = request.accountId === undefined ? await this.firstAccount(clientId, item) : await this.itemAccount(clientId, item, request.accountId)
    if (request.event === 'transactions/created') {
      const from = this.clock.now().toISOString()
      return { accountId, transactionsCreatedAtFrom: from, createdTransactionsLink: `/v2/transactions?accountId=${accountId}&createdAtFrom=${from}` }
    }
    const transactionIds = request.transactionIds ?? (await listTransactions(this.db, clientId, { accountId, limit: FIRED_TRANSACTION_IDS, offset: 0 })).rows.map((t) => t.id)
    return { accountId, transactionIds }
  }

  private async firstAccount(clientId: string, item: ItemRow): Promise<string> {
    const [account] = (await listAccounts(this.db, clientId, { itemId: item.id, type: null, limit: 1, offset: 0 })).rows
    if (!account) {
      throw new Refusal('bad_request', 'SANDBOX_ITEM_HAS_NO_ACCOUNTS', `Item ${item.id} has no accounts yet: let an execution collect them before firing transactions/* events, or pass accountId.`)
    }
    return account.id
  }

  private async itemAccount(clientId: string, item: ItemRow, rawId: string): Promise<string> {
    const account = await findAccount(this.db, clientId, resourceId(rawId, 'ACCOUNT_NOT_FOUND', 'Account'))
    if (!account || account.itemId !== item.id) throw new Refusal('not_found', 'ACCOUNT_NOT_FOUND', `Account ${rawId} was not found among item ${item.id}'s accounts.`)
    return account.id
  }

  /** The client's item of a sandbox institution named by the path (refused when the API is off). */
  async sandboxItem(clientId: string, rawId: string): Promise<ItemRow> {
    this.assertEnabled()
    const item = await ownedItem(this.db, clientId, rawId)
    const connector = this.connectors.get(item.connectorId)
    if (!connector?.isSandbox) {
      throw new Refusal(
        'bad_request',
        'SANDBOX_CONNECTOR_REQUIRED',
        `Item ${item.id} is of connector ${item.connectorId}${connector ? ` (${connector.name})` : ''}, which is not a sandbox institution; the sandbox control API acts only on items of sandbox connectors (GET /connectors?sandbox=true).`,
      )
    }
    return item
  }

  /** The id of a sandbox institution (refused when the API is off). */
  private sandboxConnector(id: number): number {
    this.assertEnabled()
    const connector = this.connectors.get(id)
    if (!connector) throw new Refusal('not_found', 'CONNECTOR_NOT_FOUND', `There is no connector ${id}; list the sandbox institutions with GET /connectors?sandbox=true.`)
    if (!connector.isSandbox) {
      throw new Refusal(
        'bad_request',
        'SANDBOX_CONNECTOR_REQUIRED',
        `Connector ${id} (${connector.name}) is not a sandbox institution; the sandbox control API acts only on sandbox connectors (GET /connectors?sandbox=true).`,
      )
    }
    return id
  }

  /** Refuses every call while the sandbox control API is off. */
  assertEnabled(): void {
    if (!this.enabled) {
      throw new Refusal(
        'not_found',
        'SANDBOX_CONTROL_DISABLED',
        'The sandbox control API is off on this server (NODE_ENV=production); set TRIBUTARY_SANDBOX_CONTROL=true to enable it on a test server.',
      )
    }
  }
}

const outcomeNotFound = (itemId: string) => new Refusal('not_found', 'SANDBOX_OUTCOME_NOT_FOUND', `Item ${itemId} has no forced outcome; set one with PUT /sandbox/items/${itemId}/outcome.`)

const outageNotFound = (connectorId: number) =>
  new Refusal('not_found', 'SANDBOX_OUTAGE_NOT_FOUND', `Sandbox connector ${connectorId} is in no outage for this client; start one with PUT /sandbox/connectors/${connectorId}/outage.`)

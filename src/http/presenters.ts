import type { ConnectorDefinition } from '../connectors/sdk/index.ts'
import { PRODUCTS_IN_STEP_ORDER, PRODUCT_DETAIL_KEY } from '../domain/statuses.ts'
import type { ConnectorHealth } from '../services/connector-service.ts'
import type { ExecutionRow } from '../store/executions.ts'
import type { ItemView, StatusDetail } from '../store/items.ts'
import { presentedLogoUrl } from './connector-logos.ts'
import type { Connector } from './schemas/connector.ts'
import type { Execution } from './schemas/execution.ts'
import type { Item } from './schemas/item.ts'

const iso = (date: Date | null) => (date ? date.toISOString() : null)

/** `origin`: this server's address as the caller reached it, for the URLs an answer carries. */
export function presentConnector(connector: ConnectorDefinition, createdAt: Date, health: ConnectorHealth, origin: string): Connector {
  return {
    id: connector.id,
    name: connector.name,
    institutionUrl: connector.institutionUrl ?? null,
    imageUrl: presentedLogoUrl(connector, origin),
    primaryColor: connector.primaryColor ?? null,
    type: connector.type,
    country: connector.country,
    credentials: connector.credentials,
    hasMFA: connector.hasMFA,
    health: { status: health.status, stage: null, ...(health.details ? { details: health.details } : {}) },
    products: connector.products,
    isSandbox: Boolean(connector.isSandbox),
    oauth: Boolean(connector.oauth),
    isOpenFinance: Boolean(connector.oauth),
    // A connector with payment initiation takes every kind of Pix the engine runs through it.
    supportsPaymentInitiation: Boolean(connector.payments),
    supportsScheduledPayments: Boolean(connector.payments),
    supportsSmartTransfers: Boolean(connector.payments),
    supportsBoletoManagement: false,
    supportsAutomaticPix: Boolean(connector.payments),
    createdAt: createdAt.toISOString(),
    updatedAt: createdAt.toISOString(),
  }
}

/** statusDetail with every product key present: null for products not collected. */
function presentStatusDetail(detail: StatusDetail | null): Item['statusDetail'] {
  if (!detail) return null
  return Object.fromEntries(PRODUCTS_IN_STEP_ORDER.map((p) => [PRODUCT_DETAIL_KEY[p], detail[PRODUCT_DETAIL_KEY[p]] ?? null])) as Item['statusDetail']
}

/** The item as the API shows it; credentials and internal bookkeeping never leave the server. */
export function presentItem(item: ItemView, connector: Connector | null): Item {
  return {
    id: item.id,
    connector,
    status: item.status,
    executionStatus: item.executionStatus,
    error: item.error,
    statusDetail: presentStatusDetail(item.statusDetail),
    parameter: item.parameter,
    userAction: item.userAction,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
    lastUpdatedAt: iso(item.lastUpdatedAt),
    webhookUrl: item.webhookUrl,
    clientUserId: item.clientUserId,
    // What the item collects: the subset it asked for, else every product of its connector.
    products: item.products ?? connector?.products ?? [],
    consecutiveFailedLoginAttempts: item.consecutiveFailedLoginAttempts,
    autoSyncDisabled: item.autoSyncDisabled,
    nextAutoSyncAt: iso(item.nextAutoSyncAt),
    consentExpiresAt: iso(item.consentExpiresAt),
    oauthRedirectUri: item.oauthRedirectUri,
  }
}

export function presentExecution(execution: ExecutionRow): Execution {
  return {
    id: execution.id,
    itemId: execution.itemId,
    status: execution.status,
    triggeredBy: execution.triggeredBy,
    createdAt: execution.createdAt.toISOString(),
    finishedAt: iso(execution.finishedAt),
    error: execution.error,
    products: execution.products,
    failedProducts: execution.failedProducts,
    steps: execution.steps,
  }
}

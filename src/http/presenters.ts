import type { ConnectorDefinition } from '../connectors/sdk/index.ts'
import type { ConnectorHealthStatus } from '../domain/connector-health.ts'
import { PRODUCTS_IN_STEP_ORDER, PRODUCT_DETAIL_KEY } from '../domain/statuses.ts'
import type { ExecutionRow } from '../store/executions.ts'
import type { ItemRow, StatusDetail } from '../store/items.ts'

const iso = (date: Date | null) => (date ? date.toISOString() : null)

export interface ConnectorHealthView {
  status: ConnectorHealthStatus
  /** With `healthDetails=true`: the caller's own connections of the last six hours. */
  details?: { connectionRateLast6Hours: number | null; connectionsLast6Hours: number }
}

export function presentConnector(connector: ConnectorDefinition, createdAt: Date, health: ConnectorHealthView) {
  return {
    id: connector.id,
    name: connector.name,
    institutionUrl: connector.institutionUrl ?? null,
    imageUrl: connector.imageUrl ?? null,
    primaryColor: connector.primaryColor ?? null,
    type: connector.type,
    country: connector.country,
    credentials: connector.credentials,
    hasMFA: connector.hasMFA,
    health: { status: health.status, stage: null, ...(health.details ? { details: health.details } : {}) },
    products: connector.products,
    isSandbox: Boolean(connector.isSandbox),
    oauth: false,
    isOpenFinance: false,
    supportsPaymentInitiation: false,
    supportsScheduledPayments: false,
    supportsSmartTransfers: false,
    supportsBoletoManagement: false,
    supportsAutomaticPix: false,
    createdAt: createdAt.toISOString(),
    updatedAt: createdAt.toISOString(),
  }
}

/** statusDetail with every product key present: null for products not collected. */
function presentStatusDetail(detail: StatusDetail | null): StatusDetail | null {
  if (!detail) return null
  return Object.fromEntries(PRODUCTS_IN_STEP_ORDER.map((p) => [PRODUCT_DETAIL_KEY[p], detail[PRODUCT_DETAIL_KEY[p]] ?? null]))
}

/** The item as the API shows it; credentials and internal bookkeeping never leave the server. */
export function presentItem(item: ItemRow, connector: ReturnType<typeof presentConnector> | null) {
  return {
    id: item.id,
    connector,
    status: item.status,
    executionStatus: item.executionStatus,
    error: item.error,
    statusDetail: presentStatusDetail(item.statusDetail),
    parameter: item.parameter,
    userAction: item.userAction,
    createdAt: iso(item.createdAt),
    updatedAt: iso(item.updatedAt),
    lastUpdatedAt: iso(item.lastUpdatedAt),
    webhookUrl: item.webhookUrl,
    clientUserId: item.clientUserId,
    products: item.products,
    consecutiveFailedLoginAttempts: item.consecutiveFailedLoginAttempts,
    autoSyncDisabled: item.autoSyncDisabled,
    nextAutoSyncAt: iso(item.nextAutoSyncAt),
    consentExpiresAt: null,
  }
}

export function presentExecution(execution: ExecutionRow) {
  return {
    id: execution.id,
    itemId: execution.itemId,
    status: execution.status,
    triggeredBy: execution.triggeredBy,
    createdAt: iso(execution.createdAt),
    finishedAt: iso(execution.finishedAt),
    error: execution.error,
    products: execution.products,
    failedProducts: execution.failedProducts,
    steps: execution.steps,
  }
}

export function page<T>(results: T[], total: number, pageNumber: number, pageSize: number) {
  return { page: pageNumber, total, totalPages: Math.ceil(total / pageSize), results }
}

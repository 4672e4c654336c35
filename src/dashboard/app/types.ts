/** What the dashboard's JSON routes answer (src/dashboard/dashboard-schemas.ts and the API's schemas). */
import type { Execution } from '../../http/schemas/execution.ts'
import type { Item } from '../../http/schemas/item.ts'
import type { Delivery, Webhook } from '../../http/schemas/webhook.ts'

export type { Execution, Item, Webhook }

export interface Page<T> {
  page: number
  total: number
  totalPages: number
  results: T[]
}

export interface Session {
  clientId: string
  csrfToken: string
  expiresAt: string
}

export interface ItemDetail {
  item: Item
  counts: { accounts: number; transactions: number; investments: number; opportunities: number }
}

export interface FeedEvent {
  cursor: string
  event: string
  eventId: string
  itemId?: string
  createdAt: string
  [key: string]: unknown
}

export interface DeliveryWithAttempts extends Delivery {
  attemptLog: { attempt: number; attemptedAt: string; responseCode: number | null; latencyMs: number; error: string | null }[]
}

export interface ConnectorRow {
  id: number
  name: string
  isSandbox: boolean
  health: string
  connectionRateLast6Hours: number | null
  connectionsLast6Hours: number
  finished: number
  running: number
  successRate: number | null
  p50Ms: number | null
  p95Ms: number | null
  failuresByOutcome: { outcome: string; count: number }[]
  points: { at: string; durationMs: number; outcome: string; success: boolean }[]
}

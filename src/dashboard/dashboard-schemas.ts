/** What the dashboard's JSON routes take and answer (the API's own schemas where they show the same thing). */
import { z } from 'zod'
import { ITEM_STATUSES } from '../domain/statuses.ts'
import { CONNECTOR_HEALTH_STATUSES } from '../domain/connector-health.ts'
import { refusals } from '../http/schemas/error.ts'
import { Item } from '../http/schemas/item.ts'
import { Delivery } from '../http/schemas/webhook.ts'

export const SignInBody = z.union([z.strictObject({ clientId: z.string().min(1).max(200), clientSecret: z.string().min(1).max(500) }), z.strictObject({ apiKey: z.string().min(1).max(4000) })])

export const Session = z.strictObject({
  clientId: z.string(),
  csrfToken: z.string().describe('Send it back in X-CSRF-Token on every state-changing request'),
  expiresAt: z.string(),
})

export const SignedOut = z.strictObject({ signedOut: z.literal(true) })

export const ItemsQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  status: z.enum(ITEM_STATUSES).optional(),
  connectorId: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
  clientUserId: z.string().max(500).optional(),
})

export const IdParams = z.object({ id: z.string().max(200) })

export const ItemCounts = z.strictObject({ accounts: z.number().int(), transactions: z.number().int(), investments: z.number().int(), opportunities: z.number().int() })

export const ItemDetail = z.strictObject({ item: Item, counts: ItemCounts })

/** A page of items, each with how much data it holds. */
export const ItemWithCountsPage = z.strictObject({ page: z.number().int(), total: z.number().int(), totalPages: z.number().int(), results: z.array(ItemDetail) })

export const EventsQuery = z.object({ itemId: z.string().max(200).optional(), after: z.string().max(40).optional() })

export const DeliveriesQuery = z.object({
  itemId: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
})

export const ConnectorRow = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  isSandbox: z.boolean(),
  health: z.enum(CONNECTOR_HEALTH_STATUSES),
  connectionRateLast6Hours: z.number().nullable(),
  connectionsLast6Hours: z.number().int(),
  finished: z.number().int(),
  running: z.number().int(),
  successRate: z.number().nullable(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  failuresByOutcome: z.array(z.strictObject({ outcome: z.string(), count: z.number().int() })),
  points: z.array(z.strictObject({ at: z.string(), durationMs: z.number(), outcome: z.string(), success: z.boolean() })),
})

export const ConnectorList = z.strictObject({ windowHours: z.number(), results: z.array(ConnectorRow) })

export const SignatureInfo = z.strictObject({ header: z.string(), scheme: z.string() })

/** What every dashboard API route may refuse: a missing session; a change also a missing CSRF token. */
export const SESSION_REFUSALS = refusals({ 401: ['DASHBOARD_SESSION_MISSING'] })
export const CHANGE_REFUSALS = refusals({ 401: ['DASHBOARD_SESSION_MISSING'], 403: ['DASHBOARD_CSRF_INVALID'] })

export const DeliveryAttempt = z.strictObject({
  attempt: z.number().int(),
  attemptedAt: z.string(),
  responseCode: z.number().int().nullable(),
  latencyMs: z.number(),
  error: z.string().nullable(),
})

/** A delivery with every attempt logged for it (the API's delivery log shows only the last). */
export const DeliveryWithAttempts = Delivery.extend({ attemptLog: z.array(DeliveryAttempt) })

export const DeliveryWithAttemptsPage = z.strictObject({ page: z.number().int(), total: z.number().int(), totalPages: z.number().int(), results: z.array(DeliveryWithAttempts) })

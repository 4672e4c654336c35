import { z } from 'zod'
import { FORCEABLE_OUTCOMES, OUTAGE_MODES } from '../../domain/sandbox-control.ts'
import { PRODUCTS } from '../../domain/statuses.ts'
import { EVENT_TYPES } from '../../events/item-events.ts'
import { DateTime, NullableDateTime } from './date-time.ts'

/** What PUT /sandbox/items/{id}/outcome takes. */
export const ForcedOutcomeBody = z.strictObject({
  executionStatus: z.enum(FORCEABLE_OUTCOMES).describe('The final execution status the execution ends with'),
  failingProducts: z
    .array(z.enum(PRODUCTS))
    .max(PRODUCTS.length)
    .optional()
    .describe('With PARTIAL_SUCCESS: the products that fail (default CREDIT_CARDS); a product the execution does not collect cannot fail'),
  providerMessage: z.string().min(1).max(500).nullish().describe('The institution’s own words: error.providerMessage, or the failing products’ warnings'),
  once: z.boolean().optional().describe('true (default): the next execution only; false: every execution until the outcome is cleared'),
})

/** A forced outcome as stored (an extension: the sandbox control API). */
export const ForcedOutcome = z
  .strictObject({
    itemId: z.uuid(),
    executionStatus: z.enum(FORCEABLE_OUTCOMES),
    failingProducts: z.array(z.enum(PRODUCTS)),
    providerMessage: z.string().nullable(),
    once: z.boolean(),
    appliedToExecutionId: z.uuid().nullable().describe('A once outcome: the execution that took it (then it applies to no other); null until an execution starts'),
    createdAt: DateTime,
  })
  .describe('The forced outcome of the item’s next execution (once) or of every one until cleared')

/** Everything the sandbox control API holds for one item. */
export const SandboxItemControl = z
  .strictObject({
    itemId: z.uuid(),
    connectorId: z.number().int(),
    outcome: ForcedOutcome.nullable(),
    loginReset: z.boolean().describe('true while logins fail: the password changed at the institution and the item was not given credentials since'),
    loginResetAt: NullableDateTime,
  })
  .describe('What the sandbox institution was told about the item')

/** The events POST /sandbox/items/{id}/fire-webhook sends: every item event. */
export const FireableEvent = z.enum(EVENT_TYPES).exclude(['connector/status_updated'])

export const FireWebhookBody = z.strictObject({
  event: FireableEvent.describe('Any item event'),
  accountId: z.string().max(200).optional().describe('transactions/*: the item’s account the event is about (default: its first account)'),
  transactionIds: z.array(z.uuid()).max(400).optional().describe('transactions/updated|deleted: the ids it names (default: the account’s latest 5)'),
})

export const FiredEvent = z
  .strictObject({ eventId: z.uuid(), event: z.string(), itemId: z.uuid(), payload: z.record(z.string(), z.unknown()).describe('The payload as delivered') })
  .describe('The event, written to the outbox: delivered like any other (see GET /webhook-deliveries)')

export type ForcedOutcome = z.infer<typeof ForcedOutcome>
export type SandboxItemControl = z.infer<typeof SandboxItemControl>

const Amount = z.number().refine((n) => Number.isFinite(n) && n !== 0 && Math.abs(n) < 1e12, 'must be a non-zero amount')
const Description = z.string().trim().min(1).max(200)

/** What POST /sandbox/items/{id}/transactions takes. */
export const AddTransactionBody = z.strictObject({
  accountId: z.string().max(200).describe('One of the item’s accounts (GET /accounts?itemId=)'),
  description: Description,
  amount: Amount.describe('Signed as the reference signs it: on a bank account money in is positive; on a credit card a purchase is positive'),
  date: z.iso.date().optional().describe('YYYY-MM-DD; default: today on the engine’s clock'),
  status: z.enum(['PENDING', 'POSTED']).optional().describe('Default POSTED'),
})

/** What PATCH /sandbox/items/{id}/transactions/{transactionId} takes. */
export const ChangeTransactionBody = z
  .strictObject({ description: Description.optional(), amount: Amount.optional(), date: z.iso.date().optional() })
  .refine((body) => Object.keys(body).length > 0, 'give at least one of description, amount, date')

export const TransactionEdit = z
  .strictObject({
    id: z.uuid(),
    itemId: z.uuid(),
    kind: z.enum(['add', 'change', 'post', 'restate', 'remove']),
    providerId: z.string().describe('The transaction’s id at the institution (before a restatement)'),
    newProviderId: z.string().nullable().describe('A restatement: its new id at the institution'),
    transactionId: z.uuid().nullable().describe('Tributary’s id of the transaction edited; null for one added, which gets an id when a sync merges it'),
    createdAt: DateTime,
  })
  .describe('A change at the institution, merged by the item’s next sync')

export type TransactionEdit = z.infer<typeof TransactionEdit>

/** What POST /sandbox/clock takes. */
export const AdvanceClockBody = z.strictObject({
  advanceSeconds: z
    .number()
    .int()
    .min(1)
    .max(10 * 366 * 86_400)
    .describe('How far to move the client’s sandbox time forward'),
})

export const SandboxClock = z
  .strictObject({
    totalAdvanceSeconds: z.number().int().min(0).describe('How far ahead of the engine’s clock the client’s sandbox time is'),
    now: DateTime.describe('The client’s sandbox time now: the date the sandbox institutions see for its items'),
  })
  .describe('The client’s sandbox clock')

export const ClockAdvanced = SandboxClock.extend({
  advancedSeconds: z.number().int().min(1),
  movedItems: z.number().int().min(0).describe('Items whose due auto-sync, follow-up, authorization deadline or MFA expiry came earlier'),
}).describe('The client’s sandbox clock, moved forward')

/** What PUT /sandbox/connectors/{id}/outage takes. */
export const OutageBody = z.strictObject({
  mode: z
    .enum(OUTAGE_MODES)
    .describe('SLOW: every step takes delaySeconds longer; FAILING: every other execution of an item ends CONNECTION_ERROR; SITE_NOT_AVAILABLE / OFFLINE (CONNECTION_ERROR): every execution ends so'),
  delaySeconds: z.number().int().min(1).max(3600).optional().describe('SLOW only: how much longer every step takes (default 30)'),
})

export const Outage = z
  .strictObject({
    connectorId: z.number().int(),
    mode: z.enum(OUTAGE_MODES),
    delaySeconds: z.number().int().min(0),
    createdAt: DateTime,
  })
  .describe('The sandbox institution’s outage, for the client’s items, until cleared')

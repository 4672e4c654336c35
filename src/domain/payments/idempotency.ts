/**
 * Idempotency of the creating calls. A client may send a key with each of them; the first call with
 * a key creates the resource and records the key with a hash of the request's body. A later call
 * with the same key and the same body answers the same resource without creating another; with
 * another body it is a conflict (the key was reused for something else).
 */
export const IDEMPOTENT_OPERATIONS = [
  'createPaymentRequest',
  'createPaymentRequestPixAutomatico',
  'createPaymentIntent',
  'createPaymentCustomer',
  'createPaymentRecipient',
  'createBulkPayment',
  'createSmartAccount',
  'scheduleAutomaticPixPayment',
  'retryAutomaticPixPayment',
  'createSmartTransferPreauthorization',
  'createSmartTransferPayment',
] as const
export type IdempotentOperation = (typeof IDEMPOTENT_OPERATIONS)[number]

export type IdempotencyDecision = { action: 'CREATE' } | { action: 'REPLAY'; resourceId: string } | { action: 'CONFLICT' }

/** What to do with a call, given the record its key already has (if any) and the hash of its body. */
export function idempotencyDecision(recorded: { requestHash: string; resourceId: string } | undefined, requestHash: string): IdempotencyDecision {
  if (!recorded) return { action: 'CREATE' }
  return recorded.requestHash === requestHash ? { action: 'REPLAY', resourceId: recorded.resourceId } : { action: 'CONFLICT' }
}

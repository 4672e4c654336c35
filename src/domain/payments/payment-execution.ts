import type { AutomaticPixPaymentStatus, PaymentIntentStatus, ScheduledPaymentStatus } from './statuses.ts'

/**
 * Statuses the engine looks for when it executes payments, named here so that lifecycle words stay
 * in the domain: the intent whose consent the dated payments of a request are paid under, and the
 * statuses of payments still waiting for their dates.
 */
export const PAYABLE_AFTER_CONSENT: PaymentIntentStatus = 'PAYMENT_COMPLETED'
export const PENDING_SCHEDULED_STATUS: ScheduledPaymentStatus = 'SCHEDULED'
export const PENDING_AUTOMATIC_PIX_STATUS: AutomaticPixPaymentStatus = 'SCHEDULED'

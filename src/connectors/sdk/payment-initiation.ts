import type { BankConsentStatus, BankPaymentStatus } from '../../domain/payments/payment-execution.ts'

export type { BankConsentStatus, BankPaymentStatus }

/**
 * Payment initiation (Pix through Open Finance): what a connector of a payer's bank implements so
 * Tributary can take payments there. The engine creates a consent for what the payer pays, sends
 * the payer to the bank's page to authorize it, reads the consent's status, initiates the payment
 * under an authorized consent and follows its settlement. Like the rest of a connector, it only
 * does I/O with the bank and answers what the bank said: the engine decides every status.
 *
 * @example
 * defineConnector({ ..., payments: { createConsent, consentStatus, initiatePayment, paymentStatus } })
 */
export interface PaymentInitiation {
  /** Creates the consent at the bank; the payer authorizes it at `authorizationUrl`. Idempotent on `request.reference`. */
  createConsent(ctx: PaymentContext, request: PaymentConsentRequest): Promise<PaymentConsent>
  /** The consent's status now; `debtorAccountId` once the payer authorized (the account they pay from). */
  consentStatus(ctx: PaymentContext, consentId: string): Promise<PaymentConsentState>
  /** Initiates a payment under an authorized consent. Idempotent on `payment.reference`: the same reference answers the same payment. */
  initiatePayment(ctx: PaymentContext, consentId: string, payment: { reference: string; amountCents: number; date?: string }): Promise<{ paymentId: string }>
  /** The payment's status now, with why it was rejected when it was. */
  paymentStatus(ctx: PaymentContext, paymentId: string): Promise<{ status: BankPaymentStatus; rejection?: { code: string; description: string } | null }>
}

/** What the payment calls get: the engine's clock, a log, and a signal that aborts when the work stops. */
export interface PaymentContext {
  readonly signal: AbortSignal
  now(): Date
  log(message: string, fields?: Record<string, unknown>): void
}

/** What a consent covers: a payment now, a schedule's payments, a Pix Automático mandate, a bulk payment's top-up, a smart transfer's standing consent. */
export const PAYMENT_CONSENT_KINDS = ['PAYMENT', 'SCHEDULE', 'AUTOMATIC_PIX', 'BULK_TOP_UP', 'SMART_TRANSFER'] as const
export type PaymentConsentKind = (typeof PAYMENT_CONSENT_KINDS)[number]

export interface PaymentConsentRequest {
  /** Tributary's id for what the consent is for (an intent, a preauthorization). */
  reference: string
  kind: PaymentConsentKind
  /** What each payment pays, in centavos (null for a variable Pix Automático mandate). */
  amountCents: number | null
  /** The payer, as they identified themselves (digits only). */
  payer: { cpf: string; cnpj?: string }
  recipient: { name: string; taxNumber: string; ispb: string; branch: string; accountNumber: string; accountType: string; pixKey?: string | null }
  description: string | null
  /** The dates a schedule's payments settle on (YYYY-MM-DD). */
  dates?: string[]
  /** Where the bank sends the payer once they answered. */
  redirectUrl: string
  /** The consent's authorization window ends then. */
  expiresAt: Date
}

export interface PaymentConsent {
  consentId: string
  /** The bank's page where the payer authorizes (null while the bank queues the consent's creation). */
  authorizationUrl: string | null
}

export type PaymentConsentState = { status: Exclude<BankConsentStatus, 'AUTHORISED' | 'REJECTED'> } | { status: 'AUTHORISED'; debtorAccountId: string } | { status: 'REJECTED'; reason?: string }

import type { BankConsentStatus } from '../domain/payments/payment-execution.ts'
import type { Queryable } from './database.ts'

/**
 * The sandbox payer bank's consents and payments (migration 056). The bank is a test institution
 * Tributary serves, but what payers answered and what is settling must outlive a restart of the
 * engine, like the engine's own execution of the payments does.
 */

/** What a connector asked the bank to open a consent for (kept as sent). */
export interface SandboxPayerConsentRequest {
  reference: string
  kind: string
  amountCents: number | null
  payer: { cpf: string; cnpj?: string }
  recipient: { name: string; taxNumber: string }
  description: string | null
  dates?: string[]
  redirectUrl: string
  expiresAt: string
}

export interface SandboxPayerConsentRow<Scenario extends string = string> {
  id: string
  request: SandboxPayerConsentRequest
  accountId: string
  scenario: Scenario
  status: BankConsentStatus
  csrf: string
  createdAt: Date
}

export interface SandboxPayerPaymentRow<Scenario extends string = string> {
  id: string
  consentId: string
  reference: string
  amountCents: number
  scenario: Scenario
  /** Rejected at initiation (insufficient funds): fixed from the start. */
  rejection: { code: string; description: string } | null
  secondApproval: boolean
  createdAt: Date
}

const CONSENT = `id, request, account_id as "accountId", scenario, status, csrf, created_at as "createdAt"`
const PAYMENT = `id, consent_id as "consentId", reference, amount_cents::float8 as "amountCents", scenario, rejection,
  second_approval as "secondApproval", created_at as "createdAt"`

/** Opens the consent, or answers the one already opened for its reference (the connector retried). */
export async function openSandboxPayerConsent<S extends string>(db: Queryable, consent: SandboxPayerConsentRow<S>): Promise<SandboxPayerConsentRow<S>> {
  const { rows } = await db.query<SandboxPayerConsentRow<S>>(
    `with opened as (
       insert into sandbox_payer_consents (id, reference, request, account_id, scenario, status, csrf, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (reference) do nothing
       returning ${CONSENT})
     select * from opened
     union all
     select ${CONSENT} from sandbox_payer_consents where reference = $2 and not exists (select 1 from opened)`,
    [consent.id, consent.request.reference, JSON.stringify(consent.request), consent.accountId, consent.scenario, consent.status, consent.csrf, consent.createdAt],
  )
  return rows[0]
}

export async function findSandboxPayerConsent<S extends string>(db: Queryable, id: string): Promise<SandboxPayerConsentRow<S> | undefined> {
  const { rows } = await db.query<SandboxPayerConsentRow<S>>(`select ${CONSENT} from sandbox_payer_consents where id = $1`, [id])
  return rows[0]
}

/**
 * The payer's answer: moves the consent out of `from` (only if it is still there, so two answers
 * racing settle on one) to `status`, with the scenario the page chose. Undefined when it had moved.
 */
export async function answerSandboxPayerConsent<S extends string>(
  db: Queryable,
  change: { id: string; from: BankConsentStatus; status: BankConsentStatus; scenario: S },
): Promise<SandboxPayerConsentRow<S> | undefined> {
  const { rows } = await db.query<SandboxPayerConsentRow<S>>(`update sandbox_payer_consents set status = $3, scenario = $4 where id = $1 and status = $2 returning ${CONSENT}`, [
    change.id,
    change.from,
    change.status,
    change.scenario,
  ])
  return rows[0]
}

/** The scenario of a standing consent's next payments. */
export async function setSandboxPayerConsentScenario(db: Queryable, id: string, scenario: string): Promise<void> {
  await db.query(`update sandbox_payer_consents set scenario = $2 where id = $1`, [id, scenario])
}

/**
 * Records a payment under a consent, or answers the one already made for its reference. A one-off
 * consent (`consumedAs` set) is used up by the payment it records, in the same statement.
 */
export async function recordSandboxPayerPayment<S extends string>(db: Queryable, payment: SandboxPayerPaymentRow<S>, consumedAs: BankConsentStatus | null): Promise<SandboxPayerPaymentRow<S>> {
  const { rows } = await db.query<SandboxPayerPaymentRow<S>>(
    `with made as (
       insert into sandbox_payer_payments (id, consent_id, reference, amount_cents, scenario, rejection, second_approval, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (reference) do nothing
       returning ${PAYMENT}),
     consumed as (
       update sandbox_payer_consents set status = $9 where id = $2 and $9::text is not null and exists (select 1 from made))
     select * from made
     union all
     select ${PAYMENT} from sandbox_payer_payments where reference = $3 and not exists (select 1 from made)`,
    [
      payment.id,
      payment.consentId,
      payment.reference,
      payment.amountCents,
      payment.scenario,
      payment.rejection && JSON.stringify(payment.rejection),
      payment.secondApproval,
      payment.createdAt,
      consumedAs,
    ],
  )
  return rows[0]
}

export async function findSandboxPayerPaymentByReference<S extends string>(db: Queryable, reference: string): Promise<SandboxPayerPaymentRow<S> | undefined> {
  const { rows } = await db.query<SandboxPayerPaymentRow<S>>(`select ${PAYMENT} from sandbox_payer_payments where reference = $1`, [reference])
  return rows[0]
}

export async function findSandboxPayerPayment<S extends string>(db: Queryable, id: string): Promise<SandboxPayerPaymentRow<S> | undefined> {
  const { rows } = await db.query<SandboxPayerPaymentRow<S>>(`select ${PAYMENT} from sandbox_payer_payments where id = $1`, [id])
  return rows[0]
}

/** The consent's payments of `scenario` still waiting for a second approver (none was refused at initiation). */
export async function sandboxPayerPaymentsAwaitingApproval<S extends string>(db: Queryable, consentId: string, scenario: S): Promise<SandboxPayerPaymentRow<S>[]> {
  const { rows } = await db.query<SandboxPayerPaymentRow<S>>(
    `select ${PAYMENT} from sandbox_payer_payments
     where consent_id = $1 and scenario = $2 and not second_approval and rejection is null order by created_at, id`,
    [consentId, scenario],
  )
  return rows
}

/** A second approver approves the consent's payments not yet approved: answers their references. */
export async function approveSandboxPayerPayments(db: Queryable, consentId: string): Promise<string[]> {
  const { rows } = await db.query<{ reference: string }>(`update sandbox_payer_payments set second_approval = true where consent_id = $1 and not second_approval returning reference`, [consentId])
  return rows.map((r) => r.reference)
}

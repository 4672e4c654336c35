import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import type { BankPaymentStatus } from '../domain/payments/payment-execution.ts'
import type { Queryable } from '../store/database.ts'
import {
  answerSandboxPayerConsent,
  approveSandboxPayerPayments,
  findSandboxPayerConsent,
  findSandboxPayerPayment,
  findSandboxPayerPaymentByReference,
  openSandboxPayerConsent,
  recordSandboxPayerPayment,
  sandboxPayerPaymentsAwaitingApproval,
  setSandboxPayerConsentScenario,
  type SandboxPayerConsentRequest,
  type SandboxPayerConsentRow,
  type SandboxPayerPaymentRow,
} from '../store/sandbox-payer-bank.ts'
import type { Clock } from '../time/clock.ts'

/**
 * The sandbox Open Finance institution's payment-initiation side (the payer's bank of Pix
 * payments), which Tributary serves so that payments run offline end to end: a consent API, the
 * page where the payer authorizes (or rejects) the consent, and the payments made under it, whose
 * settlement the connector follows. Its consents and payments are kept in the database (its own
 * tables), so an engine restarted on the same data finds a consent still waiting for its payer and
 * a payment still settling; settlement times are computed from the stored times on the engine clock.
 *
 * Scenarios, chosen by the payer's CPF (preselected on the authorization page, which can change
 * them): any CPF — the payment settles at once; 000.000.001-91 — insufficient funds (the account
 * holds R$ 1.00); 000.000.002-72 — settlement delayed 10 minutes; 000.000.003-53 — accepted, then
 * the settlement fails 2 minutes later; 000.000.004-34 — partial acceptance: a second approver must
 * approve on the same page. Rejecting on the page rejects the consent; not answering lets the
 * authorization window close. A standing consent (a schedule, a Pix Automático mandate) stays on
 * the page after it was authorized, where the payer may change the scenario of its next payments
 * (run out of money, then top the account up again). Every account starts with R$ 10,000.00 and goes down as payments
 * settle (the ledger Tributary keeps of what left it).
 */

export const PAYER_BANK_SCENARIOS = ['SETTLES', 'INSUFFICIENT_FUNDS', 'SETTLEMENT_DELAYED', 'SETTLEMENT_FAILS', 'SECOND_APPROVER'] as const
export type PayerBankScenario = (typeof PAYER_BANK_SCENARIOS)[number]

export const SCENARIO_CPFS: Record<Exclude<PayerBankScenario, 'SETTLES'>, string> = {
  INSUFFICIENT_FUNDS: '00000000191',
  SETTLEMENT_DELAYED: '00000000272',
  SETTLEMENT_FAILS: '00000000353',
  SECOND_APPROVER: '00000000434',
}
export const SCENARIO_LABELS: Record<PayerBankScenario, string> = {
  SETTLES: 'Settles at once',
  INSUFFICIENT_FUNDS: 'Insufficient funds',
  SETTLEMENT_DELAYED: 'Settlement delayed 10 minutes',
  SETTLEMENT_FAILS: 'Accepted, then the settlement fails',
  SECOND_APPROVER: 'Needs a second approver',
}
export const OPENING_BALANCE_CENTS = 1_000_000
const POOR_BALANCE_CENTS = 100
const DELAY_MS = 10 * 60_000
const FAILURE_AFTER_MS = 2 * 60_000

export type PayerBankConsentRequest = SandboxPayerConsentRequest
export type Consent = SandboxPayerConsentRow<PayerBankScenario>
type Payment = SandboxPayerPaymentRow<PayerBankScenario>

export type PayerBankRefusal = { refused: string }
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/** The payer's account at this bank: derived from their CPF, so the same payer always has the same account. */
export function payerAccountId(cpf: string): string {
  return `acc-${createHash('sha256').update(`sandbox-payer:${cpf}`).digest('hex').slice(0, 16)}`
}

export function scenarioOfCpf(cpf: string): PayerBankScenario {
  return (Object.entries(SCENARIO_CPFS).find(([, value]) => value === cpf)?.[0] as PayerBankScenario | undefined) ?? 'SETTLES'
}

/** A consent for payments yet to come (a schedule, a Pix Automático mandate), not used up by one payment. */
export function isStanding(consent: Consent): boolean {
  return consent.request.kind !== 'PAYMENT' && consent.request.kind !== 'BULK_TOP_UP'
}

const CONSENT_ID_PREFIX = 'consent-'
const PAYMENT_ID_PREFIX = 'sandbox-pix-'
const UUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const CONSENT_ID = new RegExp(`^${CONSENT_ID_PREFIX}${UUID_PATTERN}$`)
const PAYMENT_ID = new RegExp(`^${PAYMENT_ID_PREFIX}${UUID_PATTERN}$`)

export class SandboxPayerBank {
  constructor(
    private readonly deps: {
      /** Where the bank keeps its consents and payments. */
      db: Queryable
      clock: Clock
      /** What has left an account so far (Tributary's ledger of settled debits), in centavos. */
      debitedCents: (accountId: string) => Promise<number>
      /** The settled debits of an account (Tributary's ledger), newest first. */
      settledDebits: (accountId: string) => Promise<{ id: string; amountCents: number; at: Date }[]>
      /** Told when a consent or payment changed at the bank (the payer answered): the engine looks again. */
      onChange: (reference: string) => void
    },
  ) {}

  private now(): Date {
    return this.deps.clock.now()
  }

  /** Opens a consent; the same reference answers the consent already opened for it. */
  createConsent(request: PayerBankConsentRequest): Promise<Consent> {
    return openSandboxPayerConsent(this.deps.db, {
      id: `${CONSENT_ID_PREFIX}${randomUUID()}`,
      request,
      accountId: payerAccountId(request.payer.cpf),
      scenario: scenarioOfCpf(request.payer.cpf),
      status: 'AWAITING_AUTHORISATION',
      csrf: randomBytes(24).toString('base64url'),
      createdAt: this.now(),
    })
  }

  consent(id: string): Promise<Consent | undefined> {
    // Only ids this bank gives out are looked up: anything else (a NUL byte, say) is unknown.
    if (!CONSENT_ID.test(id)) return Promise.resolve(undefined)
    return findSandboxPayerConsent(this.deps.db, id)
  }

  /** The consent's authorization page's data, or why it cannot be shown. */
  async page(consentId: string): Promise<{ consent: Consent; balanceCents: number; awaitingSecondApproval: Payment[] } | PayerBankRefusal> {
    const consent = await this.consent(consentId)
    if (!consent) return { refused: 'This bank does not know this payment consent.' }
    const awaitingSecondApproval = await sandboxPayerPaymentsAwaitingApproval<PayerBankScenario>(this.deps.db, consentId, 'SECOND_APPROVER')
    return { consent, balanceCents: await this.balanceOf(consent), awaitingSecondApproval }
  }

  async balanceOf(consent: Consent): Promise<number> {
    const opening = consent.scenario === 'INSUFFICIENT_FUNDS' ? POOR_BALANCE_CENTS : OPENING_BALANCE_CENTS
    // Never below zero: a payer who switched to insufficient funds after paying has nothing left, not a debt.
    return Math.max(0, opening - (await this.deps.debitedCents(consent.accountId)))
  }

  /** The Pix payments that left a payer's account: what the account's statement shows (the data side reads it). */
  settledPayments(cpf: string): Promise<{ id: string; amountCents: number; at: Date }[]> {
    return this.deps.settledDebits(payerAccountId(cpf))
  }

  /** The payer's answer on the page: approve (with the scenario chosen) or reject. Answers where the payer goes next. */
  async decide(consentId: string, form: Record<string, string | undefined>): Promise<{ redirect: string } | PayerBankRefusal> {
    const consent = await this.consent(consentId)
    if (!consent || !form.csrf || !same(form.csrf, consent.csrf)) return { refused: 'This authorization form is not valid (it expired or was not sent by this bank’s page).' }
    const answered: PayerBankRefusal = { refused: 'This consent was already answered.' }
    if (consent.status !== 'AWAITING_AUTHORISATION') return answered
    if (this.now().getTime() >= Date.parse(consent.request.expiresAt)) return { refused: 'The time to authorize this payment is over.' }
    const approve = form.decision === 'approve'
    const chosen = approve && form.scenario && (PAYER_BANK_SCENARIOS as readonly string[]).includes(form.scenario) ? (form.scenario as PayerBankScenario) : consent.scenario
    // Only from awaiting: of two answers sent at once (two tabs), the second finds it answered.
    const changed = await answerSandboxPayerConsent(this.deps.db, { id: consent.id, from: 'AWAITING_AUTHORISATION', status: approve ? 'AUTHORISED' : 'REJECTED', scenario: chosen })
    if (!changed) return answered
    this.deps.onChange(changed.request.reference)
    const back = new URL(changed.request.redirectUrl)
    back.searchParams.set('decision', changed.status === 'AUTHORISED' ? 'approved' : 'rejected')
    return { redirect: back.toString() }
  }

  /**
   * The payer changes what happens to the next payments under a standing consent they authorized
   * (a schedule, a Pix Automático mandate): payments already made keep theirs.
   */
  async changeScenario(consentId: string, form: Record<string, string | undefined>): Promise<{ scenario: PayerBankScenario } | PayerBankRefusal> {
    const consent = await this.consent(consentId)
    if (!consent || !form.csrf || !same(form.csrf, consent.csrf)) return { refused: 'This form is not valid (it was not sent by this bank’s page).' }
    if (consent.status !== 'AUTHORISED' || !isStanding(consent)) return { refused: 'Only a schedule or a Pix Automático authorization in force has next payments to change.' }
    if (!form.scenario || !(PAYER_BANK_SCENARIOS as readonly string[]).includes(form.scenario)) return { refused: `Choose one of ${PAYER_BANK_SCENARIOS.join(', ')}.` }
    const scenario = form.scenario as PayerBankScenario
    await setSandboxPayerConsentScenario(this.deps.db, consent.id, scenario)
    return { scenario }
  }

  /** A second approver approves the payments of this consent that wait for one. */
  async approveSecond(consentId: string, form: Record<string, string | undefined>): Promise<{ approved: number } | PayerBankRefusal> {
    const consent = await this.consent(consentId)
    if (!consent || !form.csrf || !same(form.csrf, consent.csrf)) return { refused: 'This approval form is not valid (it was not sent by this bank’s page).' }
    const references = await approveSandboxPayerPayments(this.deps.db, consentId)
    for (const reference of references) this.deps.onChange(reference)
    return { approved: references.length }
  }

  /** A payment under an authorized consent; the same reference answers the same payment. */
  async initiate(consentId: string, payment: { reference: string; amountCents: number }): Promise<Payment | PayerBankRefusal> {
    // Before the consent's status: a one-off consent is used up by the payment a retry asks for again.
    const known = await findSandboxPayerPaymentByReference<PayerBankScenario>(this.deps.db, payment.reference)
    if (known) return known
    const consent = await this.consent(consentId)
    if (!consent) return { refused: 'This bank does not know this payment consent.' }
    if (consent.status !== 'AUTHORISED') return { refused: `The consent is ${consent.status}, not AUTHORISED.` }
    const balance = await this.balanceOf(consent)
    const created: Payment = {
      id: `${PAYMENT_ID_PREFIX}${randomUUID()}`,
      consentId,
      reference: payment.reference,
      amountCents: payment.amountCents,
      createdAt: this.now(),
      scenario: consent.scenario,
      rejection: balance < payment.amountCents ? { code: 'SALDO_INSUFICIENTE', description: 'The payer’s account does not hold enough money for this payment.' } : null,
      secondApproval: false,
    }
    return recordSandboxPayerPayment(this.deps.db, created, isStanding(consent) ? null : 'CONSUMED')
  }

  /** Where a payment's settlement is now, from its scenario and the bank's clock. */
  async paymentStatus(id: string): Promise<{ status: BankPaymentStatus; rejection: { code: string; description: string } | null } | undefined> {
    if (!PAYMENT_ID.test(id)) return undefined
    const payment = await findSandboxPayerPayment<PayerBankScenario>(this.deps.db, id)
    if (!payment) return undefined
    if (payment.rejection) return { status: 'RJCT', rejection: payment.rejection }
    const age = this.now().getTime() - payment.createdAt.getTime()
    switch (payment.scenario) {
      case 'SETTLES':
      case 'INSUFFICIENT_FUNDS':
        return { status: 'ACCC', rejection: null }
      case 'SETTLEMENT_DELAYED':
        return { status: age < DELAY_MS ? 'ACCP' : 'ACCC', rejection: null }
      case 'SETTLEMENT_FAILS':
        return age < FAILURE_AFTER_MS
          ? { status: 'ACCP', rejection: null }
          : { status: 'RJCT', rejection: { code: 'FALHA_LIQUIDACAO', description: 'The settlement system failed the payment after the bank accepted it.' } }
      case 'SECOND_APPROVER':
        return { status: payment.secondApproval ? 'ACCC' : 'PATC', rejection: null }
      default:
        return payment.scenario satisfies never
    }
  }
}

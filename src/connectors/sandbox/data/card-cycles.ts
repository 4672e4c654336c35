/**
 * The credit card's billing cycles. A cycle ends on the user's close day of a month; a purchase
 * belongs to the cycle whose close is on or after its day. The bill of a cycle is due seven days
 * after the close, moved to the next business day, and paid in full from the checking account on
 * that day. Each cycle charges one installment of the card's annual fee on its first day, and IOF
 * on the purchases made abroad on its close.
 */
import type { CollectedCreditCardBill, CollectedTransaction } from '../../sdk/index.ts'
import { businessDayOnOrAfter, nextDayOfMonth } from './calendar.ts'
import { FOREIGN_PURCHASE_IOF, SANDBOX_BANK_ISPB, SANDBOX_BANK_NAME } from './fixtures.ts'
import { round2 } from './money.ts'
import type { SandboxUser } from './sandbox-user.ts'

/** Days between a bill's close and its due date (before moving to a business day). */
export const DAYS_TO_DUE = 7

export function cycleCloseOf(user: SandboxUser, day: number): number {
  return nextDayOfMonth(day, user.profile.cardCloseDay)
}

export function dueDayOf(close: number): number {
  return businessDayOnOrAfter(close + DAYS_TO_DUE)
}

/** The bill's id at the institution, named by the month it closes in. */
export function billIdOf(user: SandboxUser, close: number): string {
  return `${user.idPrefix}-bill-${monthOf(user, close)}`
}

/** `YYYY-MM` of a day. */
export function monthOf(user: SandboxUser, day: number): string {
  return user.iso(day).slice(0, 7)
}

/** The monthly installment of the annual fee (12 installments a year), fixed per user. */
export function annualFeeInstallment(user: SandboxUser): number {
  return round2(user.rng('bills').int(0, 3) * 9.9 + 19.9)
}

/** What a cycle charged: its purchases (in reais), what of them was bought abroad, its fee. */
export interface CycleCharges {
  close: number
  purchases: number
  foreign: number
  fee: number
}

export function iofOf(cycle: CycleCharges): number {
  return round2(cycle.foreign * FOREIGN_PURCHASE_IOF)
}

/** What the closed cycle's bill charged, in full: its purchases, the fee and the IOF. */
export function billTotal(cycle: CycleCharges): number {
  return round2(cycle.purchases + cycle.fee + iofOf(cycle))
}

/** A closed cycle's bill; paid (one full payment on the due day) once `today` reached its due day. */
export function billOf(user: SandboxUser, cycle: CycleCharges, today: number): CollectedCreditCardBill {
  const providerId = billIdOf(user, cycle.close)
  const total = billTotal(cycle)
  const due = dueDayOf(cycle.close)
  const iof = iofOf(cycle)
  return {
    providerId,
    dueDate: user.iso(due),
    billClosingDate: user.iso(cycle.close),
    totalAmount: total,
    totalAmountCurrencyCode: 'BRL',
    minimumPaymentAmount: round2(total * 0.15),
    allowsInstallments: true,
    financeCharges: iof > 0 ? [{ providerId: `${providerId}-iof`, type: 'IOF', amount: iof, currencyCode: 'BRL', additionalInfo: null }] : [],
    payments: due <= today ? [{ providerId: `${providerId}-payment`, valueType: 'FULL_PAYMENT', paymentDate: user.iso(due), paymentMode: 'DEBIT_ACCOUNT', amount: total, currencyCode: 'BRL' }] : [],
  }
}

type Built = Omit<CollectedTransaction, 'status' | 'balance'>

/** The fee installment charged on a cycle's first day: installment `n` of 12. */
export function feeTransaction(user: SandboxUser, cycle: CycleCharges, day: number): Built {
  const n = (new Date(day * 86_400_000).getUTCMonth() % 12) + 1
  return {
    providerId: `${user.idPrefix}-fee-${monthOf(user, cycle.close)}`,
    accountProviderId: user.creditCardId,
    date: user.iso(day),
    description: `ANUIDADE DIFERENCIADA ${n}/12`,
    currencyCode: 'BRL',
    amount: cycle.fee,
    type: 'DEBIT',
    operationType: 'TARIFA_SERVICOS_AVULSOS',
    creditCardMetadata: { installmentNumber: n, totalInstallments: 12, totalAmount: round2(cycle.fee * 12), cardNumber: user.profile.cardLast4, feeType: 'ANNUAL_FEE' },
  }
}

/** The IOF on the cycle's purchases abroad, charged on its close. */
export function iofTransaction(user: SandboxUser, cycle: CycleCharges): Built {
  return {
    providerId: `${user.idPrefix}-iof-${monthOf(user, cycle.close)}`,
    accountProviderId: user.creditCardId,
    date: user.iso(cycle.close),
    description: 'IOF COMPRAS NO EXTERIOR',
    currencyCode: 'BRL',
    amount: iofOf(cycle),
    type: 'DEBIT',
    operationType: 'OUTROS',
    creditCardMetadata: { cardNumber: user.profile.cardLast4 },
  }
}

/** The bill's payment as the card shows it (it lowers the debt) and as the checking account shows it. */
export function paymentTransactions(user: SandboxUser, cycle: CycleCharges): { card: Built; checking: Built } {
  const due = dueDayOf(cycle.close)
  const total = billTotal(cycle)
  const month = monthOf(user, cycle.close)
  return {
    card: {
      providerId: `${user.idPrefix}-bill-payment-${month}`,
      accountProviderId: user.creditCardId,
      date: user.iso(due),
      description: 'PAGAMENTO RECEBIDO - OBRIGADO',
      currencyCode: 'BRL',
      amount: -total,
      type: 'CREDIT',
      operationType: 'OUTROS',
      creditCardMetadata: { cardNumber: user.profile.cardLast4 },
    },
    checking: {
      providerId: `${user.idPrefix}-bill-debit-${month}`,
      accountProviderId: user.checkingId,
      date: user.iso(due),
      description: 'PAGAMENTO FATURA CARTAO MASTERCARD',
      descriptionRaw: `DEB AUT FATURA CARTAO ${user.profile.cardLast4}`,
      currencyCode: 'BRL',
      amount: -total,
      type: 'DEBIT',
      operationType: 'TRANSFERENCIA_MESMA_INSTITUICAO',
      paymentData: {
        payer: user.profile.self,
        receiver: { name: SANDBOX_BANK_NAME, routingNumber: '999', routingNumberISPB: SANDBOX_BANK_ISPB },
        paymentMethod: 'TEF',
        referenceNumber: `FAT${month.replace('-', '')}${user.profile.cardLast4}`,
      },
    },
  }
}

import type { Category as DomainCategory } from '../domain/categories.ts'
import type { AccountStatementRow } from '../store/account-statements.ts'
import type { CreditCardBillRow } from '../store/credit-card-bills.ts'
import type { LoanRow } from '../store/loans.ts'
import type { AccountStatement } from './schemas/account-statement.ts'
import type { Category } from './schemas/category.ts'
import type { CreditCardBill } from './schemas/credit-card-bill.ts'
import type { Loan } from './schemas/loan.ts'

const iso = (date: Date | null) => (date ? date.toISOString() : null)

/**
 * A stored date text (a day or an instant) as a full ISO instant — the reference client turns only
 * `YYYY-MM-DDTHH:mm:ss.sssZ` strings into Dates, so a bare day would reach its callers as a string.
 */
export function instantOrNull(raw: string | null | undefined): string | null {
  if (!raw) return null
  const date = new Date(raw)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** Every field the reference declares, null where the collected data left it out. */
const orNull = <T>(value: T | null | undefined): T | null => value ?? null

export function presentCategory(category: DomainCategory): Category {
  return { ...category }
}

export function presentCreditCardBill(bill: CreditCardBillRow): CreditCardBill {
  return {
    id: bill.id,
    accountId: bill.accountId,
    dueDate: bill.dueDate.toISOString(),
    billClosingDate: iso(bill.billClosingDate),
    totalAmount: bill.totalAmount,
    totalAmountCurrencyCode: bill.totalAmountCurrencyCode,
    minimumPaymentAmount: bill.minimumPaymentAmount,
    allowsInstallments: bill.allowsInstallments,
    financeCharges: bill.financeCharges.map((charge) => ({
      id: charge.id,
      type: charge.type as CreditCardBill['financeCharges'][number]['type'],
      amount: charge.amount,
      currencyCode: charge.currencyCode,
      additionalInfo: orNull(charge.additionalInfo),
    })),
    payments: bill.payments.map((payment) => ({
      id: payment.id,
      valueType: payment.valueType as CreditCardBill['payments'][number]['valueType'],
      paymentDate: instantOrNull(payment.paymentDate) ?? bill.dueDate.toISOString(),
      paymentMode: orNull(payment.paymentMode) as CreditCardBill['payments'][number]['paymentMode'],
      amount: payment.amount,
      currencyCode: payment.currencyCode,
    })),
    createdAt: bill.createdAt.toISOString(),
    updatedAt: bill.updatedAt.toISOString(),
  }
}

type Installments = NonNullable<LoanRow['installments']>
type Payments = NonNullable<LoanRow['payments']>

function presentInstallments(i: Installments): NonNullable<Loan['installments']> {
  return {
    typeNumberOfInstallments: orNull(i.typeNumberOfInstallments),
    totalNumberOfInstallments: orNull(i.totalNumberOfInstallments),
    typeContractRemaining: orNull(i.typeContractRemaining),
    contractRemainingNumber: orNull(i.contractRemainingNumber),
    paidInstallments: orNull(i.paidInstallments),
    dueInstallments: orNull(i.dueInstallments),
    pastDueInstallments: orNull(i.pastDueInstallments),
    balloonPayments:
      i.balloonPayments?.map((b) => ({
        dueDate: instantOrNull(b.dueDate),
        amount: b.amount ? { value: orNull(b.amount.value), currencyCode: orNull(b.amount.currencyCode) } : null,
      })) ?? null,
  }
}

function presentLoanPayments(p: Payments): NonNullable<Loan['payments']> {
  return {
    contractOutstandingBalance: orNull(p.contractOutstandingBalance),
    releases:
      p.releases?.map((r) => ({
        isOverParcelPayment: orNull(r.isOverParcelPayment),
        installmentId: orNull(r.installmentId),
        paidDate: instantOrNull(r.paidDate),
        currencyCode: orNull(r.currencyCode),
        paidAmount: orNull(r.paidAmount),
        overParcel: r.overParcel
          ? {
              fees: r.overParcel.fees?.map((f) => ({ name: orNull(f.name), code: orNull(f.code), amount: orNull(f.amount) })) ?? null,
              charges: r.overParcel.charges?.map((c) => ({ type: orNull(c.type), additionalInfo: orNull(c.additionalInfo), amount: orNull(c.amount) })) ?? null,
            }
          : null,
      })) ?? null,
  }
}

export function presentLoan(loan: LoanRow): Loan {
  return {
    id: loan.id,
    itemId: loan.itemId,
    contractNumber: loan.contractNumber,
    ipocCode: loan.ipocCode,
    productName: loan.productName,
    type: loan.type,
    kind: loan.kind,
    date: iso(loan.date),
    contractDate: iso(loan.contractDate),
    disbursementDates: loan.disbursementDates?.map((d) => instantOrNull(d)).filter((d): d is string => d !== null) ?? null,
    settlementDate: iso(loan.settlementDate),
    contractAmount: loan.contractAmount,
    currencyCode: loan.currencyCode,
    dueDate: iso(loan.dueDate),
    installmentPeriodicity: orNull(loan.installmentPeriodicity),
    installmentPeriodicityAdditionalInfo: loan.installmentPeriodicityAdditionalInfo,
    firstInstallmentDueDate: iso(loan.firstInstallmentDueDate),
    CET: loan.CET,
    amortizationScheduled: orNull(loan.amortizationScheduled),
    amortizationScheduledAdditionalInfo: loan.amortizationScheduledAdditionalInfo,
    cnpjConsignee: loan.cnpjConsignee,
    interestRates:
      loan.interestRates?.map((r) => ({
        taxType: orNull(r.taxType),
        interestRateType: orNull(r.interestRateType),
        taxPeriodicity: orNull(r.taxPeriodicity),
        calculation: orNull(r.calculation),
        referentialRateIndexerType: orNull(r.referentialRateIndexerType),
        referentialRateIndexerSubType: orNull(r.referentialRateIndexerSubType),
        referentialRateIndexerAdditionalInfo: orNull(r.referentialRateIndexerAdditionalInfo),
        preFixedRate: orNull(r.preFixedRate),
        postFixedRate: orNull(r.postFixedRate),
        additionalInfo: orNull(r.additionalInfo),
      })) ?? null,
    contractedFees:
      loan.contractedFees?.map((f) => ({ name: orNull(f.name), code: orNull(f.code), chargeType: orNull(f.chargeType), charge: orNull(f.charge), amount: orNull(f.amount), rate: orNull(f.rate) })) ??
      null,
    contractedFinanceCharges: loan.contractedFinanceCharges?.map((c) => ({ type: orNull(c.type), additionalInfo: orNull(c.additionalInfo), rate: orNull(c.rate) })) ?? null,
    warranties: loan.warranties?.map((w) => ({ currencyCode: orNull(w.currencyCode), type: orNull(w.type), subtype: orNull(w.subtype), amount: orNull(w.amount) })) ?? null,
    installments: loan.installments ? presentInstallments(loan.installments) : null,
    payments: loan.payments ? presentLoanPayments(loan.payments) : null,
    createdAt: loan.createdAt.toISOString(),
    updatedAt: loan.updatedAt.toISOString(),
  }
}

/** A statement with its signed download link (made by the caller, who knows the server's address). */
export function presentAccountStatement(statement: AccountStatementRow, url: string): AccountStatement {
  return { id: statement.id, monthYear: statement.month, url }
}

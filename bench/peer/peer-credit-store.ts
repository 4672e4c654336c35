import type pg from 'pg'
import type { CollectedAccount, CollectedAccountStatement, CollectedLoan } from '../../src/connectors/sdk/index.ts'
import type { PeerExecution } from './peer-store.ts'

/**
 * The peer's merge of the credit products an execution of `user-ok` also collects: its cards'
 * bills, its loans and its accounts' monthly statements, upserted by the institution's ids as
 * Tributary's merge does (an unchanged row is not touched), in the caller's transaction.
 */

/** Upserts the cards' bills; returns each bill's id by the institution's bill id, for the transactions that name it. */
export async function mergePeerBills(
  tx: pg.PoolClient,
  execution: PeerExecution,
  cards: readonly CollectedAccount[],
  accountId: ReadonlyMap<string, string>,
  at: string,
): Promise<Map<string, string>> {
  const bills = cards.flatMap((card) =>
    (card.bills ?? []).map((b) => ({
      account_id: accountId.get(card.providerId),
      provider_id: b.providerId,
      due_date: b.dueDate,
      closing_date: b.billClosingDate ?? null,
      total_amount: b.totalAmount,
      currency_code: b.totalAmountCurrencyCode,
      minimum_payment_amount: b.minimumPaymentAmount ?? null,
      allows_installments: b.allowsInstallments ?? null,
      finance_charges: b.financeCharges ?? [],
      payments: b.payments ?? [],
    })),
  )
  if (bills.length === 0) return new Map()
  const { rows } = await tx.query<{ id: string; provider_id: string }>(
    `with written as (
       insert into credit_card_bills as t (client_id, item_id, account_id, provider_id, due_date, closing_date, total_amount, total_amount_currency_code,
         minimum_payment_amount, allows_installments, finance_charges, payments, created_at, updated_at)
       select $2, $1, b.account_id, b.provider_id, b.due_date, b.closing_date, b.total_amount, b.currency_code, b.minimum_payment_amount, b.allows_installments,
         b.finance_charges, b.payments, $3, $3
       from jsonb_to_recordset($4::jsonb) as b(account_id uuid, provider_id text, due_date timestamptz, closing_date timestamptz, total_amount numeric, currency_code text,
         minimum_payment_amount numeric, allows_installments boolean, finance_charges jsonb, payments jsonb)
       on conflict (account_id, provider_id) do update set due_date = excluded.due_date, closing_date = excluded.closing_date, total_amount = excluded.total_amount,
         total_amount_currency_code = excluded.total_amount_currency_code, minimum_payment_amount = excluded.minimum_payment_amount,
         allows_installments = excluded.allows_installments, finance_charges = excluded.finance_charges, payments = excluded.payments, updated_at = excluded.updated_at
       where (t.due_date, t.closing_date, t.total_amount, t.minimum_payment_amount, t.finance_charges, t.payments)
         is distinct from (excluded.due_date, excluded.closing_date, excluded.total_amount, excluded.minimum_payment_amount, excluded.finance_charges, excluded.payments)
       returning t.id, t.provider_id
     )
     -- Unchanged bills are not written, but their transactions still name them.
     select id, provider_id from written
     union all
     select b.id, b.provider_id from credit_card_bills b where b.account_id = any($5::uuid[]) and b.provider_id not in (select provider_id from written)`,
    [execution.itemId, execution.clientId, at, JSON.stringify(bills), [...new Set(bills.map((b) => b.account_id))]],
  )
  return new Map(rows.map((r) => [r.provider_id, r.id]))
}

/** Upserts the loans: scalar fields as columns, the nested lists as JSON, as Tributary stores them. */
export async function mergePeerLoans(tx: pg.PoolClient, execution: PeerExecution, loans: readonly CollectedLoan[], at: string): Promise<void> {
  if (loans.length === 0) return
  await tx.query(
    `insert into loans as t (item_id, client_id, provider_id, contract_number, ipoc_code, product_name, type, kind, date, contract_date, disbursement_dates,
       settlement_date, contract_amount, currency_code, due_date, installment_periodicity, installment_periodicity_additional_info, first_installment_due_date,
       cet, amortization_scheduled, amortization_scheduled_additional_info, cnpj_consignee, interest_rates, contracted_fees, contracted_finance_charges,
       warranties, installments, payments, created_at, updated_at)
     select $1, $2, l."providerId", l."contractNumber", l."ipocCode", l."productName", l.type, l.kind, l.date, l."contractDate", l."disbursementDates",
       l."settlementDate", l."contractAmount", l."currencyCode", l."dueDate", l."installmentPeriodicity", l."installmentPeriodicityAdditionalInfo",
       l."firstInstallmentDueDate", l."CET", l."amortizationScheduled", l."amortizationScheduledAdditionalInfo", l."cnpjConsignee", l."interestRates",
       l."contractedFees", l."contractedFinanceCharges", l.warranties, l.installments, l.payments, $3, $3
     from jsonb_to_recordset($4::jsonb) as l("providerId" text, "contractNumber" text, "ipocCode" text, "productName" text, type text, kind text, date timestamptz,
       "contractDate" timestamptz, "disbursementDates" jsonb, "settlementDate" timestamptz, "contractAmount" numeric, "currencyCode" text, "dueDate" timestamptz,
       "installmentPeriodicity" text, "installmentPeriodicityAdditionalInfo" text, "firstInstallmentDueDate" timestamptz, "CET" numeric,
       "amortizationScheduled" text, "amortizationScheduledAdditionalInfo" text, "cnpjConsignee" text, "interestRates" jsonb, "contractedFees" jsonb,
       "contractedFinanceCharges" jsonb, warranties jsonb, installments jsonb, payments jsonb)
     on conflict (item_id, provider_id) do update set contract_number = excluded.contract_number, product_name = excluded.product_name, type = excluded.type,
       kind = excluded.kind, date = excluded.date, contract_amount = excluded.contract_amount, due_date = excluded.due_date, cet = excluded.cet,
       interest_rates = excluded.interest_rates, contracted_fees = excluded.contracted_fees, contracted_finance_charges = excluded.contracted_finance_charges,
       warranties = excluded.warranties, installments = excluded.installments, payments = excluded.payments, updated_at = excluded.updated_at
     where (t.date, t.contract_amount, t.due_date, t.installments, t.payments) is distinct from (excluded.date, excluded.contract_amount, excluded.due_date, excluded.installments, excluded.payments)`,
    [execution.itemId, execution.clientId, at, JSON.stringify(loans)],
  )
}

/** Upserts the accounts' monthly statements, one per account and month (the sandbox gives no PDF of its own). */
export async function mergePeerStatements(
  tx: pg.PoolClient,
  execution: PeerExecution,
  statements: readonly CollectedAccountStatement[],
  accountId: ReadonlyMap<string, string>,
  at: string,
): Promise<void> {
  if (statements.length === 0) return
  await tx.query(
    `insert into account_statements (client_id, item_id, account_id, month, created_at, updated_at)
     select $2, $1, s.account_id, s.month, $3, $3
     from jsonb_to_recordset($4::jsonb) as s(account_id uuid, month date)
     on conflict (account_id, month) do nothing`,
    [execution.itemId, execution.clientId, at, JSON.stringify(statements.map((s) => ({ account_id: accountId.get(s.accountProviderId), month: `${s.month}-01` })))],
  )
}

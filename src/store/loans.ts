import type { CollectedLoan } from '../connectors/sdk/index.ts'
import type { UpsertedRow } from './accounts.ts'
import type { Queryable } from './database.ts'
import { scopedRowsJson, type ItemRows } from './item-scope.ts'

type Nested = Pick<CollectedLoan, 'interestRates' | 'contractedFees' | 'contractedFinanceCharges' | 'warranties' | 'installments' | 'payments'>

export interface LoanRow {
  id: string
  itemId: string
  contractNumber: string | null
  ipocCode: string | null
  productName: string
  type: string | null
  kind: CollectedLoan['kind']
  date: Date | null
  contractDate: Date | null
  /** ISO instants. */
  disbursementDates: string[] | null
  settlementDate: Date | null
  contractAmount: number | null
  currencyCode: string
  dueDate: Date | null
  installmentPeriodicity: CollectedLoan['installmentPeriodicity'] | null
  installmentPeriodicityAdditionalInfo: string | null
  firstInstallmentDueDate: Date | null
  CET: number | null
  amortizationScheduled: CollectedLoan['amortizationScheduled'] | null
  amortizationScheduledAdditionalInfo: string | null
  cnpjConsignee: string | null
  interestRates: NonNullable<Nested['interestRates']> | null
  contractedFees: NonNullable<Nested['contractedFees']> | null
  contractedFinanceCharges: NonNullable<Nested['contractedFinanceCharges']> | null
  warranties: NonNullable<Nested['warranties']> | null
  installments: NonNullable<Nested['installments']> | null
  payments: NonNullable<Nested['payments']> | null
  createdAt: Date
  updatedAt: Date
}

const COLUMNS = `
  l.id, l.item_id as "itemId", l.contract_number as "contractNumber", l.ipoc_code as "ipocCode", l.product_name as "productName",
  l.type, l.kind, l.date, l.contract_date as "contractDate", l.disbursement_dates as "disbursementDates",
  l.settlement_date as "settlementDate", l.contract_amount::float8 as "contractAmount", l.currency_code as "currencyCode",
  l.due_date as "dueDate", l.installment_periodicity as "installmentPeriodicity",
  l.installment_periodicity_additional_info as "installmentPeriodicityAdditionalInfo",
  l.first_installment_due_date as "firstInstallmentDueDate", l.cet::float8 as "CET",
  l.amortization_scheduled as "amortizationScheduled", l.amortization_scheduled_additional_info as "amortizationScheduledAdditionalInfo",
  l.cnpj_consignee as "cnpjConsignee", l.interest_rates as "interestRates", l.contracted_fees as "contractedFees",
  l.contracted_finance_charges as "contractedFinanceCharges", l.warranties, l.installments, l.payments,
  l.created_at as "createdAt", l.updated_at as "updatedAt"`

/**
 * Inserts or updates the loans of one or more items in one statement, matched on the
 * institution's id so that each keeps its id; an unchanged loan is not touched. Loans the
 * institution stops reporting are kept as last seen (a settled contract is still history).
 * Dates must be ISO instants (the merge normalises them).
 */
export async function upsertLoans(db: Queryable, items: readonly ItemRows<CollectedLoan>[]): Promise<UpsertedRow[]> {
  if (!items.some((i) => i.rows.length > 0)) return []
  const { rows } = await db.query<UpsertedRow>(
    `insert into loans as t (item_id, client_id, provider_id, contract_number, ipoc_code, product_name, type, kind, date,
       contract_date, disbursement_dates, settlement_date, contract_amount, currency_code, due_date, installment_periodicity,
       installment_periodicity_additional_info, first_installment_due_date, cet, amortization_scheduled,
       amortization_scheduled_additional_info, cnpj_consignee, interest_rates, contracted_fees, contracted_finance_charges,
       warranties, installments, payments, created_at, updated_at)
     select l.item_id, l.client_id, l."providerId", l."contractNumber", l."ipocCode", l."productName", l.type, l.kind, l.date,
       l."contractDate", l."disbursementDates", l."settlementDate", l."contractAmount", l."currencyCode", l."dueDate",
       l."installmentPeriodicity", l."installmentPeriodicityAdditionalInfo", l."firstInstallmentDueDate", l."CET",
       l."amortizationScheduled", l."amortizationScheduledAdditionalInfo", l."cnpjConsignee", l."interestRates",
       l."contractedFees", l."contractedFinanceCharges", l.warranties, l.installments, l.payments, l.at, l.at
     from jsonb_to_recordset($1::jsonb) as l(item_id uuid, client_id text, at timestamptz, "providerId" text, "contractNumber" text,
       "ipocCode" text, "productName" text, type text, kind text, date timestamptz, "contractDate" timestamptz,
       "disbursementDates" jsonb, "settlementDate" timestamptz, "contractAmount" numeric, "currencyCode" text, "dueDate" timestamptz,
       "installmentPeriodicity" text, "installmentPeriodicityAdditionalInfo" text, "firstInstallmentDueDate" timestamptz,
       "CET" numeric, "amortizationScheduled" text, "amortizationScheduledAdditionalInfo" text, "cnpjConsignee" text,
       "interestRates" jsonb, "contractedFees" jsonb, "contractedFinanceCharges" jsonb, warranties jsonb, installments jsonb, payments jsonb)
     on conflict (item_id, provider_id) do update set contract_number = excluded.contract_number, ipoc_code = excluded.ipoc_code,
       product_name = excluded.product_name, type = excluded.type, kind = excluded.kind, date = excluded.date,
       contract_date = excluded.contract_date, disbursement_dates = excluded.disbursement_dates,
       settlement_date = excluded.settlement_date, contract_amount = excluded.contract_amount,
       currency_code = excluded.currency_code, due_date = excluded.due_date,
       installment_periodicity = excluded.installment_periodicity,
       installment_periodicity_additional_info = excluded.installment_periodicity_additional_info,
       first_installment_due_date = excluded.first_installment_due_date, cet = excluded.cet,
       amortization_scheduled = excluded.amortization_scheduled,
       amortization_scheduled_additional_info = excluded.amortization_scheduled_additional_info,
       cnpj_consignee = excluded.cnpj_consignee, interest_rates = excluded.interest_rates,
       contracted_fees = excluded.contracted_fees, contracted_finance_charges = excluded.contracted_finance_charges,
       warranties = excluded.warranties, installments = excluded.installments, payments = excluded.payments,
       updated_at = excluded.updated_at
     where (t.contract_number, t.ipoc_code, t.product_name, t.type, t.kind, t.date, t.contract_date, t.disbursement_dates,
            t.settlement_date, t.contract_amount, t.currency_code, t.due_date, t.installment_periodicity,
            t.installment_periodicity_additional_info, t.first_installment_due_date, t.cet, t.amortization_scheduled,
            t.amortization_scheduled_additional_info, t.cnpj_consignee, t.interest_rates, t.contracted_fees,
            t.contracted_finance_charges, t.warranties, t.installments, t.payments)
       is distinct from (excluded.contract_number, excluded.ipoc_code, excluded.product_name, excluded.type, excluded.kind,
            excluded.date, excluded.contract_date, excluded.disbursement_dates, excluded.settlement_date, excluded.contract_amount,
            excluded.currency_code, excluded.due_date, excluded.installment_periodicity,
            excluded.installment_periodicity_additional_info, excluded.first_installment_due_date, excluded.cet,
            excluded.amortization_scheduled, excluded.amortization_scheduled_additional_info, excluded.cnpj_consignee,
            excluded.interest_rates, excluded.contracted_fees, excluded.contracted_finance_charges, excluded.warranties,
            excluded.installments, excluded.payments)
     returning t.id, t.item_id as "itemId", t.provider_id as "providerId", (t.xmax = '0') as created`,
    [scopedRowsJson(items)],
  )
  return rows
}

/** A client's loan; another client's is indistinguishable from a missing one. */
export async function findLoan(db: Queryable, clientId: string, id: string): Promise<LoanRow | undefined> {
  const { rows } = await db.query<LoanRow>(`select ${COLUMNS} from loans l where l.id = $1 and l.client_id = $2`, [id, clientId])
  return rows[0]
}

/** A page of an item's loans, most recently contracted first, with the total. */
export async function listLoans(db: Queryable, clientId: string, filter: { itemId: string; limit: number; offset: number }): Promise<{ rows: LoanRow[]; total: number }> {
  // The count rides on a row of its own (left join), so a page past the end still knows the total.
  const { rows } = await db.query<LoanRow & { total: number }>(
    `select p.*, c.total
     from (select count(*)::int as total from loans l where l.item_id = $2 and l.client_id = $1) c
     left join lateral (
       select ${COLUMNS} from loans l
       where l.item_id = $2 and l.client_id = $1
       order by l.contract_date desc nulls last, l.provider_id
       limit $3 offset $4
     ) p on true`,
    [clientId, filter.itemId, filter.limit, filter.offset],
  )
  return { rows: rows.filter((r) => r.id !== null), total: rows[0]?.total ?? 0 }
}

-- Loans and financings (LOANS), as the reference's Loan type: scalar fields as columns, the
-- nested lists as the API serves them. A loan keeps its id across executions (found again by
-- the institution's id) and is never deleted by a merge: a settled contract is still history.
create table loans (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references items (id) on delete cascade,
  client_id text not null,
  provider_id text not null,
  contract_number text,
  ipoc_code text,
  product_name text not null,
  type text,
  kind text not null,
  date timestamptz,
  contract_date timestamptz,
  disbursement_dates jsonb,
  settlement_date timestamptz,
  contract_amount numeric,
  currency_code text not null,
  due_date timestamptz,
  installment_periodicity text,
  installment_periodicity_additional_info text,
  first_installment_due_date timestamptz,
  cet numeric,
  amortization_scheduled text,
  amortization_scheduled_additional_info text,
  cnpj_consignee text,
  interest_rates jsonb,
  contracted_fees jsonb,
  contracted_finance_charges jsonb,
  warranties jsonb,
  installments jsonb,
  payments jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (item_id, provider_id)
);
create index loans_client_item on loans (client_id, item_id);

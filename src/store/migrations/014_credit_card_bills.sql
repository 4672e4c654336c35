-- Credit-card bills (faturas), collected with the credit-card accounts (SPEC §7.4). A bill keeps
-- its id across executions: it is found again by the institution's id within its account.
create table credit_card_bills (
  id uuid primary key default gen_random_uuid(),
  client_id text not null,
  item_id uuid not null,
  account_id uuid not null,
  provider_id text not null,
  due_date timestamptz not null,
  closing_date timestamptz,
  total_amount numeric not null,
  total_amount_currency_code text not null,
  minimum_payment_amount numeric,
  allows_installments boolean,
  -- The bill's finance charges [{ id, type, amount, currencyCode, additionalInfo }] and payments
  -- [{ id, valueType, paymentDate, paymentMode, amount, currencyCode }] as the API serves them.
  -- Each element's id is derived from the item, the bill and the element's own identity
  -- (src/engine/merge/stable-id.ts), so it stays the same across executions.
  finance_charges jsonb not null default '[]',
  payments jsonb not null default '[]',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  foreign key (account_id, item_id) references accounts (id, item_id) on delete cascade,
  unique (account_id, provider_id)
);
-- GET /bills?accountId= (newest first) and the cascade from accounts.
create index credit_card_bills_account_due on credit_card_bills (account_id, due_date desc, id);

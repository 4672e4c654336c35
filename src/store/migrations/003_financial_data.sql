-- Financial data collected by executions (SPEC §3.4) and merged by the MERGING step (SPEC §2.8).
-- Every table carries client_id (every read filters on it) and item_id. Child rows name their
-- parent together with its item — (account_id, item_id), (investment_id, item_id) — so a child
-- can never point at another item's parent, and deleting an item cascades through its accounts
-- and investments with index lookups only.

alter table accounts add constraint accounts_id_item unique (id, item_id);

create table transactions (
  id uuid primary key default gen_random_uuid(),
  -- Cursor order of GET /v2/transactions: assigned once at insert and never changed, so a reader
  -- walking in seq order neither repeats a row that a later merge updates nor skips one it inserts.
  seq bigserial not null,
  client_id text not null,
  item_id uuid not null,
  account_id uuid not null,
  -- A transaction's identity within its account: 'p:' || the connector's providerId when given,
  -- else 'f:' || <UTC day> || '|' || <fingerprint> || '#' || <n-th identical one that day>
  -- (src/domain/transaction-identity.ts). A fingerprint row whose exact key is not collected again
  -- may still be matched to a collected row with the same fingerprint up to 3 days away (a pending
  -- transaction that posts on a later day); the key then moves to the new day.
  match_key text not null,
  -- amount and normalised description, for that tolerant match; null when providerId is known.
  fingerprint text,
  -- Hashes of the content (all but payment data) and of the payment data, computed by the merge:
  -- unchanged rows are recognised without sending or comparing their content.
  content_hash text not null,
  payment_hash text,
  provider_id text,
  date timestamptz not null,
  description text not null,
  description_raw text,
  currency_code text not null,
  amount numeric not null,
  amount_in_account_currency numeric,
  balance numeric,
  category text,
  category_id text,
  provider_code text,
  status text not null,
  type text not null,
  payment_data jsonb,
  credit_card_metadata jsonb,
  merchant jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  foreign key (account_id, item_id) references accounts (id, item_id) on delete cascade,
  unique (account_id, match_key)
);
-- GET /v2/transactions (keyset on seq) and the cascade from accounts.
create index transactions_account_seq on transactions (account_id, seq);
-- GET /transactions (newest first) and the merge's deletion window.
create index transactions_account_date on transactions (account_id, date desc, seq desc);

create table investments (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references items (id) on delete cascade,
  client_id text not null,
  provider_id text not null,
  code text,
  isin text,
  name text not null,
  type text not null,
  subtype text,
  balance numeric not null,
  amount numeric,
  quantity numeric,
  value numeric,
  currency_code text not null,
  date timestamptz,
  due_date timestamptz,
  issuer text,
  rate numeric,
  rate_type text,
  status text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- a position keeps its id across executions: it is found again by the institution's id
  unique (item_id, provider_id),
  unique (id, item_id)
);
create index investments_client_item on investments (client_id, item_id);

create table investment_transactions (
  id uuid primary key default gen_random_uuid(),
  client_id text not null,
  item_id uuid not null,
  investment_id uuid not null,
  -- 'p:' || providerId, else a fingerprint of day, type, amount and description (exact day).
  match_key text not null,
  provider_id text,
  type text not null,
  movement_type text,
  quantity numeric,
  value numeric,
  amount numeric not null,
  net_amount numeric,
  date timestamptz not null,
  trade_date timestamptz,
  description text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  foreign key (investment_id, item_id) references investments (id, item_id) on delete cascade,
  unique (investment_id, match_key)
);
create index investment_transactions_investment_date on investment_transactions (investment_id, date desc, id);

-- At most one identity per item; it keeps its id across executions.
create table identities (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null unique references items (id) on delete cascade,
  client_id text not null,
  full_name text not null,
  document text,
  document_type text,
  tax_number text,
  birth_date timestamptz,
  job_title text,
  company_name text,
  emails jsonb not null default '[]',
  phone_numbers jsonb not null default '[]',
  addresses jsonb not null default '[]',
  relations jsonb not null default '[]',
  created_at timestamptz not null,
  updated_at timestamptz not null
);

create table opportunities (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references items (id) on delete cascade,
  client_id text not null,
  provider_id text not null,
  name text not null,
  description text,
  type text not null,
  interest_rate numeric,
  rate_type text,
  total_limit numeric,
  available_limit numeric,
  date timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (item_id, provider_id)
);

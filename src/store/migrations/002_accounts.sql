create table accounts (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references items (id) on delete cascade,
  client_id text not null,
  provider_id text not null,
  type text not null,
  subtype text not null,
  number text not null,
  name text not null,
  marketing_name text,
  balance numeric not null,
  currency_code text not null,
  owner text,
  tax_number text,
  bank_data jsonb,
  credit_data jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- an account keeps its id across executions: it is found again by the institution's id
  unique (item_id, provider_id)
);
create index accounts_client_item on accounts (client_id, item_id);

-- Payment requests, the bulk payments that group some of them, and the intents that pay them.
-- Statuses are the reference's (src/domain/payments/statuses.ts); every status write is guarded on
-- the status it expects.

create table bulk_payments (
  id uuid primary key,
  client_id text not null references clients (id),
  smart_account_id uuid not null references smart_accounts (id),
  status text not null,
  reference_id text,
  total_cents bigint not null check (total_cents > 0),
  fees_cents bigint not null default 0 check (fees_cents >= 0),
  callback_urls jsonb,
  intent_in_progress boolean not null default false,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index bulk_payments_client on bulk_payments (client_id, created_at desc, id);

create table payment_requests (
  id uuid primary key,
  client_id text not null references clients (id),
  -- ONE_OFF, SCHEDULED or AUTOMATIC_PIX (src/domain/payments/payment-request.ts)
  kind text not null,
  status text not null,
  -- each payment's amount; null for a Pix Automático authorization, whose payments carry theirs
  amount_cents bigint check (amount_cents > 0),
  description text,
  recipient_id uuid references payment_recipients (id),
  customer_id uuid references payment_customers (id) on delete set null,
  callback_urls jsonb,
  schedule jsonb,
  automatic_pix jsonb,
  scheduler_configuration jsonb,
  smart_account_id uuid references smart_accounts (id),
  bulk_payment_id uuid references bulk_payments (id) on delete set null,
  -- its place in its bulk payment's list, as the client gave it
  bulk_position integer,
  client_payment_id text,
  is_sandbox boolean not null,
  intent_in_progress boolean not null default false,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index payment_requests_client on payment_requests (client_id, created_at desc, id);
create index payment_requests_bulk on payment_requests (bulk_payment_id) where bulk_payment_id is not null;

create table payment_intents (
  id uuid primary key,
  client_id text not null references clients (id),
  payment_request_id uuid references payment_requests (id) on delete cascade,
  bulk_payment_id uuid references bulk_payments (id) on delete cascade,
  -- PAYMENT, SCHEDULE, AUTOMATIC_PIX or BULK_TOP_UP (src/domain/payments/payment-intent.ts)
  kind text not null,
  status text not null,
  amount_cents bigint not null check (amount_cents >= 0),
  connector_id integer,
  -- the payer's identification for the bank (cpf, cnpj), encrypted as credentials are
  parameters_enc text,
  consent_url text,
  consent_expires_at timestamptz,
  pix_data jsonb,
  error jsonb,
  finished_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((payment_request_id is null) <> (bulk_payment_id is null))
);
-- At most one intent in progress per request and per bulk payment, whatever the timing.
create unique index payment_intents_one_running_per_request on payment_intents (payment_request_id) where finished_at is null and payment_request_id is not null;
create unique index payment_intents_one_running_per_bulk on payment_intents (bulk_payment_id) where finished_at is null and bulk_payment_id is not null;
create index payment_intents_client on payment_intents (client_id, created_at desc, id);
create index payment_intents_request on payment_intents (payment_request_id, created_at desc);

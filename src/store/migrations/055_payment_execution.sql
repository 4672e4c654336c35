-- What the engine keeps to execute payments: the durable timers of the payment lifecycles, what the
-- payer's bank knows each payment by, and the sandbox payer bank's ledger.

-- A CHECK_AT effect: wake `subject` at `due_at` (on the engine's clock) to check `check_name`. The key
-- makes arming the same check again a no-op; `fired_at` is set when its job is queued.
create table payment_checks (
  subject_kind text not null,
  subject_id uuid not null,
  check_name text not null,
  due_at timestamptz not null,
  client_id text not null references clients (id) on delete cascade,
  fired_at timestamptz,
  created_at timestamptz not null,
  primary key (subject_kind, subject_id, check_name, due_at)
);
create index payment_checks_due on payment_checks (due_at) where fired_at is null;

-- The payer's bank's ids for an intent or a smart-transfer payment: its consent, its payment and
-- the payer's account there (never the payer's CPF/CNPJ, which stays encrypted on the intent).
create table payment_bank_links (
  subject_kind text not null,
  subject_id uuid not null,
  client_id text not null references clients (id) on delete cascade,
  connector_id integer not null,
  consent_id text,
  payment_id text,
  debtor_account_id text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (subject_kind, subject_id)
);

-- Money moved by MOVE_FUNDS effects, once per leg: the unique key turns a replayed step into a
-- no-op. `account_id` is the payer's account at their bank (a debit) or the recipient (a credit).
create table payment_fund_movements (
  id uuid primary key,
  client_id text not null references clients (id) on delete cascade,
  subject_kind text not null,
  subject_id uuid not null,
  movement text not null,
  -- the request a bulk payment pays, or '' for the subject's own payment
  leg text not null default '',
  connector_id integer,
  account_id text not null,
  amount_cents bigint not null check (amount_cents > 0),
  at timestamptz not null,
  unique (subject_kind, subject_id, movement, leg)
);
create index payment_fund_movements_account on payment_fund_movements (connector_id, account_id, at);

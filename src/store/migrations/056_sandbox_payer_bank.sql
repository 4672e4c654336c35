-- The sandbox payer bank's own records: the payment consents payers answer on its page and the Pix
-- payments made under them. Kept in the database so that an engine that restarts on the same data
-- finds the consents still waiting for their payer and the payments still settling. Times are on
-- the engine's clock: a delayed settlement is computed from `created_at`.

-- `reference` is what the connector opened the consent for (an intent, a schedule, a mandate): the
-- same reference answers the same consent.
create table sandbox_payer_consents (
  id text primary key,
  reference text not null unique,
  request jsonb not null,
  account_id text not null,
  scenario text not null,
  status text not null,
  csrf text not null,
  created_at timestamptz not null
);

-- `reference` is the connector's for one payment attempt: the same reference answers the same payment.
create table sandbox_payer_payments (
  id text primary key,
  consent_id text not null references sandbox_payer_consents (id) on delete cascade,
  reference text not null unique,
  amount_cents bigint not null,
  scenario text not null,
  rejection jsonb,
  second_approval boolean not null default false,
  created_at timestamptz not null
);
create index sandbox_payer_payments_consent on sandbox_payer_payments (consent_id);

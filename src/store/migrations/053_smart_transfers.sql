-- Smart transfers: a standing preauthorization to move money to recipients of the payer's own, and
-- the transfers made under it.

create table smart_transfer_preauthorizations (
  id uuid primary key,
  client_id text not null references clients (id),
  connector_id integer not null,
  status text not null,
  consent_url text not null,
  consent_expires_at timestamptz not null,
  client_preauthorization_id text,
  callback_urls jsonb,
  -- the payer's identification for the bank, encrypted as credentials are
  parameters_enc text not null,
  error jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index smart_transfer_preauthorizations_client on smart_transfer_preauthorizations (client_id, created_at desc, id);

create table smart_transfer_preauthorization_recipients (
  preauthorization_id uuid not null references smart_transfer_preauthorizations (id) on delete cascade,
  recipient_id uuid not null references payment_recipients (id),
  position integer not null,
  primary key (preauthorization_id, recipient_id)
);

create table smart_transfer_payments (
  id uuid primary key,
  client_id text not null references clients (id),
  preauthorization_id uuid not null references smart_transfer_preauthorizations (id) on delete cascade,
  recipient_id uuid not null references payment_recipients (id),
  status text not null,
  amount_cents bigint not null check (amount_cents > 0),
  description text,
  client_payment_id text,
  error jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index smart_transfer_payments_client on smart_transfer_payments (client_id, created_at desc, id);

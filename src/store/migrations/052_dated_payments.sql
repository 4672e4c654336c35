-- Payments that settle on a date: the payments of a scheduled request (Pix Agendado) and the
-- payments under a Pix Automático authorization.

create table scheduled_payments (
  id uuid primary key,
  client_id text not null references clients (id),
  payment_request_id uuid not null references payment_requests (id) on delete cascade,
  -- the day it settles, in Brasília
  scheduled_date date not null,
  status text not null,
  description text not null,
  amount_cents bigint not null check (amount_cents > 0),
  error jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (payment_request_id, scheduled_date)
);
create index scheduled_payments_due on scheduled_payments (scheduled_date) where status = 'SCHEDULED';

create table automatic_pix_payments (
  id uuid primary key,
  client_id text not null references clients (id),
  payment_request_id uuid not null references payment_requests (id) on delete cascade,
  status text not null,
  amount_cents bigint not null check (amount_cents > 0),
  description text,
  date date not null,
  -- the date first scheduled: retries stay within a window from it
  original_date date not null,
  retries integer not null default 0,
  -- the authorization's first payment, outside its intervals and amount limits
  is_first_payment boolean not null default false,
  end_to_end_id text,
  error jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index automatic_pix_payments_request on automatic_pix_payments (payment_request_id, date);
create index automatic_pix_payments_due on automatic_pix_payments (date) where status = 'SCHEDULED';

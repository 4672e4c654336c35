-- Clients (tenants): every other row belongs to exactly one.
create table clients (
  id text primary key,
  secret_enc text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

create table items (
  id uuid primary key,
  client_id text not null references clients (id),
  connector_id integer not null,
  -- lifecycle (SPEC §2): status and executionStatus always change together
  status text not null,
  execution_status text not null,
  error jsonb,
  parameter jsonb,
  user_action jsonb,
  status_detail jsonb,
  consecutive_failed_login_attempts integer not null default 0,
  consecutive_failed_executions integer not null default 0,
  current_execution_id uuid,
  -- credentials: encrypted envelope, and a keyed hash to compare without decrypting
  credentials_enc text not null,
  credentials_hash text not null,
  -- keyed hash of the 1-step MFA value the last execution used (refuse a repeat)
  last_mfa_hash text,
  -- keyed hash of the credentials the last LOGIN_ERROR rejected, and when
  rejected_credentials_hash text,
  last_login_error_at timestamptz,
  device_trusted boolean not null default false,
  auth_pending_since timestamptz,
  auth_pending_executions integer not null default 0,
  webhook_url text,
  client_user_id text,
  products text[],
  auto_sync_disabled boolean not null default false,
  next_auto_sync_at timestamptz,
  created_by_token text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  last_updated_at timestamptz
);
create index items_client_created on items (client_id, created_at desc, id);
create index items_client_user on items (client_id, client_user_id);
create index items_next_auto_sync on items (next_auto_sync_at) where next_auto_sync_at is not null;

create table executions (
  id uuid primary key,
  item_id uuid not null references items (id) on delete cascade,
  client_id text not null,
  status text not null,
  triggered_by text not null,
  error jsonb,
  -- the timeline: [{ status, startedAt, finishedAt }], one entry per status passed through
  steps jsonb not null,
  products text[] not null,
  failed_products text[] not null default '{}',
  warnings jsonb not null default '{}',
  -- the 2-step MFA value posted by the user, encrypted, until the execution reads it
  mfa_value_enc text,
  mfa_answered boolean not null default false,
  worker_id text,
  heartbeat_at timestamptz,
  attempt integer not null default 0,
  deadline_at timestamptz not null,
  created_at timestamptz not null,
  finished_at timestamptz
);
-- At most one execution in progress per item, whatever the timing of concurrent requests.
create unique index executions_one_running_per_item on executions (item_id) where finished_at is null;
create index executions_item_created on executions (item_id, created_at desc);
create index executions_running on executions (heartbeat_at) where finished_at is null;

-- The outbox: each event is written in the same transaction as the change it reports.
create table events (
  seq bigserial primary key,
  id uuid not null unique,
  client_id text not null,
  item_id uuid,
  type text not null,
  payload jsonb not null,
  created_at timestamptz not null
);
create index events_client_seq on events (client_id, seq);
create index events_item_seq on events (item_id, seq);

create table webhooks (
  id uuid primary key,
  client_id text not null references clients (id),
  event text not null,
  url text not null,
  headers jsonb not null default '{}',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  disabled_at timestamptz
);
create index webhooks_client_event on webhooks (client_id, event);

-- One row per (event, target): the registered webhooks matching the event, and the item's own webhookUrl.
create table webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  client_id text not null,
  event_seq bigint not null references events (seq) on delete cascade,
  event_id uuid not null,
  event_type text not null,
  item_id uuid,
  webhook_id uuid references webhooks (id) on delete set null,
  url text not null,
  headers jsonb not null default '{}',
  -- PENDING until a 2xx answer (DELIVERED) or the last attempt failed (FAILED)
  status text not null default 'PENDING',
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  -- held by a sender until then (a sender that dies releases it by letting it expire)
  locked_until timestamptz,
  last_response_code integer,
  last_error text,
  last_latency_ms integer,
  created_at timestamptz not null,
  delivered_at timestamptz,
  unique (event_seq, url)
);
-- Deliveries of one item to one URL go out in event order: the oldest pending one goes first.
create index webhook_deliveries_pending on webhook_deliveries (item_id, url, event_seq) where status = 'PENDING';
create index webhook_deliveries_client on webhook_deliveries (client_id, created_at desc);

create table webhook_delivery_attempts (
  delivery_id uuid not null references webhook_deliveries (id) on delete cascade,
  attempt integer not null,
  attempted_at timestamptz not null,
  response_code integer,
  latency_ms integer not null,
  error text,
  primary key (delivery_id, attempt)
);

-- Idempotency of the creating calls: a key the client sends with a creating call is claimed in the
-- transaction that creates the resource, with a hash of the request's body. The same key with the
-- same body answers the same resource; with another body, a conflict.
create table payment_idempotency_keys (
  client_id text not null references clients (id),
  operation text not null,
  key text not null,
  request_hash text not null,
  resource_id uuid not null,
  created_at timestamptz not null,
  primary key (client_id, operation, key)
);

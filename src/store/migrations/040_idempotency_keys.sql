-- Idempotency keys of the API's state-changing calls (docs/operations.md): a key is claimed before
-- the call does its work and holds the answer once it is given, so the same call sent again with
-- the same key (a client whose answer was lost) gets the first answer instead of a second change,
-- whichever API process it reaches.
create table idempotency_keys (
  client_id text not null,
  key text not null,
  -- sha256 of the method, the route, its parameters and the body: the same key with another request is a conflict.
  fingerprint text not null,
  status_code integer,
  answer jsonb,
  created_at timestamptz not null,
  primary key (client_id, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);

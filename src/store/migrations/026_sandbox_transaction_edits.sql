-- The sandbox control API's transaction edits (SPEC §7.6): what happened at a sandbox institution
-- to an item's transactions beyond its own data — added, changed, posted, restated under a new
-- id, removed. The institution applies them, in order, on every later execution. Gone with the item.
create table sandbox_transaction_edits (
  seq bigint generated always as identity primary key,
  id uuid not null unique,
  item_id uuid not null references items (id) on delete cascade,
  client_id text not null references clients (id),
  -- { kind, providerId, … } (domain/sandbox-control.ts, TransactionEdit)
  edit jsonb not null,
  created_at timestamptz not null
);
create index sandbox_transaction_edits_item on sandbox_transaction_edits (item_id, seq);

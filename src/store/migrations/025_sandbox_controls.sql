-- The sandbox control API (SPEC §7.6): what an application asked a sandbox institution to do with
-- one of its items. Durable, so an instruction survives a restart and reaches the worker that runs
-- the execution wherever it runs. Gone with the item.
create table sandbox_item_controls (
  item_id uuid primary key references items (id) on delete cascade,
  client_id text not null references clients (id),
  -- { executionStatus, failingProducts, providerMessage } or null
  outcome jsonb,
  outcome_once boolean not null default true,
  -- the execution that took a once outcome: it applies to that execution (and its takeovers) only
  outcome_taken_by uuid,
  outcome_set_at timestamptz,
  -- a fingerprint of the credentials ciphertext the login was reset for (never the credentials)
  login_reset_for text,
  login_reset_at timestamptz
);

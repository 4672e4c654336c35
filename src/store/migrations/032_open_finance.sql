-- Open Finance (docs/open-finance.md).

-- One authorization at the institution's page per waiting execution. The `state` sent to the
-- institution is never stored: only its SHA-256, which the callback looks up (single-use: `used_at`).
create table user_authorizations (
  execution_id uuid primary key references executions (id) on delete cascade,
  item_id uuid not null references items (id) on delete cascade,
  state_hash text not null unique,
  -- encrypted { codeVerifier, nonce, redirectUri, url }: what the connector gets back with the return
  secret_enc text not null,
  expires_at timestamptz not null,
  -- encrypted query parameters of the return, until the execution takes them
  callback_enc text,
  used_at timestamptz,
  created_at timestamptz not null
);
create index user_authorizations_item on user_authorizations (item_id);

-- The item's own secrets (tokens an institution issued), encrypted like its credentials; where the
-- user goes back to after the institution's page; and the current consent's expiry.
alter table items add column secrets_enc text;
alter table items add column oauth_redirect_uri text;
alter table items add column consent_expires_at timestamptz;

-- Consents the institutions granted (the reference's Consent).
create table consents (
  id uuid primary key,
  item_id uuid not null references items (id) on delete cascade,
  client_id text not null,
  external_id text not null,
  products text[] not null,
  permissions text[] not null,
  created_at timestamptz not null,
  expires_at timestamptz,
  revoked_at timestamptz,
  -- when the expiry warning (item/consent_expiring) was written, so it is written once
  expiry_warned_at timestamptz,
  unique (item_id, external_id)
);
create index consents_item_created on consents (item_id, created_at desc, id);
create index consents_expiring on consents (expires_at) where revoked_at is null and expiry_warned_at is null and expires_at is not null;

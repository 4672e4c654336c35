-- Sandbox institution outages (SPEC §7.6): a client put a sandbox connector in an outage mode for
-- its own items, until it clears it.
create table sandbox_outages (
  client_id text not null references clients (id),
  connector_id integer not null,
  -- SLOW, FAILING, SITE_NOT_AVAILABLE or OFFLINE (domain/sandbox-control.ts)
  mode text not null,
  -- SLOW: how long every step takes on top of TRIBUTARY_SANDBOX_DELAY_MS
  delay_ms integer not null default 0,
  created_at timestamptz not null,
  primary key (client_id, connector_id)
);

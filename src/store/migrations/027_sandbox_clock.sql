-- The per-client sandbox clock (SPEC §7.6): each time a client moved its sandbox time forward.
-- A sandbox institution sees an instant t of the engine's clock as t plus every advance the client
-- made up to t, so what happened before an advance keeps the date it had.
create table sandbox_clock_advances (
  seq bigint generated always as identity primary key,
  client_id text not null references clients (id),
  at timestamptz not null,
  seconds bigint not null check (seconds > 0)
);
create index sandbox_clock_advances_client on sandbox_clock_advances (client_id, seq);

-- A connector's health (SPEC §3.3 `health.status`), measured from its recent executions; a change
-- is written in the transaction of its `connector/status_updated` events. No row: ONLINE.
create table connector_health (
  connector_id integer primary key,
  status text not null,
  changed_at timestamptz not null
);

-- The health sweep reads the executions that finished in its window.
create index executions_finished_at on executions (finished_at) where finished_at is not null;

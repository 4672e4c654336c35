-- The client's event feed (GET /events) reads in the order of the writing transactions' ids, and
-- only below the oldest transaction still in flight (pg_snapshot_xmin): a reader can then never
-- move past an event whose transaction has yet to commit. Events written before this migration
-- share its transaction id and keep their order by seq.
alter table events add column tx xid8 not null default pg_current_xact_id();
drop index events_client_seq;
create index events_client_tx on events (client_id, tx, seq) where type <> 'item/status';

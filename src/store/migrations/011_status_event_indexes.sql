-- item/status events are most of the outbox (one for every status an execution reaches) and are
-- read by item only, for the live stream: never by client (GET /events leaves them out) nor by
-- id. The client index and the uniqueness of ids cover the other events only, so that each
-- status event costs two index entries (seq, item) rather than four.
drop index events_client_seq;
create index events_client_seq on events (client_id, seq) where type <> 'item/status';
alter table events drop constraint events_id_key;
create unique index events_id on events (id) where type <> 'item/status';

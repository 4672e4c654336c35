-- The connector-health sweep reads each connector's latest finished executions, and
-- GET /connectors?healthDetails=true one client's of the last six hours. With the connector on
-- the execution, each is an index range: neither reads every execution finished in the window
-- (with a million items synced daily, a quarter of a million), as the sweep did every minute on
-- every worker.
alter table executions add column connector_id integer;
update executions e set connector_id = i.connector_id from items i where i.id = e.item_id;
alter table executions alter column connector_id set not null;

drop index executions_finished_at;
create index executions_connector_finished on executions (connector_id, finished_at desc) where finished_at is not null;
create index executions_client_finished on executions (client_id, finished_at) where finished_at is not null;

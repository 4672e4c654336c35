-- How many executions each item has had, its current one included. Connectors read it
-- (ctx.item.executions): the sandbox institutions make their data move with it, so that every
-- sync of an item sees new movements even when no day has passed.
alter table items add column executions_started integer not null default 0;
update items i set executions_started = (select count(*) from executions e where e.item_id = i.id);

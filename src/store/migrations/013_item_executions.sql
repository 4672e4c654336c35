-- The item's own history, for connectors (ctx.item): how many executions it has had, its current
-- one included, and when its latest ones started (at most 90, oldest first). The sandbox
-- institutions make their data move with them: every sync sees the movements made since the
-- previous one, dated on the day of the sync that first saw them, even when no day has passed.
alter table items add column executions_started integer not null default 0;
alter table items add column recent_execution_starts timestamptz[] not null default '{}';
update items i set executions_started = e.n, recent_execution_starts = e.starts
from (
  select item_id, count(*)::int as n, (array_agg(created_at order by created_at))[greatest(1, count(*)::int - 89):] as starts
  from executions group by item_id
) e
where e.item_id = i.id;

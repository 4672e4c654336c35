-- Device-authorization follow-ups are scheduled on the item (follow_up_at, read by the scheduler
-- pass with the engine's clock) instead of as delayed queue jobs.
alter table items add column follow_up_at timestamptz;
create index items_follow_up on items (follow_up_at) where follow_up_at is not null;

-- Follow-ups queued by an earlier version become the items' follow_up_at.
do $$
begin
  if to_regclass('graphile_worker.jobs') is not null then
    update items set follow_up_at = j.run_at
    from graphile_worker.jobs j
    where j.task_identifier = 'authorization-follow-up' and j.key = 'auth-follow-up:' || items.id::text;
    perform graphile_worker.remove_job(j.key) from graphile_worker.jobs j where j.task_identifier = 'authorization-follow-up' and j.key is not null;
  end if;
end $$;

-- Whether an execution answered MFA is its own timeline's to say (a LOGIN_MFA_IN_PROGRESS entry).
alter table executions drop column mfa_answered;

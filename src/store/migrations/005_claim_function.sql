-- Claiming an execution (SPEC §6): the per-connector limit and the claim in one statement.
-- The advisory lock serialises the claims on one connector until the statement's transaction ends,
-- so it is never held across the round trips of a client-side transaction. In a volatile PL/pgSQL
-- function each statement takes a new snapshot: the count sees every claim committed before the
-- lock was granted.
create function tributary_claim_execution(
  p_execution_id uuid,
  p_worker_id text,
  p_at timestamptz,
  p_stale_before timestamptz,
  p_connector_limit integer -- 0: no limit
) returns text language plpgsql volatile as $$
declare
  v_connector integer;
  v_running integer;
begin
  select i.connector_id into v_connector from executions e join items i on i.id = e.item_id where e.id = p_execution_id;
  if not found then
    return 'gone';
  end if;
  if p_connector_limit > 0 then
    perform pg_advisory_xact_lock(715024290, v_connector);
    select count(*) into v_running from (
      select 1 from executions r join items ri on ri.id = r.item_id
      where ri.connector_id = v_connector and r.finished_at is null and r.worker_id is not null
        and r.heartbeat_at >= p_stale_before and r.id <> p_execution_id
      limit p_connector_limit
    ) held;
    if v_running >= p_connector_limit then
      return 'busy';
    end if;
  end if;
  -- Only an unfinished execution not held by another live worker (the same worker may claim
  -- again: its queue retries a job that failed before running).
  update executions set worker_id = p_worker_id, heartbeat_at = p_at, attempt = attempt + 1
  where id = p_execution_id and finished_at is null
    and (worker_id is null or worker_id = p_worker_id or heartbeat_at < p_stale_before);
  if found then
    return 'claimed';
  end if;
  return 'gone';
end
$$;

-- Claiming many executions in one statement (a worker claims the jobs it fetched together).
-- Each is claimed as by tributary_claim_execution (migration 005), in the order of their
-- connectors: the per-connector advisory locks are held until the statement ends, and taking
-- them in one order everywhere keeps two workers' batches from waiting on each other.
create function tributary_claim_executions(
  p_execution_ids uuid[],
  p_worker_id text,
  p_at timestamptz,
  p_stale_before timestamptz,
  p_connector_limit integer -- 0: no limit
) returns table (execution_id uuid, outcome text) language plpgsql volatile as $$
declare
  v_id uuid;
begin
  for v_id in
    select e.id from executions e join items i on i.id = e.item_id
    where e.id = any(p_execution_ids) order by i.connector_id, e.id
  loop
    execution_id := v_id;
    outcome := tributary_claim_execution(v_id, p_worker_id, p_at, p_stale_before, p_connector_limit);
    return next;
  end loop;
end
$$;

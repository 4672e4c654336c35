-- Connectors that reach no real institution (the sandbox banks) are not held to the per-connector
-- limit: it protects an institution from too many sessions at once, and there is none behind them,
-- so a burst of sandbox items runs at the engine's own capacity. The claim takes the ids of those
-- connectors; everything else is the claim of migration 007 (which stays, for processes of the
-- previous version during a rolling upgrade).
create function tributary_claim_executions(
  p_execution_ids uuid[],
  p_worker_id text,
  p_at timestamptz,
  p_stale_before timestamptz,
  p_connector_limit integer, -- 0: no limit
  p_uncapped_connectors integer[]
) returns table (execution_id uuid, outcome text) language plpgsql volatile as $$
declare
  v_connector integer;
  v_ids uuid[];
  v_free integer;
begin
  for v_connector, v_ids in
    select i.connector_id, array_agg(e.id order by e.created_at, e.id)
    from executions e join items i on i.id = e.item_id
    where e.id = any(p_execution_ids)
    group by i.connector_id order by i.connector_id
  loop
    v_free := null; -- no limit
    if p_connector_limit > 0 and not (v_connector = any(p_uncapped_connectors)) then
      perform pg_advisory_xact_lock(715024290, v_connector);
      select p_connector_limit - count(*) into v_free from (
        select 1 from executions r join items ri on ri.id = r.item_id
        where ri.connector_id = v_connector and r.finished_at is null and r.worker_id is not null
          and r.heartbeat_at >= p_stale_before and r.id <> all(v_ids)
        limit p_connector_limit
      ) held;
    end if;
    return query
      with claimable as (
        select e.id, row_number() over (order by e.created_at, e.id) as place
        from executions e
        where e.id = any(v_ids) and e.finished_at is null
          and (e.worker_id is null or e.worker_id = p_worker_id or e.heartbeat_at < p_stale_before)
      ), claimed as (
        update executions e set worker_id = p_worker_id, heartbeat_at = p_at, attempt = e.attempt + 1
        from claimable c
        where e.id = c.id and (v_free is null or c.place <= v_free)
        returning e.id
      )
      select x.id, case when x.id in (select id from claimed) then 'claimed'
                        when x.id in (select id from claimable) then 'busy'
                        else 'gone' end
      from unnest(v_ids) as x(id);
  end loop;
  -- Executions that no longer exist (their item was deleted).
  return query select x.id, 'gone'::text from unnest(p_execution_ids) as x(id)
    where not exists (select 1 from executions e where e.id = x.id);
end
$$;

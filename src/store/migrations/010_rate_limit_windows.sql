-- Rate-limit windows shared by every API process on PostgreSQL (docs/security.md): one row per
-- limited key, counting the requests of its current fixed window. Unlogged: a count lost in a
-- crash of the database only lets a few more requests through, and nothing else reads it.
create unlogged table rate_limit_windows (
  key text primary key,
  count integer not null,
  reset_at timestamptz not null
);

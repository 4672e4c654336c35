-- Custom sandbox users (SPEC §7.6) a client registered: the JSON document (validated) that says
-- what a sandbox institution holds for one user name and how each execution ends.
create table sandbox_users (
  client_id text not null references clients (id),
  name text not null,
  document jsonb not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (client_id, name)
);

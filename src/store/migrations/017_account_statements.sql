-- Monthly account statements (ACCOUNT_STATEMENTS): one row per account and month the
-- institution has a statement for. A statement keeps its id across executions (found again by
-- account and month) and is never deleted by a merge. `pdf` is the institution's own document
-- when it gave one; otherwise the statement is rendered from the stored transactions on download.
create table account_statements (
  id uuid primary key default gen_random_uuid(),
  client_id text not null,
  item_id uuid not null,
  account_id uuid not null,
  -- The first day of the month covered.
  month date not null,
  pdf bytea,
  pdf_sha1 text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  foreign key (account_id, item_id) references accounts (id, item_id) on delete cascade,
  unique (account_id, month)
);

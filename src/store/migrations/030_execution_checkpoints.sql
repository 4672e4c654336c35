-- What an execution collected, product by product, for connectors that keep it durably: a worker
-- that takes the execution over from one that stopped does not collect it again. Written with the
-- step after the product's, dropped when the execution ends.
create table execution_checkpoints (
  execution_id uuid not null references executions (id) on delete cascade,
  product text not null,
  data jsonb not null,
  primary key (execution_id, product)
);

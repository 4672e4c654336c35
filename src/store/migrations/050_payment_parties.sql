-- Payments (docs/payments.md): the parties. Institutions are reference data every client shares;
-- customers, smart accounts and recipients belong to one client each.

create table payment_institutions (
  id uuid primary key,
  name text not null,
  trade_name text not null,
  -- the 8-digit code of the institution in the Brazilian payment system (SPB)
  ispb text not null unique,
  -- the 3-digit bank code, for institutions that have one
  compe text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index payment_institutions_name on payment_institutions (lower(name));

-- A few of the institutions Pix recipients are most often at; more can be added by later migrations.
insert into payment_institutions (id, name, trade_name, ispb, compe, created_at, updated_at) values
  ('0f3c1a52-7d0e-4c39-9a1e-000000000001', 'BANCO DO BRASIL S.A.', 'BCO DO BRASIL S.A.', '00000000', '001', '2026-01-01', '2026-01-01'),
  ('0f3c1a52-7d0e-4c39-9a1e-000000000002', 'ITAÚ UNIBANCO S.A.', 'ITAÚ UNIBANCO S.A.', '60701190', '341', '2026-01-01', '2026-01-01'),
  ('0f3c1a52-7d0e-4c39-9a1e-000000000003', 'BANCO BRADESCO S.A.', 'BCO BRADESCO S.A.', '60746948', '237', '2026-01-01', '2026-01-01'),
  ('0f3c1a52-7d0e-4c39-9a1e-000000000004', 'CAIXA ECONÔMICA FEDERAL', 'CAIXA ECONOMICA FEDERAL', '00360305', '104', '2026-01-01', '2026-01-01'),
  ('0f3c1a52-7d0e-4c39-9a1e-000000000005', 'BANCO SANTANDER (BRASIL) S.A.', 'BCO SANTANDER (BRASIL) S.A.', '90400888', '033', '2026-01-01', '2026-01-01'),
  ('0f3c1a52-7d0e-4c39-9a1e-000000000006', 'NU PAGAMENTOS S.A. - INSTITUIÇÃO DE PAGAMENTO', 'NU PAGAMENTOS - IP', '18236120', '260', '2026-01-01', '2026-01-01'),
  ('0f3c1a52-7d0e-4c39-9a1e-000000000007', 'BANCO INTER S.A.', 'BCO INTER S.A.', '00416968', '077', '2026-01-01', '2026-01-01'),
  ('0f3c1a52-7d0e-4c39-9a1e-000000000008', 'BANCO C6 S.A.', 'BCO C6 S.A.', '31872495', '336', '2026-01-01', '2026-01-01'),
  ('0f3c1a52-7d0e-4c39-9a1e-000000000009', 'BANCO BTG PACTUAL S.A.', 'BCO BTG PACTUAL S.A.', '30306294', '208', '2026-01-01', '2026-01-01'),
  ('0f3c1a52-7d0e-4c39-9a1e-000000000010', 'BANCO XP S.A.', 'BCO XP S.A.', '33264668', '348', '2026-01-01', '2026-01-01');

create table payment_customers (
  id uuid primary key,
  client_id text not null references clients (id),
  name text not null,
  email text,
  cpf text,
  cnpj text,
  type text not null,
  -- the connector the customer last paid with, shown as PaymentCustomer.connector
  connector_id integer,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index payment_customers_client on payment_customers (client_id, created_at desc, id);

-- The client's accounts held with Tributary. Balances in centavos never go below zero: every
-- movement is a guarded update, so a payment cannot spend money twice.
create table smart_accounts (
  id uuid primary key,
  client_id text not null references clients (id),
  name text not null,
  tax_number text not null,
  email text not null,
  phone_number text not null,
  agency text not null,
  number text not null,
  verifying_digit text not null,
  is_sandbox boolean not null,
  balance_cents bigint not null default 0 check (balance_cents >= 0),
  blocked_cents bigint not null default 0 check (blocked_cents >= 0),
  scheduled_cents bigint not null default 0 check (scheduled_cents >= 0),
  balance_updated_at timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index smart_accounts_client on smart_accounts (client_id, created_at desc, id);

-- Where money goes: a bank account (at an institution), a Pix key resolved to one, or a smart account.
create table payment_recipients (
  id uuid primary key,
  client_id text not null references clients (id),
  name text not null,
  tax_number text not null,
  is_default boolean not null default false,
  payment_institution_id uuid not null references payment_institutions (id),
  account_type text not null,
  account_number text not null,
  account_branch text not null,
  pix_key text,
  pix_key_type text,
  smart_account_id uuid references smart_accounts (id) on delete cascade,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index payment_recipients_client on payment_recipients (client_id, created_at desc, id);
-- At most one default recipient per client: the one a request without recipientId pays. Checked at
-- commit, so that one statement can hand the default from one recipient to another.
alter table payment_recipients add constraint payment_recipients_one_default
  exclude using btree (client_id with =) where (is_default) deferrable initially deferred;

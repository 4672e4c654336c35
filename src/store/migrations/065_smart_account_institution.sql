-- Smart accounts are held with Tributary itself: a recipient by smartAccountId (docs/payments.md)
-- needs an institution to name, like every recipient. This one is the sandbox's own, with an ISPB
-- outside those the Central Bank assigns to real institutions.
insert into payment_institutions (id, name, trade_name, ispb, compe, created_at, updated_at) values
  ('0f3c1a52-7d0e-4c39-9a1e-000000000065', 'TRIBUTARY CONTAS INTELIGENTES (SANDBOX)', 'TRIBUTARY CONTAS INTELIGENTES', '99999965', null, '2026-01-01', '2026-01-01');
